// Rule prefer-if-not-exists: CREATE TABLE/INDEX/SCHEMA/SEQUENCE/EXTENSION and ADD COLUMN without IF
// NOT EXISTS, and DROP without IF EXISTS fail when re-run by hand after a partial apply (seed
// checklist: idempotent DDL).
#include <fmt/format.h>

#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

const char* drop_word(PgQuery__ObjectType t) {
  switch (t) {
    case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
      return "DROP TABLE";
    case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX:
      return "DROP INDEX";
    case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW:
      return "DROP VIEW";
    case PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA:
      return "DROP SCHEMA";
    case PG_QUERY__OBJECT_TYPE__OBJECT_FUNCTION:
      return "DROP FUNCTION";
    case PG_QUERY__OBJECT_TYPE__OBJECT_TYPE:
      return "DROP TYPE";
    case PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE:
      return "DROP SEQUENCE";
    case PG_QUERY__OBJECT_TYPE__OBJECT_POLICY:
      return "DROP POLICY";
    case PG_QUERY__OBJECT_TYPE__OBJECT_TRIGGER:
      return "DROP TRIGGER";
    default:
      return "DROP";
  }
}

class PreferIfNotExists : public Rule {
 public:
  const char* id() const override { return "prefer-if-not-exists"; }
  Severity default_severity() const override { return Severity::info; }
  const char* summary() const override {
    return "CREATE ... IF NOT EXISTS and DROP ... IF EXISTS make DDL re-runnable";
  }
  void check(const LintStatement& st, LintContext& ctx, std::vector<Diagnostic>& out) override {
    const PgQuery__Node* n = st.node;
    const char* what = nullptr;
    bool drop = false;
    switch (n->node_case) {
      case PG_QUERY__NODE__NODE_CREATE_STMT:
        if (!n->create_stmt->if_not_exists) what = "CREATE TABLE";
        break;
      case PG_QUERY__NODE__NODE_INDEX_STMT:
        if (!n->index_stmt->if_not_exists && n->index_stmt->idxname) what = "CREATE INDEX";
        break;
      case PG_QUERY__NODE__NODE_CREATE_SCHEMA_STMT:
        if (!n->create_schema_stmt->if_not_exists) what = "CREATE SCHEMA";
        break;
      case PG_QUERY__NODE__NODE_CREATE_SEQ_STMT:
        if (!n->create_seq_stmt->if_not_exists) what = "CREATE SEQUENCE";
        break;
      case PG_QUERY__NODE__NODE_CREATE_EXTENSION_STMT:
        if (!n->create_extension_stmt->if_not_exists) what = "CREATE EXTENSION";
        break;
      case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
        for_each_alter_cmd(st,
                           [&](const PgQuery__AlterTableStmt*, const PgQuery__AlterTableCmd* cmd) {
                             if (!what && added_column(cmd) && !cmd->missing_ok)
                               what = "ADD COLUMN";
                           });
        break;
      case PG_QUERY__NODE__NODE_DROP_STMT:
        if (!n->drop_stmt->missing_ok) {
          what = drop_word(n->drop_stmt->remove_type);
          drop = true;
        }
        break;
      default:
        break;
    }
    if (!what) return;
    report(ctx, out, st.start,
           fmt::format("{} without {} fails when the migration is re-run after a partial apply",
                       what, drop ? "IF EXISTS" : "IF NOT EXISTS"),
           fmt::format("write {} {}", what, drop ? "IF EXISTS" : "IF NOT EXISTS"));
  }
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::PreferIfNotExists)
