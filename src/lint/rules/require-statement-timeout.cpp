// Rule require-statement-timeout (opt-in): a migration with DDL should bound how long any one
// statement may run (`SET statement_timeout`), so a runaway rewrite cannot hold its locks for
// hours. Opt-in because index builds and backfills legitimately run long.
#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

class RequireStatementTimeout : public Rule {
 public:
  const char* id() const override { return "require-statement-timeout"; }
  Severity default_severity() const override { return Severity::warning; }
  const char* summary() const override { return "SET statement_timeout before DDL"; }
  bool default_enabled() const override { return false; }
  void begin_file(LintContext&, std::vector<Diagnostic>&) override { done_ = false; }
  void check(const LintStatement& st, LintContext& ctx, std::vector<Diagnostic>& out) override {
    if (done_) return;
    const PgQuery__Node* n = st.node;
    if (n->node_case == PG_QUERY__NODE__NODE_VARIABLE_SET_STMT) {
      if (n->variable_set_stmt->name &&
          std::string_view(n->variable_set_stmt->name) == "statement_timeout")
        done_ = true;
      return;
    }
    switch (n->node_case) {
      case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
      case PG_QUERY__NODE__NODE_INDEX_STMT:
      case PG_QUERY__NODE__NODE_CREATE_STMT:
      case PG_QUERY__NODE__NODE_DROP_STMT:
      case PG_QUERY__NODE__NODE_RENAME_STMT:
        break;
      default:
        return;
    }
    done_ = true;
    report(ctx, out, st.start, "DDL runs with no statement_timeout set",
           "start the migration with `SET statement_timeout = '5min';` (or what fits)");
  }

 private:
  bool done_ = false;
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::RequireStatementTimeout)
