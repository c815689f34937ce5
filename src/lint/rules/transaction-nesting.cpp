// Rule transaction-nesting: BEGIN/COMMIT in a file that strata already runs in a transaction are
// folded into strata's transaction (PostgreSQL would only warn), so they do not do what they say.
#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

class TransactionNesting : public Rule {
 public:
  const char* id() const override { return "transaction-nesting"; }
  Severity default_severity() const override { return Severity::warning; }
  const char* summary() const override {
    return "BEGIN/COMMIT inside a migration that already runs in a transaction";
  }
  void check(const LintStatement& st, LintContext& ctx, std::vector<Diagnostic>& out) override {
    if (st.node->node_case != PG_QUERY__NODE__NODE_TRANSACTION_STMT) return;
    auto kind = st.node->transaction_stmt->kind;
    bool begin = kind == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_BEGIN ||
                 kind == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_START;
    bool commit = kind == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT;
    if (!begin && !commit) return;
    if (begin && ctx.in_explicit_tx) {
      report(ctx, out, st.start, "BEGIN inside a transaction that is already open",
             "remove the nested BEGIN");
      return;
    }
    if (!ctx.file().transactional) return;
    report(ctx, out, st.start,
           begin ? "BEGIN in a migration that strata already runs in a transaction"
                 : "COMMIT in a migration that strata already runs in a transaction",
           "remove BEGIN/COMMIT (strata wraps each migration in a transaction), or mark the "
           "file `-- strata:no-transaction` to manage transactions yourself");
  }
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::TransactionNesting)
