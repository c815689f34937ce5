// SQL for each change, the dependency edges between them, and the sorted result.
#include "ddl/ddl_writer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "ddl/dep_sort.hpp"

namespace strata {

namespace {

std::string lit(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string join(const std::vector<std::string>& v, const char* sep = ", ") {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

std::string trim_def(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == ';')) s.pop_back();
  return s;
}

// The name of an object's table (sub-objects).
std::string table_of(const Object& o) {
  return display_name(o.parent);
}

// Word for COMMENT ON / ALTER ... OWNER TO.
std::string object_word(const Object& o) {
  switch (o.kind) {
    case ObjKind::schema:
      return "SCHEMA";
    case ObjKind::extension:
      return "EXTENSION";
    case ObjKind::enum_type:
    case ObjKind::composite_type:
    case ObjKind::range_type:
      return "TYPE";
    case ObjKind::domain:
      return "DOMAIN";
    case ObjKind::function:
      return o.function.procedure ? "PROCEDURE" : "FUNCTION";
    case ObjKind::sequence:
      return "SEQUENCE";
    case ObjKind::table:
      return "TABLE";
    case ObjKind::view:
      return "VIEW";
    case ObjKind::matview:
      return "MATERIALIZED VIEW";
    case ObjKind::index:
      return "INDEX";
    case ObjKind::publication:
      return "PUBLICATION";
    default:
      return "";
  }
}

std::string comment_target(const Object& o) {
  switch (o.kind) {
    case ObjKind::column:
      return "COLUMN " + o.qname;
    case ObjKind::constraint:
      return "CONSTRAINT " + o.qname + " ON " + table_of(o);
    case ObjKind::trigger:
      return "TRIGGER " + o.qname + " ON " + table_of(o);
    case ObjKind::policy:
      return "POLICY " + o.qname + " ON " + table_of(o);
    default:
      return object_word(o) + " " + o.qname;
  }
}

std::string grant_target(const Object& o) {
  switch (o.kind) {
    case ObjKind::table:
    case ObjKind::view:
    case ObjKind::matview:
      return "TABLE " + o.qname;
    case ObjKind::domain:
      return "DOMAIN " + o.qname;
    default:
      return object_word(o) + " " + o.qname;
  }
}

// GRANT / REVOKE statements turning `from` privileges into `to`. `prefix` is "" or
// "ALTER DEFAULT PRIVILEGES FOR ROLE r [IN SCHEMA s] ", `column` "" or "(c)".
void grants(std::vector<std::string>& out, const std::string& prefix, const std::string& target,
            const std::vector<AclItem>& from, const std::vector<AclItem>& to,
            const std::string& column = "") {
  if (from == to) return;
  auto has = [](const std::vector<AclItem>& v, const AclItem& a) {
    return std::find(v.begin(), v.end(), a) != v.end();
  };
  std::vector<std::string> order;
  for (const auto& v : {&from, &to})
    for (const auto& a : *v)
      if (std::find(order.begin(), order.end(), a.grantee) == order.end())
        order.push_back(a.grantee);
  auto privs = [&](const std::vector<std::string>& p) {
    std::string s;
    for (const auto& x : p) s += (s.empty() ? "" : ", ") + x + column;
    return s;
  };
  for (const auto& g : order) {
    std::vector<std::string> revoke, revoke_option;
    for (const auto& a : from) {
      if (a.grantee != g || has(to, a)) continue;
      AclItem plain = a;
      plain.grantable = false;
      if (a.grantable && has(to, plain))
        revoke_option.push_back(a.privilege);
      else
        revoke.push_back(a.privilege);
    }
    if (!revoke.empty())
      out.push_back(fmt::format("{}REVOKE {} ON {} FROM {};", prefix, privs(revoke), target, g));
    if (!revoke_option.empty())
      out.push_back(fmt::format("{}REVOKE GRANT OPTION FOR {} ON {} FROM {};", prefix,
                                privs(revoke_option), target, g));
  }
  for (const auto& g : order) {
    std::vector<std::string> plain, option;
    for (const auto& a : to)
      if (a.grantee == g && !has(from, a)) (a.grantable ? option : plain).push_back(a.privilege);
    if (!plain.empty())
      out.push_back(fmt::format("{}GRANT {} ON {} TO {};", prefix, privs(plain), target, g));
    if (!option.empty())
      out.push_back(fmt::format("{}GRANT {} ON {} TO {} WITH GRANT OPTION;", prefix, privs(option),
                                target, g));
  }
}

std::string default_acl_prefix(const Object& o) {
  return "ALTER DEFAULT PRIVILEGES FOR ROLE " + o.role +
         (o.name.empty() ? "" : " IN SCHEMA " + o.name) + " ";
}

std::string default_acl_target(char t) {
  switch (t) {
    case 'r':
      return "TABLES";
    case 'S':
      return "SEQUENCES";
    case 'f':
      return "FUNCTIONS";
    case 'T':
      return "TYPES";
    case 'n':
      return "SCHEMAS";
  }
  return "TABLES";
}

std::string column_def(const Object& c, bool inline_function_default) {
  const ColumnInfo& x = c.column;
  // qname is the table's qname + "." + the quoted column name.
  std::string s = c.qname.substr(display_name(c.parent).size() + 1);
  s += " " + x.type;
  if (!x.collation.empty()) s += " COLLATE " + x.collation;
  if (x.generated)
    s += " GENERATED ALWAYS AS (" + x.default_expr + ") STORED";
  else if (x.identity)
    s += std::string(" GENERATED ") + (x.identity == 'a' ? "ALWAYS" : "BY DEFAULT") +
         " AS IDENTITY (" + x.identity_opts + ")";
  else if (!x.default_expr.empty() && (inline_function_default || !x.default_uses_function))
    s += " DEFAULT " + x.default_expr;
  if (x.not_null) s += " NOT NULL";
  return s;
}

std::string col_name(const Object& c) {
  return c.qname.substr(display_name(c.parent).size() + 1);
}

std::string seq_options(const SequenceInfo& s) {
  return fmt::format("AS {} START WITH {} INCREMENT BY {} MINVALUE {} MAXVALUE {} CACHE {}{}",
                     s.type, s.start, s.increment, s.min, s.max, s.cache,
                     s.cycle ? " CYCLE" : " NO CYCLE");
}

std::string policy_sql(const Object& p) {
  std::string s =
      fmt::format("CREATE POLICY {} ON {} AS {} FOR {} TO {}", p.qname, table_of(p),
                  p.permissive ? "PERMISSIVE" : "RESTRICTIVE", p.policy_cmd, join(p.policy_roles));
  if (!p.policy_using.empty()) s += " USING (" + p.policy_using + ")";
  if (!p.policy_check.empty()) s += " WITH CHECK (" + p.policy_check + ")";
  return s + ";";
}

std::string trigger_state(const Object& t) {
  switch (t.trigger_enabled) {
    case 'D':
      return fmt::format("ALTER TABLE {} DISABLE TRIGGER {};", table_of(t), t.qname);
    case 'R':
      return fmt::format("ALTER TABLE {} ENABLE REPLICA TRIGGER {};", table_of(t), t.qname);
    case 'A':
      return fmt::format("ALTER TABLE {} ENABLE ALWAYS TRIGGER {};", table_of(t), t.qname);
    default:
      return fmt::format("ALTER TABLE {} ENABLE TRIGGER {};", table_of(t), t.qname);
  }
}

std::string replica_identity(const Object& t) {
  switch (t.table.replica_identity) {
    case 'f':
      return fmt::format("ALTER TABLE {} REPLICA IDENTITY FULL;", t.qname);
    case 'n':
      return fmt::format("ALTER TABLE {} REPLICA IDENTITY NOTHING;", t.qname);
    case 'd':
      return fmt::format("ALTER TABLE {} REPLICA IDENTITY DEFAULT;", t.qname);
  }
  return "";
}

// View column comments are kept as "col\ncomment\n\x1f" records in Object::extra.
std::vector<std::pair<std::string, std::string>> view_comments(const Object& v) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t p = 0;
  while (p < v.extra.size()) {
    size_t end = v.extra.find('\x1f', p);
    if (end == std::string::npos) break;
    std::string rec = v.extra.substr(p, end - p);
    size_t nl = rec.find('\n');
    out.emplace_back(rec.substr(0, nl), rec.substr(nl + 1, rec.size() - nl - 2));
    p = end + 1;
  }
  return out;
}

std::string view_create(const Object& v) {
  std::string with = v.view.options.empty() ? "" : " WITH (" + join(v.view.options) + ")";
  if (v.kind == ObjKind::matview)
    return fmt::format("CREATE MATERIALIZED VIEW {}{} AS\n{}\nWITH {}DATA;", v.qname, with,
                       trim_def(v.view.definition), v.view.populated ? "" : "NO ");
  return fmt::format("CREATE VIEW {}{} AS\n{};", v.qname, with, trim_def(v.view.definition));
}

std::string option_key(const std::string& opt) {
  return opt.substr(0, opt.find('='));
}

// ALTER ... SET / RESET for reloptions.
void reloptions(std::vector<std::string>& out, const std::string& alter,
                const std::vector<std::string>& from, const std::vector<std::string>& to) {
  std::vector<std::string> reset, set;
  for (const auto& o : from) {
    bool kept = std::any_of(to.begin(), to.end(),
                            [&](const std::string& t) { return option_key(t) == option_key(o); });
    if (!kept) reset.push_back(option_key(o));
  }
  for (const auto& o : to)
    if (std::find(from.begin(), from.end(), o) == from.end()) set.push_back(o);
  if (!reset.empty()) out.push_back(alter + " RESET (" + join(reset) + ");");
  if (!set.empty()) out.push_back(alter + " SET (" + join(set) + ");");
}

struct Writer {
  const SchemaModel& from;
  const SchemaModel& to;
  std::map<std::string, const Change*> changes;
  std::vector<ddl::SortNode> nodes;
  std::vector<ddl::SortEdge> edges;
  std::map<std::string, size_t> drop_of, make_of, alter_of;
  std::map<std::string, size_t> part_of;     // column key -> its table node's default part
  std::map<std::string, size_t> owned_part;  // sequence key -> OWNED BY part in its node
  std::vector<std::string> destructive;

  static int rank(ObjKind k) { return static_cast<int>(k); }

  size_t add(std::string name, int priority, std::vector<std::string> parts,
             std::vector<std::string> repairs = {}) {
    ddl::SortNode n;
    n.name = std::move(name);
    n.priority = priority;
    n.parts = std::move(parts);
    n.repairs = std::move(repairs);
    nodes.push_back(std::move(n));
    return nodes.size() - 1;
  }

  // Owner, comment and privileges of a newly created object.
  void extras_created(std::vector<std::string>& out, const Object& o) {
    std::string word = object_word(o);
    if (!o.owner.empty() && o.owner != to.current_user && !word.empty() &&
        o.kind != ObjKind::extension)
      out.push_back(fmt::format("ALTER {} {} OWNER TO {};", word, o.qname, o.owner));
    if (o.has_comment && o.kind != ObjKind::extension)
      out.push_back(fmt::format("COMMENT ON {} IS {};", comment_target(o), lit(o.comment)));
    if (o.has_acl) grants(out, "", grant_target(o), o.default_acl, o.acl);
  }

  void extras_altered(std::vector<std::string>& out, const Object& a, const Object& b) {
    std::string word = object_word(b);
    if (!a.owner.empty() && !b.owner.empty() && a.owner != b.owner && !word.empty() &&
        b.kind != ObjKind::extension)
      out.push_back(fmt::format("ALTER {} {} OWNER TO {};", word, b.qname, b.owner));
    if (a.has_comment != b.has_comment || a.comment != b.comment)
      out.push_back(fmt::format("COMMENT ON {} IS {};", comment_target(b),
                                b.has_comment ? lit(b.comment) : "NULL"));
    if (b.has_acl && a.acl != b.acl) grants(out, "", grant_target(b), a.acl, b.acl);
  }

  // CREATE statements (part 0) and deferrable parts for an object of `to`.
  void create(const Change& c) {
    const Object& o = *c.to;
    std::vector<std::string> core, parts{""}, repairs{""};
    switch (o.kind) {
      case ObjKind::schema:
        core.push_back("CREATE SCHEMA " + o.qname + ";");
        break;
      case ObjKind::extension:
        core.push_back(fmt::format("CREATE EXTENSION IF NOT EXISTS {} WITH SCHEMA {} VERSION {};",
                                   o.qname, "\"" + o.schema + "\"", lit(o.version)));
        break;
      case ObjKind::enum_type: {
        std::vector<std::string> labels;
        for (const auto& l : o.type.labels) labels.push_back(lit(l));
        core.push_back(fmt::format("CREATE TYPE {} AS ENUM ({});", o.qname, join(labels)));
        break;
      }
      case ObjKind::domain: {
        std::string s = "CREATE DOMAIN " + o.qname + " AS " + o.type.base_type;
        if (!o.type.collation.empty()) s += " COLLATE " + o.type.collation;
        if (!o.type.default_expr.empty()) s += " DEFAULT " + o.type.default_expr;
        if (o.type.not_null) s += " NOT NULL";
        for (const auto& [n, k] : o.type.checks)
          if (k.validated) s += "\n    CONSTRAINT \"" + n + "\" " + k.definition;
        core.push_back(s + ";");
        for (const auto& [n, k] : o.type.checks)
          if (!k.validated)
            core.push_back(fmt::format("ALTER DOMAIN {} ADD CONSTRAINT \"{}\" {} NOT VALID;",
                                       o.qname, n, k.definition));
        break;
      }
      case ObjKind::composite_type: {
        std::vector<std::string> attrs;
        for (const auto& [n, t] : o.type.attributes) attrs.push_back("\"" + n + "\" " + t);
        core.push_back(fmt::format("CREATE TYPE {} AS ({});", o.qname, join(attrs)));
        break;
      }
      case ObjKind::range_type:
        core.push_back(fmt::format("CREATE TYPE {} AS RANGE ({});", o.qname, o.type.range_body));
        break;
      case ObjKind::function:
        core.push_back(trim_def(o.function.definition) + ";");
        break;
      case ObjKind::sequence:
        core.push_back(fmt::format("CREATE SEQUENCE {} {};", o.qname, seq_options(o.sequence)));
        if (!o.sequence.owned_by.empty()) {
          owned_part[o.key] = parts.size();
          parts.push_back(
              fmt::format("ALTER SEQUENCE {} OWNED BY {};", o.qname, o.sequence.owned_by));
          repairs.push_back("sequence OWNED BY after its table");
        }
        break;
      case ObjKind::table: {
        const TableInfo& t = o.table;
        std::vector<const Object*> cols;
        for (auto it = to.objects.lower_bound("column:" + o.qname + ".");
             it != to.objects.end() && it->first.starts_with("column:" + o.qname + "."); ++it)
          if (it->second.parent == o.key) cols.push_back(&it->second);
        std::sort(cols.begin(), cols.end(),
                  [](const Object* a, const Object* b) { return a->column.num < b->column.num; });
        std::string s =
            std::string("CREATE ") + (t.unlogged ? "UNLOGGED " : "") + "TABLE " + o.qname;
        std::vector<std::string> defs;
        for (const Object* col : cols)
          if (col->column.local && t.partition_of.empty())
            defs.push_back("    " + column_def(*col, false));
        if (!t.partition_of.empty())
          s += " PARTITION OF " + display_name(t.partition_of) + "\n" + t.partition_bound;
        else
          s += defs.empty() ? " (\n)" : " (\n" + join(defs, ",\n") + "\n)";
        if (!t.inherits.empty()) s += "\nINHERITS (" + join(t.inherits) + ")";
        if (!t.partition_key.empty()) s += "\nPARTITION BY " + t.partition_key;
        if (!t.reloptions.empty()) s += "\nWITH (" + join(t.reloptions) + ")";
        core.push_back(s + ";");
        if (t.rls) core.push_back("ALTER TABLE " + o.qname + " ENABLE ROW LEVEL SECURITY;");
        if (t.rls_forced) core.push_back("ALTER TABLE " + o.qname + " FORCE ROW LEVEL SECURITY;");
        if (t.replica_identity != 'd' && t.replica_identity != 'i')
          core.push_back(replica_identity(o));
        for (const Object* col : cols) {
          make_of[col->key] = nodes.size();
          if (col->column.local && t.partition_of.empty() && col->column.default_uses_function &&
              !col->column.generated && !col->column.identity) {
            part_of[col->key] = parts.size();
            parts.push_back(fmt::format("ALTER TABLE {} ALTER COLUMN {} SET DEFAULT {};", o.qname,
                                        col_name(*col), col->column.default_expr));
            repairs.push_back("column default after the function it calls");
          }
        }
        extras_created(core, o);
        for (const Object* col : cols) {
          if (col->has_comment)
            core.push_back(
                fmt::format("COMMENT ON COLUMN {} IS {};", col->qname, lit(col->comment)));
          grants(core, "", "TABLE " + o.qname, {}, col->column.column_acl,
                 " (" + col_name(*col) + ")");
        }
        break;
      }
      case ObjKind::column: {
        const Object* table = to.find(o.parent);
        if (o.column.local && table && table->table.partition_of.empty())
          core.push_back(
              fmt::format("ALTER TABLE {} ADD COLUMN {};", table_of(o), column_def(o, true)));
        if (o.has_comment)
          core.push_back(fmt::format("COMMENT ON COLUMN {} IS {};", o.qname, lit(o.comment)));
        grants(core, "", "TABLE " + table_of(o), {}, o.column.column_acl, " (" + col_name(o) + ")");
        break;
      }
      case ObjKind::constraint:
        core.push_back(fmt::format("ALTER TABLE {} ADD CONSTRAINT {} {}{};", table_of(o), o.qname,
                                   o.constraint.definition,
                                   o.constraint.validated ? "" : " NOT VALID"));
        break;
      case ObjKind::index:
        core.push_back(o.extra + ";");
        break;
      case ObjKind::view:
      case ObjKind::matview:
        core.push_back(view_create(o));
        for (const auto& [col, text] : view_comments(o))
          core.push_back(fmt::format("COMMENT ON COLUMN {}.{} IS {};", o.qname, col, lit(text)));
        break;
      case ObjKind::trigger:
        core.push_back(o.extra + ";");
        if (o.trigger_enabled != 'O') core.push_back(trigger_state(o));
        break;
      case ObjKind::policy:
        core.push_back(policy_sql(o));
        break;
      case ObjKind::publication:
        core.push_back(fmt::format(
            "CREATE PUBLICATION {}{} WITH (publish = {}, publish_via_partition_root = {});",
            o.qname, o.all_tables ? " FOR ALL TABLES" : "", lit(o.publish),
            o.via_root ? "true" : "false"));
        break;
      case ObjKind::publication_rel:
        core.push_back(
            fmt::format("ALTER PUBLICATION {} ADD TABLE {}{};", o.role, o.qname, o.extra));
        break;
      case ObjKind::default_acl:
        grants(core, default_acl_prefix(o), default_acl_target(o.objtype), o.default_acl, o.acl);
        break;
    }
    if (o.kind != ObjKind::table && o.kind != ObjKind::column) extras_created(core, o);
    parts[0] = join(core, "\n");
    size_t n =
        add("create " + c.key, 1000 + rank(o.kind) * 4, std::move(parts), std::move(repairs));
    make_of[c.key] = n;
  }

  std::string drop_sql(const Object& o) {
    switch (o.kind) {
      case ObjKind::schema:
        return "DROP SCHEMA " + o.qname + ";";
      case ObjKind::extension:
        return "DROP EXTENSION " + o.qname + ";";
      case ObjKind::enum_type:
      case ObjKind::composite_type:
      case ObjKind::range_type:
        return "DROP TYPE " + o.qname + ";";
      case ObjKind::domain:
        return "DROP DOMAIN " + o.qname + ";";
      case ObjKind::function:
        return "DROP " + object_word(o) + " " + o.qname + ";";
      case ObjKind::sequence:
        return "DROP SEQUENCE " + o.qname + ";";
      case ObjKind::table:
        return "DROP TABLE " + o.qname + ";";
      case ObjKind::column: {
        const Object* t = from.find(o.parent);
        if (!o.column.local || (t && !t->table.partition_of.empty())) return "";
        return fmt::format("ALTER TABLE {} DROP COLUMN {};", table_of(o), col_name(o));
      }
      case ObjKind::constraint:
        return fmt::format("ALTER TABLE {} DROP CONSTRAINT {};", table_of(o), o.qname);
      case ObjKind::index:
        return "DROP INDEX " + o.qname + ";";
      case ObjKind::view:
        return "DROP VIEW " + o.qname + ";";
      case ObjKind::matview:
        return "DROP MATERIALIZED VIEW " + o.qname + ";";
      case ObjKind::trigger:
        return fmt::format("DROP TRIGGER {} ON {};", o.qname, table_of(o));
      case ObjKind::policy:
        return fmt::format("DROP POLICY {} ON {};", o.qname, table_of(o));
      case ObjKind::publication:
        return "DROP PUBLICATION " + o.qname + ";";
      case ObjKind::publication_rel:
        return fmt::format("ALTER PUBLICATION {} DROP TABLE {};", o.role, o.qname);
      case ObjKind::default_acl: {
        std::vector<std::string> out;
        grants(out, default_acl_prefix(o), default_acl_target(o.objtype), o.acl, o.default_acl);
        return join(out, "\n");
      }
    }
    return "";
  }

  // The key of the object whose drop takes `o` with it, or "".
  std::string dropped_with(const Object& o) {
    auto dropped = [&](const std::string& k) {
      auto it = changes.find(k);
      return it != changes.end() &&
             (it->second->kind == ChangeKind::drop || it->second->kind == ChangeKind::recreate);
    };
    if (!o.parent.empty() && o.kind != ObjKind::publication_rel && dropped(o.parent))
      return o.parent;
    if (o.kind == ObjKind::publication_rel && dropped("publication:" + o.role))
      return "publication:" + o.role;
    if (o.kind == ObjKind::table && !o.table.partition_of.empty() && dropped(o.table.partition_of))
      return o.table.partition_of;
    if (o.kind == ObjKind::sequence)
      for (const auto& d : from.deps)
        if (d.owned_by && d.from == o.key) {
          if (dropped(d.to)) return d.to;
          const Object* col = from.find(d.to);
          if (col && dropped(col->parent)) return col->parent;
        }
    if (o.kind == ObjKind::publication_rel && dropped(o.parent)) return o.parent;
    return "";
  }

  void drop(const Change& c) {
    const Object& o = *c.from;
    std::string sql = drop_sql(o);
    if (c.destructive && !sql.empty())
      sql = fmt::format(
                "-- DESTRUCTIVE: drops {} {}{}\n", kind_name(o.kind), display_name(c.key),
                o.kind == ObjKind::table || o.kind == ObjKind::column || o.kind == ObjKind::matview
                    ? " and its data"
                    : "") +
            sql;
    size_t n = add("drop " + c.key, 500 - rank(o.kind) * 4, {sql});
    if (c.destructive)
      destructive.push_back(fmt::format("{} {}", kind_name(o.kind), display_name(c.key)));
    drop_of[c.key] = n;
  }

  void alter(const Change& c) {
    const Object& a = *c.from;
    const Object& b = *c.to;
    std::vector<std::string> out;
    switch (b.kind) {
      case ObjKind::extension:
        if (a.schema != b.schema)
          out.push_back(fmt::format("ALTER EXTENSION {} SET SCHEMA \"{}\";", b.qname, b.schema));
        if (a.version != b.version)
          out.push_back(fmt::format("ALTER EXTENSION {} UPDATE TO {};", b.qname, lit(b.version)));
        break;
      case ObjKind::enum_type: {
        const auto &x = a.type.labels, &y = b.type.labels;
        bool renames = x.size() == y.size();
        for (size_t i = 0; renames && i < x.size(); ++i)
          if (x[i] != y[i] && std::find(x.begin(), x.end(), y[i]) != x.end()) renames = false;
        if (renames) {
          for (size_t i = 0; i < x.size(); ++i)
            if (x[i] != y[i])
              out.push_back(fmt::format("ALTER TYPE {} RENAME VALUE {} TO {};", b.qname, lit(x[i]),
                                        lit(y[i])));
        } else if (!c.breaks_dependents) {
          for (size_t i = 0; i < y.size(); ++i) {
            if (std::find(x.begin(), x.end(), y[i]) != x.end()) continue;
            if (i > 0)
              out.push_back(fmt::format("ALTER TYPE {} ADD VALUE {} AFTER {};", b.qname, lit(y[i]),
                                        lit(y[i - 1])));
            else
              out.push_back(fmt::format("ALTER TYPE {} ADD VALUE {} BEFORE {};", b.qname, lit(y[i]),
                                        lit(y.size() > 1 ? y[1] : "")));
          }
        } else {
          // A value was removed: rebuild the type and convert every column that uses it.
          std::string old = "\"" + b.schema + "\".\"" + b.name + "__strata_old\"";
          out.push_back("-- REBUILD: enum " + b.qname +
                        " loses a value; rows holding it make the conversion fail");
          out.push_back(
              fmt::format("ALTER TYPE {} RENAME TO \"{}__strata_old\";", b.qname, b.name));
          std::vector<std::string> labels;
          for (const auto& l : y) labels.push_back(lit(l));
          out.push_back(fmt::format("CREATE TYPE {} AS ENUM ({});", b.qname, join(labels)));
          for (const auto& [k, col] : to.objects) {
            if (col.kind != ObjKind::column || !col.column.local) continue;
            bool array = col.column.type == b.qname + "[]";
            if (col.column.type != b.qname && !array) continue;
            if (!col.column.default_expr.empty())
              out.push_back(fmt::format("ALTER TABLE {} ALTER COLUMN {} DROP DEFAULT;",
                                        table_of(col), col_name(col)));
            out.push_back(fmt::format(
                "ALTER TABLE {} ALTER COLUMN {} TYPE {} USING {}::text{}::{};", table_of(col),
                col_name(col), col.column.type, col_name(col), array ? "[]" : "", col.column.type));
            if (!col.column.default_expr.empty())
              out.push_back(fmt::format("ALTER TABLE {} ALTER COLUMN {} SET DEFAULT {};",
                                        table_of(col), col_name(col), col.column.default_expr));
          }
          out.push_back("DROP TYPE " + old + ";");
        }
        break;
      }
      case ObjKind::domain: {
        const auto &x = a.type, &y = b.type;
        if (x.default_expr != y.default_expr)
          out.push_back(y.default_expr.empty()
                            ? "ALTER DOMAIN " + b.qname + " DROP DEFAULT;"
                            : "ALTER DOMAIN " + b.qname + " SET DEFAULT " + y.default_expr + ";");
        if (x.not_null != y.not_null)
          out.push_back("ALTER DOMAIN " + b.qname + (y.not_null ? " SET" : " DROP") + " NOT NULL;");
        auto find = [](const TypeInfo& t, const std::string& n) -> const ConstraintInfo* {
          for (const auto& [k, v] : t.checks)
            if (k == n) return &v;
          return nullptr;
        };
        for (const auto& [n, k] : x.checks) {
          const ConstraintInfo* other = find(y, n);
          if (!other || other->definition != k.definition || (k.validated && !other->validated))
            out.push_back(fmt::format("ALTER DOMAIN {} DROP CONSTRAINT \"{}\";", b.qname, n));
        }
        for (const auto& [n, k] : y.checks) {
          const ConstraintInfo* old = find(x, n);
          if (!old || old->definition != k.definition || (old->validated && !k.validated))
            out.push_back(fmt::format("ALTER DOMAIN {} ADD CONSTRAINT \"{}\" {}{};", b.qname, n,
                                      k.definition, k.validated ? "" : " NOT VALID"));
          else if (!old->validated && k.validated)
            out.push_back(fmt::format("ALTER DOMAIN {} VALIDATE CONSTRAINT \"{}\";", b.qname, n));
        }
        break;
      }
      case ObjKind::composite_type: {
        const auto &x = a.type.attributes, &y = b.type.attributes;
        auto find = [](const auto& v, const std::string& n) {
          return std::find_if(v.begin(), v.end(), [&](const auto& p) { return p.first == n; });
        };
        for (const auto& [n, t] : x)
          if (find(y, n) == y.end())
            out.push_back(fmt::format("ALTER TYPE {} DROP ATTRIBUTE \"{}\";", b.qname, n));
        for (const auto& [n, t] : y) {
          auto old = find(x, n);
          if (old == x.end())
            out.push_back(fmt::format("ALTER TYPE {} ADD ATTRIBUTE \"{}\" {};", b.qname, n, t));
          else if (old->second != t)
            out.push_back(
                fmt::format("ALTER TYPE {} ALTER ATTRIBUTE \"{}\" TYPE {};", b.qname, n, t));
        }
        break;
      }
      case ObjKind::function:
        if (a.function.definition != b.function.definition)
          out.push_back(trim_def(b.function.definition) + ";");
        break;
      case ObjKind::sequence: {
        const auto &x = a.sequence, &y = b.sequence;
        std::string opts;
        if (x.type != y.type) opts += " AS " + y.type;
        if (x.start != y.start) opts += fmt::format(" START WITH {}", y.start);
        if (x.increment != y.increment) opts += fmt::format(" INCREMENT BY {}", y.increment);
        if (x.min != y.min) opts += fmt::format(" MINVALUE {}", y.min);
        if (x.max != y.max) opts += fmt::format(" MAXVALUE {}", y.max);
        if (x.cache != y.cache) opts += fmt::format(" CACHE {}", y.cache);
        if (x.cycle != y.cycle) opts += y.cycle ? " CYCLE" : " NO CYCLE";
        if (!opts.empty()) out.push_back("ALTER SEQUENCE " + b.qname + opts + ";");
        if (x.owned_by != y.owned_by)
          out.push_back(fmt::format("ALTER SEQUENCE {} OWNED BY {};", b.qname,
                                    y.owned_by.empty() ? "NONE" : y.owned_by));
        break;
      }
      case ObjKind::table: {
        const auto &x = a.table, &y = b.table;
        if (x.partition_of != y.partition_of || x.partition_bound != y.partition_bound) {
          if (!x.partition_of.empty())
            out.push_back(fmt::format("ALTER TABLE {} DETACH PARTITION {};",
                                      display_name(x.partition_of), b.qname));
          if (!y.partition_of.empty())
            out.push_back(fmt::format("ALTER TABLE {} ATTACH PARTITION {} {};",
                                      display_name(y.partition_of), b.qname, y.partition_bound));
        }
        for (const auto& p : x.inherits)
          if (std::find(y.inherits.begin(), y.inherits.end(), p) == y.inherits.end())
            out.push_back(fmt::format("ALTER TABLE {} NO INHERIT {};", b.qname, p));
        for (const auto& p : y.inherits)
          if (std::find(x.inherits.begin(), x.inherits.end(), p) == x.inherits.end())
            out.push_back(fmt::format("ALTER TABLE {} INHERIT {};", b.qname, p));
        if (x.unlogged != y.unlogged)
          out.push_back(
              fmt::format("ALTER TABLE {} SET {};", b.qname, y.unlogged ? "UNLOGGED" : "LOGGED"));
        reloptions(out, "ALTER TABLE " + b.qname, x.reloptions, y.reloptions);
        if (x.rls != y.rls)
          out.push_back(fmt::format("ALTER TABLE {} {} ROW LEVEL SECURITY;", b.qname,
                                    y.rls ? "ENABLE" : "DISABLE"));
        if (x.rls_forced != y.rls_forced)
          out.push_back(fmt::format("ALTER TABLE {} {} ROW LEVEL SECURITY;", b.qname,
                                    y.rls_forced ? "FORCE" : "NO FORCE"));
        if (x.replica_identity != y.replica_identity && y.replica_identity != 'i')
          out.push_back(replica_identity(b));
        break;
      }
      case ObjKind::column: {
        const auto &x = a.column, &y = b.column;
        std::string t = table_of(b), n = col_name(b);
        bool retype = (x.type != y.type || x.collation != y.collation) && y.local;
        bool default_done = false;
        if (retype) {
          if (!x.default_expr.empty() && !x.generated && !x.identity)
            out.push_back(fmt::format("ALTER TABLE {} ALTER COLUMN {} DROP DEFAULT;", t, n));
          out.push_back(fmt::format("ALTER TABLE {} ALTER COLUMN {} TYPE {}{} USING {}::{};", t, n,
                                    y.type, y.collation.empty() ? "" : " COLLATE " + y.collation, n,
                                    y.type));
          if (!y.default_expr.empty() && !y.generated && !y.identity)
            out.push_back(fmt::format("ALTER TABLE {} ALTER COLUMN {} SET DEFAULT {};", t, n,
                                      y.default_expr));
          default_done = true;
        }
        if (!default_done && !x.generated && !y.generated && x.default_expr != y.default_expr)
          out.push_back(y.default_expr.empty()
                            ? fmt::format("ALTER TABLE {} ALTER COLUMN {} DROP DEFAULT;", t, n)
                            : fmt::format("ALTER TABLE {} ALTER COLUMN {} SET DEFAULT {};", t, n,
                                          y.default_expr));
        if (x.identity && !y.identity)
          out.push_back(fmt::format("ALTER TABLE {} ALTER COLUMN {} DROP IDENTITY;", t, n));
        if (x.not_null != y.not_null && !(y.identity && !x.identity && y.not_null))
          out.push_back(fmt::format("ALTER TABLE {} ALTER COLUMN {} {} NOT NULL;", t, n,
                                    y.not_null ? "SET" : "DROP"));
        if (!x.identity && y.identity)
          out.push_back(
              fmt::format("ALTER TABLE {} ALTER COLUMN {} ADD GENERATED {} AS IDENTITY ({});", t, n,
                          y.identity == 'a' ? "ALWAYS" : "BY DEFAULT", y.identity_opts));
        if (x.identity && y.identity && x.identity != y.identity)
          out.push_back(fmt::format("ALTER TABLE {} ALTER COLUMN {} SET GENERATED {};", t, n,
                                    y.identity == 'a' ? "ALWAYS" : "BY DEFAULT"));
        if (x.identity && y.identity && x.identity_opts != y.identity_opts) {
          std::string opts = y.identity_opts.substr(y.identity_opts.find(" START WITH ") + 1);
          std::string set;
          for (const char* word : {"START WITH", "INCREMENT BY", "MINVALUE", "MAXVALUE", "CACHE"}) {
            auto p = opts.find(word);
            if (p == std::string::npos) continue;
            auto v = opts.find(' ', p + std::string(word).size() + 1);
            set += " SET " + opts.substr(p, v == std::string::npos ? std::string::npos : v - p);
          }
          set += opts.find(" CYCLE") != std::string::npos ? " SET CYCLE" : " SET NO CYCLE";
          out.push_back(fmt::format("ALTER TABLE {} ALTER COLUMN {}{};", t, n, set));
        }
        if (a.has_comment != b.has_comment || a.comment != b.comment)
          out.push_back(fmt::format("COMMENT ON COLUMN {} IS {};", b.qname,
                                    b.has_comment ? lit(b.comment) : "NULL"));
        grants(out, "", "TABLE " + t, x.column_acl, y.column_acl, " (" + n + ")");
        break;
      }
      case ObjKind::constraint:
        if (!a.constraint.validated && b.constraint.validated)
          out.push_back(
              fmt::format("ALTER TABLE {} VALIDATE CONSTRAINT {};", table_of(b), b.qname));
        break;
      case ObjKind::view:
      case ObjKind::matview: {
        std::string word = b.kind == ObjKind::view ? "VIEW" : "MATERIALIZED VIEW";
        if (b.kind == ObjKind::view &&
            (a.view.definition != b.view.definition || a.view.columns != b.view.columns))
          out.push_back(fmt::format("CREATE OR REPLACE VIEW {} AS\n{};", b.qname,
                                    trim_def(b.view.definition)));
        reloptions(out, "ALTER " + word + " " + b.qname, a.view.options, b.view.options);
        if (a.extra != b.extra) {
          auto x = view_comments(a), y = view_comments(b);
          for (const auto& xc : x) {
            const std::string& col = xc.first;  // a named copy: clang 14 cannot capture bindings
            if (std::none_of(y.begin(), y.end(), [&](const auto& p) { return p.first == col; }))
              out.push_back(fmt::format("COMMENT ON COLUMN {}.{} IS NULL;", b.qname, col));
          }
          for (const auto& p : y)
            if (std::find(x.begin(), x.end(), p) == x.end())
              out.push_back(
                  fmt::format("COMMENT ON COLUMN {}.{} IS {};", b.qname, p.first, lit(p.second)));
        }
        break;
      }
      case ObjKind::trigger:
        if (a.trigger_enabled != b.trigger_enabled) out.push_back(trigger_state(b));
        break;
      case ObjKind::policy: {
        std::string s;
        if (a.policy_roles != b.policy_roles) s += " TO " + join(b.policy_roles);
        if (a.policy_using != b.policy_using) s += " USING (" + b.policy_using + ")";
        if (a.policy_check != b.policy_check) s += " WITH CHECK (" + b.policy_check + ")";
        if (!s.empty())
          out.push_back(fmt::format("ALTER POLICY {} ON {}{};", b.qname, table_of(b), s));
        break;
      }
      case ObjKind::publication:
        if (a.publish != b.publish || a.via_root != b.via_root)
          out.push_back(fmt::format(
              "ALTER PUBLICATION {} SET (publish = {}, publish_via_partition_root = {});", b.qname,
              lit(b.publish), b.via_root ? "true" : "false"));
        break;
      case ObjKind::default_acl:
        grants(out, default_acl_prefix(b), default_acl_target(b.objtype), a.acl, b.acl);
        break;
      case ObjKind::schema:
      case ObjKind::range_type:
      case ObjKind::index:
      case ObjKind::publication_rel:
        break;
    }
    if (b.kind != ObjKind::column && b.kind != ObjKind::default_acl) extras_altered(out, a, b);
    size_t n = add("alter " + c.key, 1000 + rank(b.kind) * 4 + 1, {join(out, "\n")});
    alter_of[c.key] = n;
    make_of[c.key] = n;
  }

  void edge(size_t before, size_t after, size_t part = 0) {
    if (before != after) edges.push_back({before, after, part});
  }

  DdlPlan run(const std::vector<Change>& list) {
    for (const auto& c : list) changes[c.key] = &c;
    // Drops (a sub-object dropped with its parent gets no statement of its own).
    std::map<std::string, std::string> folded;  // key -> key whose drop takes it
    for (const auto& c : list) {
      if (c.kind != ChangeKind::drop && c.kind != ChangeKind::recreate) continue;
      std::string with = c.kind == ChangeKind::drop ? dropped_with(*c.from) : "";
      if (!with.empty())
        folded[c.key] = with;
      else
        drop(c);
    }
    for (const auto& [key, with] : folded) {
      std::string k = with;
      while (!drop_of.count(k) && folded.count(k)) k = folded[k];
      if (drop_of.count(k)) drop_of[key] = drop_of[k];
    }
    // Creates: tables first so that their columns map to the table's node.
    for (const auto& c : list)
      if ((c.kind == ChangeKind::create || c.kind == ChangeKind::recreate) &&
          c.to->kind == ObjKind::table)
        create(c);
    for (const auto& c : list) {
      if (c.kind == ChangeKind::alter) alter(c);
      if ((c.kind == ChangeKind::create || c.kind == ChangeKind::recreate) &&
          c.to->kind != ObjKind::table) {
        const Object* parent = c.to->kind == ObjKind::column ? to.find(c.to->parent) : nullptr;
        auto pc = parent ? changes.find(parent->key) : changes.end();
        if (pc != changes.end() &&
            (pc->second->kind == ChangeKind::create || pc->second->kind == ChangeKind::recreate))
          continue;  // part of CREATE TABLE
        create(c);
      }
      if (c.kind == ChangeKind::recreate && drop_of.count(c.key) && make_of.count(c.key))
        edge(drop_of[c.key], make_of[c.key]);
    }
    // What a new or changed object needs comes first (`to`'s edges).
    for (const auto& d : to.deps) {
      auto bx = make_of.find(d.to);
      auto bd = make_of.find(d.from);
      if (bx == make_of.end() || bd == make_of.end()) continue;
      size_t part = 0;
      if (d.owned_by) {
        auto op = owned_part.find(d.from);
        if (op != owned_part.end()) part = op->second;
      } else if (d.via_default) {
        auto pp = part_of.find(d.from);
        if (pp != part_of.end()) part = pp->second;
      }
      edge(bx->second, bd->second, part);
    }
    // What a dropped object is needed by goes first (`from`'s edges).
    for (const auto& d : from.deps) {
      auto dx = drop_of.find(d.to);
      if (dx != drop_of.end()) {
        auto dd = drop_of.find(d.from);
        if (dd != drop_of.end()) edge(dd->second, dx->second);
        auto ad = alter_of.find(d.from);
        if (ad != alter_of.end()) edge(ad->second, dx->second);
      }
      auto ax = alter_of.find(d.to);
      auto dd = drop_of.find(d.from);
      if (ax != alter_of.end() && dd != drop_of.end()) edge(dd->second, ax->second);
    }
    // New columns of a table are appended in their order in `to`.
    std::map<std::string, std::map<int, size_t>> added;  // table key -> attnum -> node
    for (const auto& c : list)
      if ((c.kind == ChangeKind::create || c.kind == ChangeKind::recreate) &&
          c.to->kind == ObjKind::column && make_of.count(c.key) &&
          !(changes.count(c.to->parent) && (changes[c.to->parent]->kind == ChangeKind::create ||
                                            changes[c.to->parent]->kind == ChangeKind::recreate)))
        added[c.to->parent][c.to->column.num] = make_of[c.key];
    for (const auto& [t, cols] : added)
      for (auto it = cols.begin(); std::next(it) != cols.end(); ++it)
        edge(it->second, std::next(it)->second);
    ddl::SortResult sorted = ddl::sort_statements(std::move(nodes), std::move(edges));
    DdlPlan plan;
    plan.statements = std::move(sorted.statements);
    plan.repairs = std::move(sorted.repairs);
    plan.destructive = std::move(destructive);
    std::sort(plan.destructive.begin(), plan.destructive.end());
    return plan;
  }
};

}  // namespace

std::string DdlPlan::sql() const {
  std::string out;
  bool functions = std::any_of(statements.begin(), statements.end(), [](const std::string& s) {
    return s.find("CREATE OR REPLACE FUNCTION") != std::string::npos ||
           s.find("CREATE OR REPLACE PROCEDURE") != std::string::npos;
  });
  // As pg_dump does: SQL function bodies may name objects created later in this file.
  if (functions) out += "SET check_function_bodies = false;\n";
  for (const auto& s : statements) out += s + "\n";
  return out;
}

DdlPlan plan_ddl(const SchemaModel& from, const SchemaModel& to,
                 const std::vector<Change>& changes) {
  Writer w{from, to, {}, {}, {}, {}, {}, {}, {}, {}, {}};
  return w.run(changes);
}

std::string describe_changes(const std::vector<Change>& changes, const std::string& plus_note,
                             const std::string& minus_note) {
  std::string out;
  for (const auto& c : changes) {
    const Object& o = c.object();
    std::string name = fmt::format("{} {}", kind_name(o.kind), display_name(c.key));
    switch (c.kind) {
      case ChangeKind::create:
        out += "+ " + name + (plus_note.empty() ? "" : " " + plus_note) + "\n";
        break;
      case ChangeKind::drop:
        out += "- " + name + (minus_note.empty() ? "" : " " + minus_note) +
               (c.destructive ? " [destructive]" : "") + "\n";
        break;
      case ChangeKind::alter: {
        std::string d;
        for (const auto& x : c.details) d += (d.empty() ? "" : "; ") + x;
        out += "~ " + name + ": " + d + "\n";
        break;
      }
      case ChangeKind::recreate:
        out += "~ " + name + ": dropped and created again (" + c.reason + ")" +
               (c.destructive ? " [destructive]" : "") + "\n";
        break;
    }
  }
  return out;
}

}  // namespace strata
