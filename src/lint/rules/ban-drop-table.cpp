// Rule ban-drop-table: DROP TABLE deletes data for good and breaks every client that reads it.
#include <fmt/format.h>

#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

class BanDropTable : public Rule {
 public:
  const char* id() const override { return "ban-drop-table"; }
  Severity default_severity() const override { return Severity::error; }
  const char* summary() const override { return "DROP TABLE deletes data and breaks clients"; }
  void check(const LintStatement& st, LintContext& ctx, std::vector<Diagnostic>& out) override {
    if (st.node->node_case != PG_QUERY__NODE__NODE_DROP_STMT) return;
    const auto* ds = st.node->drop_stmt;
    if (ds->remove_type != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) return;
    for (size_t i = 0; i < ds->n_objects; ++i) {
      const PgQuery__Node* o = ds->objects[i];
      if (o->node_case != PG_QUERY__NODE__NODE_LIST) continue;
      auto parts = ast::names(o->list->items, o->list->n_items);
      std::string table = parts.size() == 2 ? ast::qualified(parts[0], parts[1])
                                            : ast::qualified("", parts.empty() ? "" : parts.back());
      if (ctx.is_new_table(table)) continue;
      report(ctx, out, st.start,
             fmt::format("DROP TABLE `{}` deletes its data and breaks clients that still use it",
                         table),
             "stop every reader and writer first (deploy that), keep a backup, then drop it and "
             "mark the intent with `-- strata-lint-ignore ban-drop-table`");
    }
  }
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::BanDropTable)
