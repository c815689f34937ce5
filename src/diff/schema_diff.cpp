// Comparing two typed models: per kind, which properties differ and whether PostgreSQL can
// change them in place; then the dependents a drop or rebuild takes with it.
#include "diff/schema_diff.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <map>
#include <set>

namespace strata {

std::string display_name(const std::string& key) {
  auto p = key.find(':');
  return p == std::string::npos ? key : key.substr(p + 1);
}

namespace {

std::string show(const std::string& s) {
  return s.empty() ? "(none)" : s;
}

std::string show_acl(const std::vector<AclItem>& acl) {
  std::string out;
  for (const auto& a : acl)
    out += (out.empty() ? "" : ", ") + a.grantee + ":" + a.privilege + (a.grantable ? "*" : "");
  return out.empty() ? "(none)" : out;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

bool is_subsequence(const std::vector<std::string>& small, const std::vector<std::string>& big) {
  size_t j = 0;
  for (const auto& s : big)
    if (j < small.size() && small[j] == s) ++j;
  return j == small.size();
}

struct Cmp {
  Change& c;
  void prop(const char* what, const std::string& a, const std::string& b) {
    if (a != b) c.details.push_back(fmt::format("{}: {} -> {}", what, show(a), show(b)));
  }
  void flag(const char* what, bool a, bool b) {
    if (a != b)
      c.details.push_back(fmt::format("{}: {} -> {}", what, a ? "yes" : "no", b ? "yes" : "no"));
  }
  void recreate(std::string reason) {
    if (c.reason.empty()) c.reason = std::move(reason);
  }
};

// Fills `c` (details, reason) for an object present on both sides.
void compare(const Object& a, const Object& b, Change& c) {
  Cmp m{c};
  if (!a.owner.empty() && !b.owner.empty()) m.prop("owner", a.owner, b.owner);
  if (a.has_comment != b.has_comment || a.comment != b.comment)
    m.prop("comment", a.has_comment ? "'" + a.comment + "'" : "",
           b.has_comment ? "'" + b.comment + "'" : "");
  if (a.acl != b.acl)
    c.details.push_back("privileges: " + show_acl(a.acl) + " -> " + show_acl(b.acl));
  switch (a.kind) {
    case ObjKind::extension:
      m.prop("schema", a.schema, b.schema);
      m.prop("version", a.version, b.version);
      break;
    case ObjKind::enum_type: {
      const auto &x = a.type.labels, &y = b.type.labels;
      if (x == y) break;
      m.prop("values", join(x), join(y));
      bool renames = x.size() == y.size();
      for (size_t i = 0; renames && i < x.size(); ++i)
        if (x[i] != y[i] && std::find(x.begin(), x.end(), y[i]) != x.end()) renames = false;
      if (!renames && !is_subsequence(x, y)) {
        // Rebuilt by a sequence of ALTERs (rename, create, convert columns, drop), not a plain
        // drop + create: the columns keep their data.
        c.details.push_back(
            "rebuild: a value was removed (PostgreSQL cannot drop an enum value); the type is "
            "rebuilt and its columns converted, rows holding the removed value make it fail");
        c.breaks_dependents = true;
      }
      break;
    }
    case ObjKind::domain:
      if (a.type.base_type != b.type.base_type)
        m.recreate("base type changed: " + a.type.base_type + " -> " + b.type.base_type);
      m.prop("collation", a.type.collation, b.type.collation);
      if (a.type.collation != b.type.collation) m.recreate("collation changed");
      m.prop("default", a.type.default_expr, b.type.default_expr);
      m.flag("not null", a.type.not_null, b.type.not_null);
      for (const auto& [n, k] : a.type.checks) {
        auto it = std::find_if(b.type.checks.begin(), b.type.checks.end(),
                               [&n = n](const auto& p) { return p.first == n; });
        if (it == b.type.checks.end())
          c.details.push_back("constraint " + n + " removed");
        else if (it->second.definition != k.definition || it->second.validated != k.validated)
          c.details.push_back("constraint " + n + " changed");
      }
      for (const auto& [n, k] : b.type.checks)
        if (std::none_of(a.type.checks.begin(), a.type.checks.end(),
                         [&n = n](const auto& p) { return p.first == n; }))
          c.details.push_back("constraint " + n + " added");
      break;
    case ObjKind::composite_type: {
      const auto &x = a.type.attributes, &y = b.type.attributes;
      if (x == y) break;
      c.details.push_back("attributes changed");
      // In place when the kept attributes keep their order and new ones come after them.
      std::vector<std::string> kept;
      for (const auto& [n, t] : x)
        if (std::any_of(y.begin(), y.end(), [&n = n](const auto& p) { return p.first == n; }))
          kept.push_back(n);
      bool in_place = kept.size() <= y.size();
      for (size_t i = 0; in_place && i < kept.size(); ++i) in_place = y[i].first == kept[i];
      if (!in_place) m.recreate("attributes reordered");
      c.breaks_dependents = true;
      break;
    }
    case ObjKind::range_type:
      if (a.type.range_body != b.type.range_body) m.recreate("range definition changed");
      m.prop("definition", a.type.range_body, b.type.range_body);
      break;
    case ObjKind::function:
      if (a.function.definition != b.function.definition) {
        c.details.push_back("definition changed");
        if (a.function.result != b.function.result)
          m.recreate("return type changed: " + a.function.result + " -> " + b.function.result);
        else if (a.function.arguments != b.function.arguments)
          m.recreate("argument names or defaults changed");
      }
      break;
    case ObjKind::sequence: {
      const auto &x = a.sequence, &y = b.sequence;
      m.prop("type", x.type, y.type);
      m.prop("start", std::to_string(x.start), std::to_string(y.start));
      m.prop("increment", std::to_string(x.increment), std::to_string(y.increment));
      m.prop("min", std::to_string(x.min), std::to_string(y.min));
      m.prop("max", std::to_string(x.max), std::to_string(y.max));
      m.prop("cache", std::to_string(x.cache), std::to_string(y.cache));
      m.flag("cycle", x.cycle, y.cycle);
      m.prop("owned by", x.owned_by, y.owned_by);
      break;
    }
    case ObjKind::table: {
      const auto &x = a.table, &y = b.table;
      if (x.relkind != y.relkind || x.partition_key != y.partition_key)
        m.recreate("partitioning changed: " + show(x.partition_key) + " -> " +
                   show(y.partition_key));
      m.prop("partition key", x.partition_key, y.partition_key);
      m.prop("partition of", display_name(x.partition_of), display_name(y.partition_of));
      m.prop("partition bound", x.partition_bound, y.partition_bound);
      m.prop("inherits", join(x.inherits), join(y.inherits));
      m.flag("unlogged", x.unlogged, y.unlogged);
      m.prop("storage options", join(x.reloptions), join(y.reloptions));
      m.flag("row level security", x.rls, y.rls);
      m.flag("forced row level security", x.rls_forced, y.rls_forced);
      m.prop("replica identity", std::string(1, x.replica_identity),
             std::string(1, y.replica_identity));
      break;
    }
    case ObjKind::column: {
      const auto &x = a.column, &y = b.column;
      m.prop("type", x.type, y.type);
      m.prop("collation", x.collation, y.collation);
      if (x.type != y.type || x.collation != y.collation) c.breaks_dependents = true;
      if (x.generated || y.generated) {
        if (x.generated != y.generated || x.default_expr != y.default_expr) {
          m.prop("generated as", x.generated ? x.default_expr : "",
                 y.generated ? y.default_expr : "");
          if (x.generated != y.generated || y.generated)
            m.recreate(
                "a generation expression cannot be changed in place (PostgreSQL 15): "
                "the column is dropped and added again");
          else
            m.prop("default", "", y.default_expr);
        }
      } else {
        m.prop("default", x.default_expr, y.default_expr);
      }
      m.flag("not null", x.not_null, y.not_null);
      m.prop("identity", x.identity ? std::string(1, x.identity) : "",
             y.identity ? std::string(1, y.identity) : "");
      if (x.identity && y.identity) m.prop("identity options", x.identity_opts, y.identity_opts);
      if (x.column_acl != y.column_acl)
        c.details.push_back("column privileges: " + show_acl(x.column_acl) + " -> " +
                            show_acl(y.column_acl));
      break;
    }
    case ObjKind::constraint:
      if (a.constraint.type != b.constraint.type ||
          a.constraint.definition != b.constraint.definition)
        m.recreate("definition changed");
      m.prop("definition", a.constraint.definition, b.constraint.definition);
      if (a.constraint.validated && !b.constraint.validated) m.recreate("now NOT VALID");
      m.flag("validated", a.constraint.validated, b.constraint.validated);
      break;
    case ObjKind::index:
    case ObjKind::trigger:
      if (a.extra != b.extra) {
        m.recreate("definition changed");
        m.prop("definition", a.extra, b.extra);
      }
      if (a.kind == ObjKind::trigger)
        m.prop("enabled", std::string(1, a.trigger_enabled), std::string(1, b.trigger_enabled));
      break;
    case ObjKind::view:
    case ObjKind::matview: {
      const auto &x = a.view, &y = b.view;
      if (x.definition != y.definition) c.details.push_back("definition changed");
      if (x.columns != y.columns) {
        bool prefix = x.columns.size() <= y.columns.size() &&
                      std::equal(x.columns.begin(), x.columns.end(), y.columns.begin());
        c.details.push_back("columns changed");
        if (!prefix)
          m.recreate("a column was renamed, retyped or removed (CREATE OR REPLACE VIEW cannot)");
      }
      if (a.kind == ObjKind::matview && x.definition != y.definition)
        m.recreate("a materialized view's query cannot be replaced");
      m.prop("options", join(x.options), join(y.options));
      if (a.extra != b.extra) c.details.push_back("column comments changed");
      break;
    }
    case ObjKind::policy:
      if (a.permissive != b.permissive || a.policy_cmd != b.policy_cmd)
        m.recreate("command or permissive/restrictive changed");
      m.prop("command", a.policy_cmd, b.policy_cmd);
      m.flag("permissive", a.permissive, b.permissive);
      m.prop("roles", join(a.policy_roles), join(b.policy_roles));
      if ((!a.policy_using.empty() && b.policy_using.empty()) ||
          (!a.policy_check.empty() && b.policy_check.empty()))
        m.recreate("a USING or WITH CHECK clause was removed (ALTER POLICY cannot)");
      m.prop("using", a.policy_using, b.policy_using);
      m.prop("with check", a.policy_check, b.policy_check);
      break;
    case ObjKind::publication:
      if (a.all_tables != b.all_tables) m.recreate("FOR ALL TABLES changed");
      m.prop("publish", a.publish, b.publish);
      m.flag("publish via partition root", a.via_root, b.via_root);
      break;
    case ObjKind::publication_rel:
      if (a.extra != b.extra) m.recreate("column list or row filter changed");
      m.prop("columns / filter", a.extra, b.extra);
      break;
    case ObjKind::schema:
    case ObjKind::default_acl:
      break;
  }
}

bool is_destructive_drop(const Object& o) {
  switch (o.kind) {
    case ObjKind::schema:
    case ObjKind::table:
    case ObjKind::enum_type:
    case ObjKind::domain:
    case ObjKind::composite_type:
    case ObjKind::range_type:
    case ObjKind::function:
    case ObjKind::sequence:
    case ObjKind::matview:
      return true;
    case ObjKind::column:
      return !o.column.generated;
    default:
      return false;
  }
}

// Kinds that can be dropped and created again without losing data.
bool rebuildable(ObjKind k) {
  switch (k) {
    case ObjKind::view:
    case ObjKind::matview:
    case ObjKind::policy:
    case ObjKind::trigger:
    case ObjKind::function:
    case ObjKind::index:
    case ObjKind::constraint:
    case ObjKind::publication_rel:
      return true;
    default:
      return false;
  }
}

}  // namespace

std::vector<Change> diff_models(const SchemaModel& from, const SchemaModel& to) {
  std::map<std::string, Change> out;
  for (const auto& [key, a] : from.objects) {
    const Object* b = to.find(key);
    if (!b) {
      Change c;
      c.kind = ChangeKind::drop;
      c.key = key;
      c.from = &a;
      c.destructive = is_destructive_drop(a);
      out.emplace(key, std::move(c));
      continue;
    }
    Change c;
    c.key = key;
    c.from = &a;
    c.to = b;
    compare(a, *b, c);
    if (!c.reason.empty()) {
      c.kind = ChangeKind::recreate;
      c.destructive =
          a.kind == ObjKind::table || (a.kind == ObjKind::column && !a.column.generated);
      c.breaks_dependents = true;
    }
    if (!c.details.empty() || !c.reason.empty()) out.emplace(key, std::move(c));
  }
  for (const auto& [key, b] : to.objects) {
    if (from.find(key)) continue;
    Change c;
    c.kind = ChangeKind::create;
    c.key = key;
    c.to = &b;
    out.emplace(key, std::move(c));
  }
  // Dependents of what is dropped, rebuilt or retyped: views, policies, triggers, functions,
  // indexes and constraints that stay are dropped and created again around the change.
  std::multimap<std::string, std::string> dependents;  // needed -> dependent (from's edges)
  for (const auto& d : from.deps)
    if (!d.owned_by) dependents.emplace(d.to, d.from);
  std::deque<std::string> work;
  for (const auto& [key, c] : out)
    if (c.kind == ChangeKind::drop || c.kind == ChangeKind::recreate || c.breaks_dependents)
      work.push_back(key);
  std::set<std::string> seen(work.begin(), work.end());
  while (!work.empty()) {
    std::string key = work.front();
    work.pop_front();
    const Change& cause = out.at(key);
    bool retype_only = cause.kind == ChangeKind::alter;
    auto [lo, hi] = dependents.equal_range(key);
    for (auto it = lo; it != hi; ++it) {
      const std::string& dep = it->second;
      const Object* a = from.find(dep);
      const Object* b = to.find(dep);
      if (!a || !b || !rebuildable(a->kind)) continue;
      // PostgreSQL rebuilds indexes and constraints itself when a column is retyped.
      if (retype_only && (a->kind == ObjKind::index || a->kind == ObjKind::constraint)) continue;
      // A sub-object of the changed table itself is not broken by the table's own alter.
      if (retype_only && cause.from && cause.from->kind != ObjKind::column && b->parent == key)
        continue;
      auto found = out.find(dep);
      if (found != out.end() &&
          (found->second.kind == ChangeKind::recreate || found->second.kind == ChangeKind::drop))
        continue;
      Change c;
      if (found != out.end()) c = found->second;
      c.kind = ChangeKind::recreate;
      c.key = dep;
      c.from = a;
      c.to = b;
      c.reason = "depends on " + display_name(key) + ", which is " +
                 (cause.kind == ChangeKind::drop       ? "dropped"
                  : cause.kind == ChangeKind::recreate ? "recreated"
                                                       : "changed");
      c.breaks_dependents = true;
      out.insert_or_assign(dep, std::move(c));
      if (seen.insert(dep).second) work.push_back(dep);
    }
  }
  std::vector<Change> v;
  v.reserve(out.size());
  for (auto& [k, c] : out) v.push_back(std::move(c));
  return v;
}

}  // namespace strata
