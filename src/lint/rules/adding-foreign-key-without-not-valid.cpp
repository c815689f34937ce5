// Rule adding-foreign-key-without-not-valid: adding a FOREIGN KEY to an existing table validates
// every row while holding SHARE ROW EXCLUSIVE locks on both tables; NOT VALID + VALIDATE
// CONSTRAINT splits that into a quick lock and a scan that does not block writes.
#include <fmt/format.h>

#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

class AddingForeignKeyWithoutNotValid : public Rule {
 public:
  const char* id() const override { return "adding-foreign-key-without-not-valid"; }
  Severity default_severity() const override { return Severity::warning; }
  const char* summary() const override {
    return "add foreign keys to existing tables NOT VALID, then VALIDATE";
  }
  void check(const LintStatement& st, LintContext& ctx, std::vector<Diagnostic>& out) override {
    for_each_alter_cmd(st, [&](const PgQuery__AlterTableStmt* as,
                               const PgQuery__AlterTableCmd* cmd) {
      std::string table = ast::qualified(as->relation);
      if (ctx.is_new_table(table)) return;
      if (const PgQuery__Constraint* c = added_constraint(cmd)) {
        if (c->contype != PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN || c->skip_validation) return;
        report(ctx, out, LintContext::at(st, c->location),
               fmt::format("adding a foreign key to `{}` scans it while blocking writes to both "
                           "tables",
                           table),
               "add it with NOT VALID, then run ALTER TABLE ... VALIDATE CONSTRAINT in a later "
               "statement or migration");
      } else if (const PgQuery__ColumnDef* col = added_column(cmd)) {
        const PgQuery__Constraint* fk =
            ast::column_constraint(col, PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN);
        if (!fk) return;
        report(ctx, out, LintContext::at(st, fk->location),
               fmt::format("adding column `{}` to `{}` with REFERENCES to `{}` validates the "
                           "foreign key while blocking writes to both tables",
                           col->colname ? col->colname : "", table, ast::qualified(fk->pktable)),
               "add the column first, then ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID and "
               "VALIDATE CONSTRAINT");
      }
    });
  }
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::AddingForeignKeyWithoutNotValid)
