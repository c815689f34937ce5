// Rule require-concurrent-index-deletion: DROP INDEX without CONCURRENTLY takes an ACCESS
// EXCLUSIVE lock on the index's table.
#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

class RequireConcurrentIndexDeletion : public Rule {
 public:
  const char* id() const override { return "require-concurrent-index-deletion"; }
  Severity default_severity() const override { return Severity::warning; }
  const char* summary() const override { return "DROP INDEX must use CONCURRENTLY"; }
  void check(const LintStatement& st, LintContext& ctx, std::vector<Diagnostic>& out) override {
    if (st.node->node_case != PG_QUERY__NODE__NODE_DROP_STMT) return;
    const auto* ds = st.node->drop_stmt;
    if (ds->remove_type != PG_QUERY__OBJECT_TYPE__OBJECT_INDEX || ds->concurrent) return;
    report(ctx, out, st.start,
           "DROP INDEX without CONCURRENTLY locks the table against reads and writes",
           "use DROP INDEX CONCURRENTLY (strata then runs this file outside a transaction)");
  }
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::RequireConcurrentIndexDeletion)
