// LintContext: learning the schema from each statement of the migration set (see context.hpp).
#include "lint/context.hpp"

#include <algorithm>

#include "lint/ast.hpp"

namespace strata::lint {

bool LintContext::is_new_table(const std::string& name) const {
  auto it = tables.find(name);
  if (it == tables.end() || it->second.created_file < 0) return false;
  if (it->second.created_file == file_->index) return true;
  return pending_known && it->second.created_linted;
}

std::optional<TableFacts> LintContext::facts(const std::string& name) {
  if (!catalog) return std::nullopt;
  auto it = facts_cache_.find(name);
  if (it != facts_cache_.end()) return it->second;
  std::optional<TableFacts> f = catalog(name);
  facts_cache_.emplace(name, f);
  return f;
}

bool LintContext::exposed_schema(const std::string& schema) const {
  const auto& list = config_.exposed_schemas;
  return std::find(list.begin(), list.end(), schema) != list.end();
}

void LintContext::begin_file(const LintFile& f) {
  file_ = &f;
  files.push_back(&f);
  lock_timeout_set = false;
  in_explicit_tx = false;
}

TableInfo& LintContext::table(const std::string& name) {
  TableInfo& t = tables[name];
  if (t.name.empty()) t.name = name;
  return t;
}

namespace {

void learn_constraint(TableInfo& t, const PgQuery__Constraint* c, const std::string& column,
                      const Position& at) {
  switch (c->contype) {
    case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
    case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE: {
      auto cols = ast::names(c->keys, c->n_keys);
      if (cols.empty() && !column.empty()) cols.push_back(column);
      if (!cols.empty()) t.indexes.push_back(cols);
      break;
    }
    case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK: {
      // CHECK (col IS NOT NULL)
      const PgQuery__Node* e = c->raw_expr;
      if (!e || e->node_case != PG_QUERY__NODE__NODE_NULL_TEST) break;
      const auto* nt = e->null_test;
      if (nt->nulltesttype != PG_QUERY__NULL_TEST_TYPE__IS_NOT_NULL || !nt->arg ||
          nt->arg->node_case != PG_QUERY__NODE__NODE_COLUMN_REF ||
          nt->arg->column_ref->n_fields != 1)
        break;
      std::string col = ast::str(nt->arg->column_ref->fields[0]);
      if (col.empty()) break;
      if (c->conname) t.not_null_checks[c->conname] = col;
      if (!c->skip_validation) t.proven_not_null.insert(col);
      break;
    }
    case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN: {
      auto cols = ast::names(c->fk_attrs, c->n_fk_attrs);
      if (cols.empty() && !column.empty()) cols.push_back(column);
      if (!cols.empty()) t.foreign_keys.push_back({cols, at});
      break;
    }
    default:
      break;
  }
}

void learn_column(TableInfo& t, const PgQuery__ColumnDef* col, const std::string& file,
                  const LintStatement& st) {
  for (size_t i = 0; i < col->n_constraints; ++i) {
    const PgQuery__Node* n = col->constraints[i];
    if (n->node_case != PG_QUERY__NODE__NODE_CONSTRAINT) continue;
    Position at{file, LintContext::at(st, n->constraint->location)};
    learn_constraint(t, n->constraint, col->colname ? col->colname : "", at);
  }
}

}  // namespace

void LintContext::after_statement(const LintStatement& st) {
  const PgQuery__Node* node = st.node;
  const std::string& path = file_->path;
  switch (node->node_case) {
    case PG_QUERY__NODE__NODE_CREATE_STMT: {
      const auto* cs = node->create_stmt;
      std::string name = ast::qualified(cs->relation);
      if (cs->if_not_exists && tables.count(name)) break;
      TableInfo& t = table(name);
      t = TableInfo{};
      t.name = name;
      t.created_file = file_->index;
      t.created_linted = file_->linted;
      t.created_at = Position{path, at(st, cs->relation->location)};
      for (size_t i = 0; i < cs->n_table_elts; ++i) {
        const PgQuery__Node* e = cs->table_elts[i];
        if (e->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF)
          learn_column(t, e->column_def, path, st);
        else if (e->node_case == PG_QUERY__NODE__NODE_CONSTRAINT)
          learn_constraint(t, e->constraint, "", Position{path, at(st, e->constraint->location)});
      }
      break;
    }
    case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT: {
      const auto* as = node->alter_table_stmt;
      if (as->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) break;
      TableInfo& t = table(ast::qualified(as->relation));
      for (size_t i = 0; i < as->n_cmds; ++i) {
        if (as->cmds[i]->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_CMD) continue;
        const auto* cmd = as->cmds[i]->alter_table_cmd;
        switch (cmd->subtype) {
          case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableRowSecurity:
          case PG_QUERY__ALTER_TABLE_TYPE__AT_ForceRowSecurity:
            t.rls = true;
            t.rls_at = Position{path, st.start};
            t.rls_linted = file_->linted;
            break;
          case PG_QUERY__ALTER_TABLE_TYPE__AT_DisableRowSecurity:
            t.rls = false;
            break;
          case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn:
            if (cmd->def && cmd->def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF)
              learn_column(t, cmd->def->column_def, path, st);
            break;
          case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint:
            if (cmd->def && cmd->def->node_case == PG_QUERY__NODE__NODE_CONSTRAINT)
              learn_constraint(t, cmd->def->constraint, "",
                               Position{path, at(st, cmd->def->constraint->location)});
            break;
          case PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraint:
            if (cmd->name) {
              auto it = t.not_null_checks.find(cmd->name);
              if (it != t.not_null_checks.end()) t.proven_not_null.insert(it->second);
            }
            break;
          case PG_QUERY__ALTER_TABLE_TYPE__AT_DropConstraint:
            if (cmd->name) {
              auto it = t.not_null_checks.find(cmd->name);
              if (it != t.not_null_checks.end()) {
                t.proven_not_null.erase(it->second);
                t.not_null_checks.erase(it);
              }
            }
            break;
          default:
            break;
        }
      }
      break;
    }
    case PG_QUERY__NODE__NODE_INDEX_STMT: {
      const auto* is = node->index_stmt;
      std::vector<std::string> cols;
      for (size_t i = 0; i < is->n_index_params; ++i) {
        const PgQuery__Node* p = is->index_params[i];
        if (p->node_case == PG_QUERY__NODE__NODE_INDEX_ELEM && p->index_elem->name)
          cols.push_back(p->index_elem->name);
        else
          break;  // an expression ends the usable prefix
      }
      if (!cols.empty()) table(ast::qualified(is->relation)).indexes.push_back(cols);
      break;
    }
    case PG_QUERY__NODE__NODE_CREATE_POLICY_STMT:
      table(ast::qualified(node->create_policy_stmt->table)).policies++;
      break;
    case PG_QUERY__NODE__NODE_DROP_STMT: {
      const auto* ds = node->drop_stmt;
      if (ds->remove_type != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) break;
      for (size_t i = 0; i < ds->n_objects; ++i) {
        const PgQuery__Node* o = ds->objects[i];
        if (o->node_case != PG_QUERY__NODE__NODE_LIST) continue;
        auto parts = ast::names(o->list->items, o->list->n_items);
        if (parts.size() == 1) tables.erase(ast::qualified("", parts[0]));
        if (parts.size() == 2) tables.erase(ast::qualified(parts[0], parts[1]));
      }
      break;
    }
    case PG_QUERY__NODE__NODE_RENAME_STMT: {
      const auto* rs = node->rename_stmt;
      if (rs->rename_type != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE || !rs->relation || !rs->newname)
        break;
      std::string from = ast::qualified(rs->relation);
      auto it = tables.find(from);
      if (it == tables.end()) break;
      TableInfo t = it->second;
      tables.erase(it);
      std::string schema = rs->relation->schemaname ? rs->relation->schemaname : "";
      t.name = ast::qualified(schema, rs->newname);
      tables[t.name] = t;
      break;
    }
    case PG_QUERY__NODE__NODE_VARIABLE_SET_STMT: {
      const auto* vs = node->variable_set_stmt;
      if (vs->name && std::string_view(vs->name) == "lock_timeout") lock_timeout_set = true;
      break;
    }
    case PG_QUERY__NODE__NODE_TRANSACTION_STMT:
      switch (node->transaction_stmt->kind) {
        case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_BEGIN:
        case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_START:
          in_explicit_tx = true;
          break;
        case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT:
        case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK:
          in_explicit_tx = false;
          break;
        default:
          break;
      }
      break;
    default:
      break;
  }
}

}  // namespace strata::lint
