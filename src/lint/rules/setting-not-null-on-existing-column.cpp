// Rule setting-not-null-on-existing-column: SET NOT NULL scans the whole table under an ACCESS
// EXCLUSIVE lock unless a validated CHECK (col IS NOT NULL) already proves it.
#include <fmt/format.h>

#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

class SettingNotNullOnExistingColumn : public Rule {
 public:
  const char* id() const override { return "setting-not-null-on-existing-column"; }
  Severity default_severity() const override { return Severity::warning; }
  const char* summary() const override {
    return "SET NOT NULL scans the table under an ACCESS EXCLUSIVE lock";
  }
  void check(const LintStatement& st, LintContext& ctx, std::vector<Diagnostic>& out) override {
    for_each_alter_cmd(st, [&](const PgQuery__AlterTableStmt* as,
                               const PgQuery__AlterTableCmd* cmd) {
      std::string table = ast::qualified(as->relation);
      if (cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_SetNotNull || ctx.is_new_table(table))
        return;
      // A validated CHECK (col IS NOT NULL) earlier in the set: PostgreSQL 12+ skips the scan.
      if (auto it = ctx.tables.find(table);
          it != ctx.tables.end() && cmd->name && it->second.proven_not_null.count(cmd->name))
        return;
      report(ctx, out, st.start,
             fmt::format("SET NOT NULL on `{}.{}` scans the table under an ACCESS EXCLUSIVE lock",
                         table, cmd->name ? cmd->name : ""),
             "add CHECK (col IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT, then SET NOT NULL "
             "(PostgreSQL 12+ skips the scan) and drop the check");
    });
  }
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::SettingNotNullOnExistingColumn)
