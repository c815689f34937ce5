// Parse-tree helpers for lint rules (see ast.hpp).
#include "lint/ast.hpp"

namespace strata::lint::ast {

void walk(const ProtobufCMessage* msg, const std::function<bool(const ProtobufCMessage*)>& visit) {
  if (!msg || !visit(msg)) return;
  const ProtobufCMessageDescriptor* d = msg->descriptor;
  const char* base = reinterpret_cast<const char*>(msg);
  for (unsigned i = 0; i < d->n_fields; ++i) {
    const ProtobufCFieldDescriptor& f = d->fields[i];
    if (f.type != PROTOBUF_C_TYPE_MESSAGE) continue;
    if (f.flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
      uint32_t which = *reinterpret_cast<const uint32_t*>(base + f.quantifier_offset);
      if (which != f.id) continue;
    }
    if (f.label == PROTOBUF_C_LABEL_REPEATED) {
      size_t n = *reinterpret_cast<const size_t*>(base + f.quantifier_offset);
      auto* items = *reinterpret_cast<ProtobufCMessage* const* const*>(base + f.offset);
      for (size_t k = 0; k < n; ++k) walk(items[k], visit);
    } else {
      walk(*reinterpret_cast<ProtobufCMessage* const*>(base + f.offset), visit);
    }
  }
}

std::vector<const PgQuery__FuncCall*> func_calls(const PgQuery__Node* node) {
  std::vector<const PgQuery__FuncCall*> out;
  walk(node, [&](const ProtobufCMessage* m) {
    if (m->descriptor == &pg_query__func_call__descriptor)
      out.push_back(reinterpret_cast<const PgQuery__FuncCall*>(m));
    return true;
  });
  return out;
}

std::string qualified(const std::string& schema, const std::string& name) {
  return (schema.empty() ? std::string("public") : schema) + "." + name;
}

std::string qualified(const PgQuery__RangeVar* rv) {
  if (!rv) return {};
  return qualified(rv->schemaname ? rv->schemaname : "", rv->relname ? rv->relname : "");
}

std::string str(const PgQuery__Node* node) {
  if (node && node->node_case == PG_QUERY__NODE__NODE_STRING && node->string->sval)
    return node->string->sval;
  return {};
}

std::string dotted(PgQuery__Node* const* items, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    if (!out.empty()) out += '.';
    out += str(items[i]);
  }
  return out;
}

std::string type_name(const PgQuery__TypeName* t) {
  if (!t) return {};
  std::string out = dotted(t->names, t->n_names);
  if (out.rfind("pg_catalog.", 0) == 0) out = out.substr(11);
  return out;
}

std::string display_type(const std::string& t) {
  if (t == "int4") return "integer";
  if (t == "int2") return "smallint";
  if (t == "int8") return "bigint";
  if (t == "bpchar") return "char";
  if (t == "timestamp") return "timestamp";
  if (t == "varchar") return "varchar";
  return t;
}

std::string func_name(const PgQuery__FuncCall* f) {
  std::string out = f ? dotted(f->funcname, f->n_funcname) : std::string();
  if (out.rfind("pg_catalog.", 0) == 0) out = out.substr(11);
  return out;
}

const PgQuery__Constraint* column_constraint(const PgQuery__ColumnDef* col,
                                             PgQuery__ConstrType type) {
  if (!col) return nullptr;
  for (size_t i = 0; i < col->n_constraints; ++i) {
    const PgQuery__Node* c = col->constraints[i];
    if (c->node_case == PG_QUERY__NODE__NODE_CONSTRAINT && c->constraint->contype == type)
      return c->constraint;
  }
  return nullptr;
}

std::vector<std::string> names(PgQuery__Node* const* items, size_t n) {
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) out.push_back(str(items[i]));
  return out;
}

}  // namespace strata::lint::ast
