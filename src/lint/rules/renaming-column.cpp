// Rule renaming-column: renaming a column breaks every client that selects the old name.
#include <fmt/format.h>

#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

class RenamingColumn : public Rule {
 public:
  const char* id() const override { return "renaming-column"; }
  Severity default_severity() const override { return Severity::warning; }
  const char* summary() const override { return "renaming a column breaks clients"; }
  void check(const LintStatement& st, LintContext& ctx, std::vector<Diagnostic>& out) override {
    if (st.node->node_case != PG_QUERY__NODE__NODE_RENAME_STMT) return;
    const auto* rs = st.node->rename_stmt;
    if (rs->rename_type != PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN || !rs->relation ||
        rs->relation_type != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE)
      return;
    std::string table = ast::qualified(rs->relation);
    if (ctx.is_new_table(table)) return;
    report(ctx, out, st.start,
           fmt::format("renaming column `{}` of `{}` to `{}` breaks clients that use the old name",
                       rs->subname ? rs->subname : "", table, rs->newname ? rs->newname : ""),
           "add the new column, write both, move readers, then drop the old column");
  }
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::RenamingColumn)
