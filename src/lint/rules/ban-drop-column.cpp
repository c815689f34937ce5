// Rule ban-drop-column: DROP COLUMN deletes data and breaks clients that select the column.
#include <fmt/format.h>

#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

class BanDropColumn : public Rule {
 public:
  const char* id() const override { return "ban-drop-column"; }
  Severity default_severity() const override { return Severity::error; }
  const char* summary() const override { return "DROP COLUMN deletes data and breaks clients"; }
  void check(const LintStatement& st, LintContext& ctx, std::vector<Diagnostic>& out) override {
    for_each_alter_cmd(
        st, [&](const PgQuery__AlterTableStmt* as, const PgQuery__AlterTableCmd* cmd) {
          std::string table = ast::qualified(as->relation);
          if (cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn || ctx.is_new_table(table))
            return;
          report(ctx, out, st.start,
                 fmt::format("DROP COLUMN `{}` on `{}` deletes its data and breaks clients that "
                             "still select it",
                             cmd->name ? cmd->name : "", table),
                 "stop using the column in every client first (deploy that), then drop it");
        });
  }
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::BanDropColumn)
