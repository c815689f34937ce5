// Rule ban-drop-not-null: DROP NOT NULL lets NULLs in where clients assume there are none.
#include <fmt/format.h>

#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

class BanDropNotNull : public Rule {
 public:
  const char* id() const override { return "ban-drop-not-null"; }
  Severity default_severity() const override { return Severity::warning; }
  const char* summary() const override { return "DROP NOT NULL breaks clients that assume values"; }
  void check(const LintStatement& st, LintContext& ctx, std::vector<Diagnostic>& out) override {
    for_each_alter_cmd(
        st, [&](const PgQuery__AlterTableStmt* as, const PgQuery__AlterTableCmd* cmd) {
          std::string table = ast::qualified(as->relation);
          if (cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_DropNotNull || ctx.is_new_table(table))
            return;
          report(ctx, out, st.start,
                 fmt::format("DROP NOT NULL on `{}.{}` lets NULLs reach clients that do not expect "
                             "them",
                             table, cmd->name ? cmd->name : ""),
                 "make sure every reader handles NULL before you deploy this");
        });
  }
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::BanDropNotNull)
