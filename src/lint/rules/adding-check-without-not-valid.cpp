// Rule adding-check-without-not-valid: adding a CHECK constraint to an existing table scans it
// under an ACCESS EXCLUSIVE lock; NOT VALID + VALIDATE CONSTRAINT avoids the long lock.
#include <fmt/format.h>

#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

class AddingCheckWithoutNotValid : public Rule {
 public:
  const char* id() const override { return "adding-check-without-not-valid"; }
  Severity default_severity() const override { return Severity::warning; }
  const char* summary() const override {
    return "add CHECK constraints to existing tables NOT VALID, then VALIDATE";
  }
  void check(const LintStatement& st, LintContext& ctx, std::vector<Diagnostic>& out) override {
    for_each_alter_cmd(
        st, [&](const PgQuery__AlterTableStmt* as, const PgQuery__AlterTableCmd* cmd) {
          std::string table = ast::qualified(as->relation);
          const PgQuery__Constraint* c = added_constraint(cmd);
          if (!c || c->contype != PG_QUERY__CONSTR_TYPE__CONSTR_CHECK || c->skip_validation ||
              ctx.is_new_table(table))
            return;
          report(ctx, out, LintContext::at(st, c->location),
                 fmt::format("adding a CHECK constraint to `{}` scans every row under an ACCESS "
                             "EXCLUSIVE lock",
                             table),
                 "add it with NOT VALID, then run ALTER TABLE ... VALIDATE CONSTRAINT separately");
        });
  }
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::AddingCheckWithoutNotValid)
