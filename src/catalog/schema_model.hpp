// SchemaModel: the objects of a database's user schemas as comparable values. Each object
// carries the DDL that creates and drops it, produced by the server's own pg_get_*def functions.
#pragma once
#include <map>
#include <string>

namespace strata {

struct SchemaObject {
  std::string kind;   // schema, type, table, column, sequence, function, view, constraint, index,
                      // trigger, rls, policy, comment
  std::string name;   // qualified, display
  std::string table;  // owning table (columns, constraints, indexes, triggers, rls, policies)
  std::string definition;  // what is compared
  std::string create_sql;
  std::string drop_sql;
  std::string alter_sql;  // for a changed object when drop + create would lose data (columns)
};

// Keyed by kind + ":" + name, ordered for deterministic output.
using SchemaModel = std::map<std::string, SchemaObject>;

}  // namespace strata
