// Rule changing-column-type: ALTER COLUMN ... TYPE usually rewrites the table and its indexes
// under an ACCESS EXCLUSIVE lock (and breaks clients that read the old type).
#include <fmt/format.h>

#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

class ChangingColumnType : public Rule {
 public:
  const char* id() const override { return "changing-column-type"; }
  Severity default_severity() const override { return Severity::warning; }
  const char* summary() const override {
    return "ALTER COLUMN TYPE rewrites the table under an exclusive lock";
  }
  void check(const LintStatement& st, LintContext& ctx, std::vector<Diagnostic>& out) override {
    for_each_alter_cmd(st, [&](const PgQuery__AlterTableStmt* as,
                               const PgQuery__AlterTableCmd* cmd) {
      std::string table = ast::qualified(as->relation);
      if (cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType || ctx.is_new_table(table))
        return;
      int32_t loc = -1;
      if (cmd->def && cmd->def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF &&
          cmd->def->column_def->type_name)
        loc = cmd->def->column_def->type_name->location;
      report(ctx, out, LintContext::at(st, loc),
             fmt::format("changing the type of `{}` rewrites `{}` and its indexes under an ACCESS "
                         "EXCLUSIVE lock",
                         cmd->name ? cmd->name : "", table),
             "add a new column, backfill it in batches, and switch readers over; only a few "
             "changes (e.g. varchar(n) to text) avoid the rewrite");
    });
  }
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::ChangingColumnType)
