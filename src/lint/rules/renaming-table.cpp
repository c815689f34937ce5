// Rule renaming-table: renaming a table breaks every client that uses the old name.
#include <fmt/format.h>

#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

class RenamingTable : public Rule {
 public:
  const char* id() const override { return "renaming-table"; }
  Severity default_severity() const override { return Severity::warning; }
  const char* summary() const override { return "renaming a table breaks clients"; }
  void check(const LintStatement& st, LintContext& ctx, std::vector<Diagnostic>& out) override {
    if (st.node->node_case != PG_QUERY__NODE__NODE_RENAME_STMT) return;
    const auto* rs = st.node->rename_stmt;
    if (rs->rename_type != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE || !rs->relation) return;
    std::string table = ast::qualified(rs->relation);
    if (ctx.is_new_table(table)) return;
    report(ctx, out, st.start,
           fmt::format("renaming `{}` to `{}` breaks clients that use the old name", table,
                       rs->newname ? rs->newname : ""),
           "create the new name alongside (e.g. a view with the old name), move clients, then "
           "remove the old one");
  }
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::RenamingTable)
