// Rule update-or-delete-without-where: an UPDATE or DELETE with no WHERE touches every row (and
// locks them all) — usually a mistake in a schema migration.
#include <fmt/format.h>

#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

class UpdateOrDeleteWithoutWhere : public Rule {
 public:
  const char* id() const override { return "update-or-delete-without-where"; }
  Severity default_severity() const override { return Severity::warning; }
  const char* summary() const override {
    return "UPDATE or DELETE without WHERE touches every row";
  }
  void check(const LintStatement& st, LintContext& ctx, std::vector<Diagnostic>& out) override {
    const PgQuery__RangeVar* rel = nullptr;
    const char* verb = nullptr;
    if (st.node->node_case == PG_QUERY__NODE__NODE_UPDATE_STMT &&
        !st.node->update_stmt->where_clause) {
      rel = st.node->update_stmt->relation;
      verb = "UPDATE";
    } else if (st.node->node_case == PG_QUERY__NODE__NODE_DELETE_STMT &&
               !st.node->delete_stmt->where_clause) {
      rel = st.node->delete_stmt->relation;
      verb = "DELETE";
    }
    if (!rel) return;
    std::string table = ast::qualified(rel);
    if (ctx.is_new_table(table)) return;
    report(
        ctx, out, st.start,
        fmt::format("{} without WHERE changes every row of `{}` in one transaction", verb, table),
        "add a WHERE clause; backfill big tables in batches outside the migration");
  }
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::UpdateOrDeleteWithoutWhere)
