// Rule concurrent-index-in-transaction: CREATE/DROP/REINDEX ... CONCURRENTLY inside an explicit
// BEGIN ... COMMIT block fails: PostgreSQL refuses to run it in a transaction block.
#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

class ConcurrentIndexInTransaction : public Rule {
 public:
  const char* id() const override { return "concurrent-index-in-transaction"; }
  Severity default_severity() const override { return Severity::error; }
  const char* summary() const override {
    return "CONCURRENTLY index commands cannot run inside BEGIN ... COMMIT";
  }
  void check(const LintStatement& st, LintContext& ctx, std::vector<Diagnostic>& out) override {
    bool concurrent = false;
    const PgQuery__Node* n = st.node;
    if (n->node_case == PG_QUERY__NODE__NODE_INDEX_STMT) concurrent = n->index_stmt->concurrent;
    if (n->node_case == PG_QUERY__NODE__NODE_DROP_STMT) concurrent = n->drop_stmt->concurrent;
    if (n->node_case == PG_QUERY__NODE__NODE_REINDEX_STMT) {
      for (size_t i = 0; i < n->reindex_stmt->n_params; ++i) {
        const PgQuery__Node* p = n->reindex_stmt->params[i];
        if (p->node_case == PG_QUERY__NODE__NODE_DEF_ELEM && p->def_elem->defname &&
            std::string_view(p->def_elem->defname) == "concurrently")
          concurrent = true;
      }
    }
    if (!concurrent || !ctx.in_explicit_tx) return;
    report(ctx, out, st.start,
           "a CONCURRENTLY index command inside BEGIN ... COMMIT fails: it cannot run in a "
           "transaction block",
           "remove the file's BEGIN/COMMIT (strata runs a file with CONCURRENTLY statement by "
           "statement), or move the index into its own migration");
  }
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::ConcurrentIndexInTransaction)
