// SchemaModel: a database's user schemas as typed values (one Object per schema, extension,
// type, sequence, table, column, constraint, index, view, function, trigger, policy,
// publication, publication membership and default-privilege entry) plus the dependency edges
// between them, read from pg_depend. Built by catalog/inspect; compared by diff/schema_diff.
#pragma once
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace strata {

// Declaration order is the tie-break order of DDL (see ddl/ddl_writer.cpp).
enum class ObjKind {
  schema,
  extension,
  enum_type,
  domain,
  composite_type,
  range_type,
  function,  // functions and procedures
  sequence,
  table,  // ordinary, partitioned, partitions, inheritance children
  column,
  constraint,  // table constraints: p, u, c, f, x
  index,
  view,
  matview,
  trigger,
  policy,
  publication,
  publication_rel,
  default_acl,
};

const char* kind_name(ObjKind k);  // "table", "materialized view", ...

// One privilege held by one grantee, as aclexplode() reports it. Grantee "PUBLIC" for 0.
struct AclItem {
  std::string grantee;    // quoted role name or PUBLIC
  std::string privilege;  // SELECT, INSERT, USAGE, EXECUTE, ...
  bool grantable = false;
  auto operator<=>(const AclItem&) const = default;
};

struct ColumnInfo {
  int num = 0;                // attnum: the column's real position
  std::string type;           // format_type(), schema-qualified where needed
  std::string collation;      // quoted qualified collation when not the type's default, else ""
  std::string default_expr;   // pg_get_expr of the default ("" none); generated: the expression
  bool generated = false;     // GENERATED ALWAYS AS (default_expr) STORED
  char identity = 0;          // 'a' ALWAYS, 'd' BY DEFAULT, 0 none
  std::string identity_opts;  // the identity sequence's options, as CREATE SEQUENCE prints them
  bool not_null = false;
  bool local = true;                   // false: inherited from a parent (partitions, INHERITS)
  bool default_uses_function = false;  // default calls a user function (kept out of CREATE TABLE)
  std::vector<AclItem> column_acl;     // column privileges (explicit only)
};

struct TableInfo {
  char relkind = 'r';  // r ordinary, p partitioned
  bool unlogged = false;
  std::vector<std::string> reloptions;  // "fillfactor=70"
  std::string partition_key;            // pg_get_partkeydef: "RANGE (at)", "" when not partitioned
  std::string partition_of;             // parent key (for partitions), ""
  std::string partition_bound;          // "FOR VALUES FROM (...) TO (...)" or "DEFAULT"
  std::vector<std::string> inherits;    // parents' quoted names (not partitions), in order
  bool rls = false, rls_forced = false;
  char replica_identity = 'd';
};

struct SequenceInfo {
  std::string type;  // bigint, integer, smallint
  long long start = 1, increment = 1, min = 1, max = 0, cache = 1;
  bool cycle = false;
  std::string owned_by;  // "public.t.c" (quoted) or ""
};

struct ViewInfo {
  std::string definition;            // pg_get_viewdef
  std::vector<std::string> options;  // reloptions: security_invoker=true, check_option=local
  std::vector<std::pair<std::string, std::string>> columns;  // name, type
  bool populated = true;                                     // materialized views
};

struct FunctionInfo {
  std::string definition;     // pg_get_functiondef: CREATE OR REPLACE FUNCTION ... (full)
  std::string result;         // pg_get_function_result ("" for procedures)
  std::string arguments;      // pg_get_function_arguments (names, defaults, modes)
  std::string identity_args;  // pg_get_function_identity_arguments, for DROP/COMMENT/GRANT
  bool procedure = false;
};

struct ConstraintInfo {
  char type = 'c';         // p u c f x (tables); c for domain constraints
  std::string definition;  // pg_get_constraintdef without NOT VALID
  bool validated = true;
};

struct TypeInfo {
  std::vector<std::string> labels;                              // enum labels in order
  std::string base_type;                                        // domain
  std::string collation;                                        // domain
  std::string default_expr;                                     // domain
  bool not_null = false;                                        // domain
  std::vector<std::pair<std::string, ConstraintInfo>> checks;   // domain constraints by name
  std::vector<std::pair<std::string, std::string>> attributes;  // composite: name, type
  std::string range_body;  // range: "subtype = integer, ..." as CREATE TYPE ... AS RANGE takes
};

struct Object {
  ObjKind kind = ObjKind::schema;
  std::string key;     // kind-prefixed identity, stable across databases: "table:public.t"
  std::string schema;  // unquoted
  std::string name;    // unquoted own name (column, constraint, ...)
  std::string qname;   // SQL name: public.t, public.f(integer), t.c for columns
  std::string parent;  // key of the owning object (table for columns, constraints, ...) or ""
  std::string owner;   // quoted role, for kinds that have one
  bool has_comment = false;
  std::string comment;
  bool has_acl = false;              // a GRANT-able kind
  std::vector<AclItem> acl;          // effective privileges (acldefault when the catalog says NULL)
  std::vector<AclItem> default_acl;  // acldefault() for this object and owner
  std::string extra;                 // kind-specific text: index/trigger def, policy parts, ...

  ColumnInfo column;
  TableInfo table;
  SequenceInfo sequence;
  ViewInfo view;
  FunctionInfo function;
  ConstraintInfo constraint;
  TypeInfo type;
  char trigger_enabled = 'O';  // O, D, R, A
  // policy
  bool permissive = true;
  std::string policy_cmd;                  // SELECT, INSERT, UPDATE, DELETE, ALL
  std::vector<std::string> policy_roles;   // quoted, sorted
  std::string policy_using, policy_check;  // "" none
  // extension
  std::string version;
  // publication: all_tables, publish list, via_root; default_acl: role, objtype
  bool all_tables = false;
  std::string publish;
  bool via_root = false;
  std::string role;    // default_acl: FOR ROLE; publication_rel: publication name
  char objtype = 'r';  // default_acl: r S f T n
};

struct Dependency {
  std::string from;          // key of the dependent object
  std::string to;            // key of the object it needs
  bool owned_by = false;     // sequence OWNED BY column (an automatic link, not a need)
  bool via_default = false;  // a column default's need (pg_attrdef), not the column's type
};

struct SchemaModel {
  std::map<std::string, Object> objects;  // by key: deterministic order
  std::vector<Dependency> deps;           // deduplicated, no self edges
  std::string current_user;               // the role that inspected (default owner of new objects)

  const Object* find(const std::string& key) const {
    auto it = objects.find(key);
    return it == objects.end() ? nullptr : &it->second;
  }
};

}  // namespace strata
