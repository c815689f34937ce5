// Rule adding-field-with-volatile-default: ADD COLUMN with a volatile DEFAULT (random(),
// gen_random_uuid(), clock_timestamp(), nextval(), ...) rewrites the whole table under an ACCESS
// EXCLUSIVE lock; a constant or stable default does not (PostgreSQL 11+).
#include <fmt/format.h>

#include <set>

#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

const std::set<std::string>& volatile_functions() {
  static const std::set<std::string> fns = {"random",
                                            "gen_random_uuid",
                                            "uuid_generate_v1",
                                            "uuid_generate_v1mc",
                                            "uuid_generate_v4",
                                            "clock_timestamp",
                                            "timeofday",
                                            "nextval",
                                            "txid_current",
                                            "setseed",
                                            "extensions.uuid_generate_v4",
                                            "extensions.gen_random_uuid",
                                            "public.uuid_generate_v4",
                                            "public.gen_random_uuid"};
  return fns;
}

class AddingFieldWithVolatileDefault : public Rule {
 public:
  const char* id() const override { return "adding-field-with-volatile-default"; }
  Severity default_severity() const override { return Severity::warning; }
  const char* summary() const override {
    return "ADD COLUMN with a volatile DEFAULT rewrites the table";
  }
  void check(const LintStatement& st, LintContext& ctx, std::vector<Diagnostic>& out) override {
    for_each_alter_cmd(st, [&](const PgQuery__AlterTableStmt* as,
                               const PgQuery__AlterTableCmd* cmd) {
      const PgQuery__ColumnDef* col = added_column(cmd);
      std::string table = ast::qualified(as->relation);
      if (!col || ctx.is_new_table(table)) return;
      const PgQuery__Constraint* def =
          ast::column_constraint(col, PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT);
      const PgQuery__Node* expr = def ? def->raw_expr : col->raw_default;
      for (const PgQuery__FuncCall* f : ast::func_calls(expr)) {
        std::string name = ast::func_name(f);
        if (!volatile_functions().count(name)) continue;
        report(ctx, out, LintContext::at(st, f->location),
               fmt::format("column `{}` gets a volatile default `{}()`: adding it rewrites `{}` "
                           "under an ACCESS EXCLUSIVE lock",
                           col->colname ? col->colname : "", name, table),
               "add the column without a default, set the default in a second statement, and "
               "backfill existing rows in batches");
        return;
      }
    });
  }
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::AddingFieldWithVolatileDefault)
