// Rule require-lock-timeout: DDL that takes a strong lock on an existing table should follow a
// `SET lock_timeout`, so a migration queued behind a long query fails fast instead of blocking
// every other query on the table. Reported once per file, at the first such statement.
#include <fmt/format.h>

#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

class RequireLockTimeout : public Rule {
 public:
  const char* id() const override { return "require-lock-timeout"; }
  Severity default_severity() const override { return Severity::warning; }
  const char* summary() const override {
    return "SET lock_timeout before DDL that locks an existing table";
  }
  void begin_file(LintContext&, std::vector<Diagnostic>&) override { reported_ = false; }
  void check(const LintStatement& st, LintContext& ctx, std::vector<Diagnostic>& out) override {
    if (reported_ || ctx.lock_timeout_set) return;
    std::string table = locked_table(st.node);
    if (table.empty() || ctx.is_new_table(table)) return;
    reported_ = true;
    report(ctx, out, st.start,
           fmt::format("this statement locks `{}` with no lock_timeout set: queued behind a long "
                       "query, it blocks every query on the table",
                       table),
           "start the migration with `SET lock_timeout = '5s';` (and retry on failure)");
  }

 private:
  bool reported_ = false;

  static std::string locked_table(const PgQuery__Node* n) {
    switch (n->node_case) {
      case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
        if (n->alter_table_stmt->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE)
          return ast::qualified(n->alter_table_stmt->relation);
        return {};
      case PG_QUERY__NODE__NODE_INDEX_STMT:
        return n->index_stmt->concurrent ? std::string() : ast::qualified(n->index_stmt->relation);
      case PG_QUERY__NODE__NODE_RENAME_STMT:
        if (n->rename_stmt->relation &&
            (n->rename_stmt->rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE ||
             n->rename_stmt->rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN))
          return ast::qualified(n->rename_stmt->relation);
        return {};
      case PG_QUERY__NODE__NODE_CREATE_TRIG_STMT:
        return ast::qualified(n->create_trig_stmt->relation);
      case PG_QUERY__NODE__NODE_DROP_STMT: {
        const auto* ds = n->drop_stmt;
        if (ds->remove_type != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE || ds->n_objects == 0 ||
            ds->objects[0]->node_case != PG_QUERY__NODE__NODE_LIST)
          return {};
        auto parts = ast::names(ds->objects[0]->list->items, ds->objects[0]->list->n_items);
        if (parts.size() == 1) return ast::qualified("", parts[0]);
        if (parts.size() == 2) return ast::qualified(parts[0], parts[1]);
        return {};
      }
      default:
        return {};
    }
  }
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::RequireLockTimeout)
