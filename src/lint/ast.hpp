// Small helpers for lint rules over libpg_query's protobuf parse tree: a generic walker (by
// protobuf-c reflection, so every node kind is reached) and readable names for relations,
// types and functions.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "sql/parse_tree.hpp"

namespace strata::lint::ast {

// Calls `visit` on `msg` and every message below it, depth first. `visit` returns false to
// skip a node's children.
void walk(const ProtobufCMessage* msg, const std::function<bool(const ProtobufCMessage*)>& visit);
inline void walk(const PgQuery__Node* node,
                 const std::function<bool(const ProtobufCMessage*)>& visit) {
  if (node) walk(&node->base, visit);
}

// Every FuncCall below `node` (node included).
std::vector<const PgQuery__FuncCall*> func_calls(const PgQuery__Node* node);

// "schema.name"; the schema defaults to `public` when not written.
std::string qualified(const PgQuery__RangeVar* rv);
std::string qualified(const std::string& schema, const std::string& name);
// The `sval` of a String node, else "".
std::string str(const PgQuery__Node* node);
// Dotted name from a list of String nodes: {"auth","uid"} -> "auth.uid".
std::string dotted(PgQuery__Node* const* items, size_t n);
// Type name without pg_catalog: "int4", "varchar", "timestamptz", "public.my_type".
std::string type_name(const PgQuery__TypeName* t);
// The SQL spelling users write: int4 -> integer, int8 -> bigint, bpchar -> char, ...
std::string display_type(const std::string& internal);
std::string func_name(const PgQuery__FuncCall* f);  // "auth.uid", "now"
// A ColumnDef's constraint of the given type, or null.
const PgQuery__Constraint* column_constraint(const PgQuery__ColumnDef* col,
                                             PgQuery__ConstrType type);
// String names of a list (key columns, ...).
std::vector<std::string> names(PgQuery__Node* const* items, size_t n);

}  // namespace strata::lint::ast
