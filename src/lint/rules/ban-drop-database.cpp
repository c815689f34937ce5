// Rule ban-drop-database: DROP DATABASE in a migration deletes everything, and cannot run inside
// a transaction.
#include <fmt/format.h>

#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

class BanDropDatabase : public Rule {
 public:
  const char* id() const override { return "ban-drop-database"; }
  Severity default_severity() const override { return Severity::error; }
  const char* summary() const override { return "DROP DATABASE does not belong in a migration"; }
  void check(const LintStatement& st, LintContext& ctx, std::vector<Diagnostic>& out) override {
    if (st.node->node_case != PG_QUERY__NODE__NODE_DROPDB_STMT) return;
    report(ctx, out, st.start,
           fmt::format("DROP DATABASE `{}` deletes every object and row in it",
                       st.node->dropdb_stmt->dbname ? st.node->dropdb_stmt->dbname : ""),
           "drop databases by hand, never from a migration that every environment applies");
  }
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::BanDropDatabase)
