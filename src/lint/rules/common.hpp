// Shared helpers for the rule files in this folder: ALTER TABLE commands, column types of new or
// changed columns, and role lists.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "lint/ast.hpp"
#include "lint/rule.hpp"

namespace strata::lint::rules {

// Calls fn(alter, cmd) for each command of an ALTER TABLE (tables only).
inline void for_each_alter_cmd(
    const LintStatement& st,
    const std::function<void(const PgQuery__AlterTableStmt*, const PgQuery__AlterTableCmd*)>& fn) {
  if (st.node->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_STMT) return;
  const auto* as = st.node->alter_table_stmt;
  if (as->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) return;
  for (size_t i = 0; i < as->n_cmds; ++i)
    if (as->cmds[i]->node_case == PG_QUERY__NODE__NODE_ALTER_TABLE_CMD)
      fn(as, as->cmds[i]->alter_table_cmd);
}

// The constraint an ALTER TABLE ... ADD CONSTRAINT adds, or null.
inline const PgQuery__Constraint* added_constraint(const PgQuery__AlterTableCmd* cmd) {
  if (cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint || !cmd->def ||
      cmd->def->node_case != PG_QUERY__NODE__NODE_CONSTRAINT)
    return nullptr;
  return cmd->def->constraint;
}

// The column an ALTER TABLE ... ADD COLUMN adds, or null.
inline const PgQuery__ColumnDef* added_column(const PgQuery__AlterTableCmd* cmd) {
  if (cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn || !cmd->def ||
      cmd->def->node_case != PG_QUERY__NODE__NODE_COLUMN_DEF)
    return nullptr;
  return cmd->def->column_def;
}

// A constraint of `type` that the command adds: ADD CONSTRAINT, or inline on ADD COLUMN.
inline const PgQuery__Constraint* added_constraint_of_type(const PgQuery__AlterTableCmd* cmd,
                                                           PgQuery__ConstrType type) {
  if (const PgQuery__Constraint* c = added_constraint(cmd)) return c->contype == type ? c : nullptr;
  if (const PgQuery__ColumnDef* col = added_column(cmd)) return ast::column_constraint(col, type);
  return nullptr;
}

// Every column type a statement defines: CREATE TABLE columns, ADD COLUMN, ALTER COLUMN TYPE.
inline void for_each_column_type(
    const LintStatement& st,
    const std::function<void(const std::string& column, const PgQuery__TypeName*)>& fn) {
  if (st.node->node_case == PG_QUERY__NODE__NODE_CREATE_STMT) {
    const auto* cs = st.node->create_stmt;
    for (size_t i = 0; i < cs->n_table_elts; ++i) {
      const PgQuery__Node* e = cs->table_elts[i];
      if (e->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF && e->column_def->type_name)
        fn(e->column_def->colname ? e->column_def->colname : "", e->column_def->type_name);
    }
    return;
  }
  for_each_alter_cmd(st, [&](const PgQuery__AlterTableStmt*, const PgQuery__AlterTableCmd* cmd) {
    if ((cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn ||
         cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType) &&
        cmd->def && cmd->def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF &&
        cmd->def->column_def->type_name) {
      const auto* cd = cmd->def->column_def;
      std::string name = cd->colname ? cd->colname : (cmd->name ? cmd->name : "");
      fn(name, cd->type_name);
    }
  });
}

// Role names of a policy or grant list; PUBLIC as "public".
inline std::vector<std::string> role_names(PgQuery__Node* const* items, size_t n) {
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) {
    const PgQuery__Node* r = items[i];
    if (r->node_case != PG_QUERY__NODE__NODE_ROLE_SPEC) continue;
    if (r->role_spec->roletype == PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_PUBLIC)
      out.push_back("public");
    else if (r->role_spec->rolename)
      out.push_back(r->role_spec->rolename);
  }
  return out;
}

}  // namespace strata::lint::rules
