// Rule adding-not-null-field: ADD COLUMN ... NOT NULL without a DEFAULT fails on a table that has
// rows (an error when the database says the table has rows, else a warning).
#include <fmt/format.h>

#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

class AddingNotNullField : public Rule {
 public:
  const char* id() const override { return "adding-not-null-field"; }
  Severity default_severity() const override { return Severity::warning; }
  const char* summary() const override {
    return "ADD COLUMN NOT NULL without DEFAULT fails on a table with rows";
  }
  void check(const LintStatement& st, LintContext& ctx, std::vector<Diagnostic>& out) override {
    for_each_alter_cmd(st, [&](const PgQuery__AlterTableStmt* as,
                               const PgQuery__AlterTableCmd* cmd) {
      const PgQuery__ColumnDef* col = added_column(cmd);
      std::string table = ast::qualified(as->relation);
      if (!col || ctx.is_new_table(table)) return;
      const PgQuery__Constraint* nn =
          ast::column_constraint(col, PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL);
      if (!nn && !col->is_not_null) return;
      if (ast::column_constraint(col, PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT) || col->raw_default ||
          ast::column_constraint(col, PG_QUERY__CONSTR_TYPE__CONSTR_IDENTITY) ||
          ast::column_constraint(col, PG_QUERY__CONSTR_TYPE__CONSTR_GENERATED))
        return;
      std::string type = ast::type_name(col->type_name);
      if (type == "serial" || type == "bigserial" || type == "smallserial") return;
      std::optional<TableFacts> facts = ctx.facts(table);
      if (facts && facts->exists && !facts->has_rows) return;
      size_t at = LintContext::at(st, nn ? nn->location : col->location);
      std::string column = col->colname ? col->colname : "";
      if (facts && facts->has_rows) {
        report(ctx, out, at,
               fmt::format("`{}` has rows: adding NOT NULL column `{}` without a DEFAULT will fail",
                           table, column),
               "add a DEFAULT, or add the column nullable, backfill it, then set NOT NULL");
        out.back().severity = Severity::error;
        return;
      }
      report(ctx, out, at,
             fmt::format("adding NOT NULL column `{}` without a DEFAULT fails if `{}` has rows",
                         column, table),
             "add a DEFAULT, or add the column nullable, backfill it, then set NOT NULL");
    });
  }
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::AddingNotNullField)
