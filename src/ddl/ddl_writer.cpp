// Ordering and printing DDL for a list of changes.
#include "ddl/ddl_writer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace strata {

namespace {

int priority(const std::string& kind) {
  static const char* order[] = {"schema",   "type", "sequence",   "table",       "column",
                                "function", "view", "constraint", "foreign-key", "index",
                                "trigger",  "rls",  "policy"};
  for (int i = 0; i < static_cast<int>(std::size(order)); ++i)
    if (kind == order[i]) return i;
  return 99;
}

}  // namespace

std::string write_ddl(const std::vector<Change>& changes) {
  std::vector<const Change*> drops, creates;
  std::set<std::string> dropped_tables;
  for (const auto& c : changes) {
    if (c.kind == ChangeKind::drop && c.from->kind == "table") dropped_tables.insert(c.from->name);
  }
  for (const auto& c : changes) {
    if (c.kind == ChangeKind::drop) {
      if (!c.from->table.empty() && dropped_tables.count(c.from->table))
        continue;  // goes with its table
      drops.push_back(&c);
    } else {
      creates.push_back(&c);
    }
  }
  auto by = [](bool reverse) {
    return [reverse](const Change* a, const Change* b) {
      int pa = priority(a->object().kind), pb = priority(b->object().kind);
      if (pa != pb) return reverse ? pa > pb : pa < pb;
      return a->object().name < b->object().name;
    };
  };
  std::stable_sort(drops.begin(), drops.end(), by(true));
  std::stable_sort(creates.begin(), creates.end(), by(false));
  std::string out;
  for (const Change* c : drops) out += c->from->drop_sql + "\n";
  for (const Change* c : creates) {
    const SchemaObject& o = *c->to;
    if (c->kind == ChangeKind::alter) {
      if (o.kind == "column") {
        out += o.alter_sql + "\n";
        continue;
      }
      if (o.kind != "function" && o.kind != "view") out += c->from->drop_sql + "\n";
    }
    out += o.create_sql + "\n";
  }
  return out;
}

std::string describe_changes(const std::vector<Change>& changes) {
  std::string out;
  for (const auto& c : changes) {
    const SchemaObject& o = c.object();
    switch (c.kind) {
      case ChangeKind::create:
        out += fmt::format("+ {} {} (only in the database)\n", o.kind, o.name);
        break;
      case ChangeKind::drop:
        out +=
            fmt::format("- {} {} (in the migrations, missing from the database)\n", o.kind, o.name);
        break;
      case ChangeKind::alter:
        if (c.from->definition.size() + c.to->definition.size() < 160)
          out += fmt::format("~ {} {}: {} -> {}\n", o.kind, o.name, c.from->definition,
                             c.to->definition);
        else
          out += fmt::format("~ {} {} (definition differs)\n", o.kind, o.name);
        break;
    }
  }
  return out;
}

}  // namespace strata
