// Rule adding-primary-key-on-existing-table: ADD PRIMARY KEY builds its index under an ACCESS
// EXCLUSIVE lock; build a unique index CONCURRENTLY first and add the key USING INDEX.
#include <fmt/format.h>

#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

class AddingPrimaryKeyOnExistingTable : public Rule {
 public:
  const char* id() const override { return "adding-primary-key-on-existing-table"; }
  Severity default_severity() const override { return Severity::warning; }
  const char* summary() const override {
    return "ADD PRIMARY KEY on an existing table locks it while the index builds";
  }
  void check(const LintStatement& st, LintContext& ctx, std::vector<Diagnostic>& out) override {
    for_each_alter_cmd(st, [&](const PgQuery__AlterTableStmt* as,
                               const PgQuery__AlterTableCmd* cmd) {
      std::string table = ast::qualified(as->relation);
      if (ctx.is_new_table(table)) return;
      const PgQuery__Constraint* c =
          added_constraint_of_type(cmd, PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY);
      if (!c || (c->indexname && *c->indexname)) return;  // USING INDEX: already built
      report(ctx, out, LintContext::at(st, c->location),
             fmt::format("adding a primary key to `{}` builds its index under an ACCESS EXCLUSIVE "
                         "lock",
                         table),
             "CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT ... PRIMARY KEY USING "
             "INDEX");
    });
  }
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::AddingPrimaryKeyOnExistingTable)
