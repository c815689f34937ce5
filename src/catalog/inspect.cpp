// Catalog inspection: a fixed handful of queries (one per object family, whatever the number of
// objects) read pg_catalog into a typed SchemaModel, then one pg_depend query gives the edges.
#include "catalog/inspect.hpp"

#include <fmt/format.h>

#include <cctype>
#include <nlohmann/json.hpp>

#include "catalog/user_schemas.hpp"

namespace strata {

const char* kind_name(ObjKind k) {
  switch (k) {
    case ObjKind::schema:
      return "schema";
    case ObjKind::extension:
      return "extension";
    case ObjKind::enum_type:
      return "enum";
    case ObjKind::domain:
      return "domain";
    case ObjKind::composite_type:
      return "type";
    case ObjKind::range_type:
      return "range type";
    case ObjKind::function:
      return "function";
    case ObjKind::sequence:
      return "sequence";
    case ObjKind::table:
      return "table";
    case ObjKind::column:
      return "column";
    case ObjKind::constraint:
      return "constraint";
    case ObjKind::index:
      return "index";
    case ObjKind::view:
      return "view";
    case ObjKind::matview:
      return "materialized view";
    case ObjKind::trigger:
      return "trigger";
    case ObjKind::policy:
      return "policy";
    case ObjKind::publication:
      return "publication";
    case ObjKind::publication_rel:
      return "publication table";
    case ObjKind::default_acl:
      return "default privileges";
  }
  return "object";
}

namespace {

using json = nlohmann::json;

// Namespace filter, `n` being pg_namespace.
std::string ns_filter(db::Connection& conn, const std::vector<std::string>& schemas) {
  if (schemas.empty()) return user_schema_condition(false);
  std::string list;
  for (const auto& s : schemas) list += (list.empty() ? "" : ",") + conn.quote_literal(s);
  return "n.nspname IN (" + list + ")";
}

std::string not_ext(const std::string& cls, const std::string& oid) {
  return fmt::format(
      "NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '{}'::regclass AND e.objid = {} "
      "AND e.deptype = 'e')",
      cls, oid);
}

// A JSON array of [grantee, privilege, grantable] from an aclitem[] expression.
std::string acl_json(const std::string& acl_expr) {
  return "(SELECT json_agg(json_build_array(CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE "
         "quote_ident(pg_get_userbyid(a.grantee)) END, a.privilege_type, a.is_grantable) ORDER "
         "BY a.o) FROM aclexplode(" +
         acl_expr + ") WITH ORDINALITY a(grantor, grantee, privilege_type, is_grantable, o))";
}
std::string acl_cols(const std::string& acl, char type, const std::string& owner) {
  return acl_json(fmt::format("coalesce({}, acldefault('{}', {}))", acl, type, owner)) + ", " +
         acl_json(fmt::format("acldefault('{}', {})", type, owner));
}

std::vector<AclItem> parse_acl(const std::string& text) {
  std::vector<AclItem> out;
  if (text.empty()) return out;
  for (const auto& a : json::parse(text))
    out.push_back({a[0].get<std::string>(), a[1].get<std::string>(), a[2].get<bool>()});
  return out;
}

std::vector<std::string> parse_list(const std::string& text) {
  std::vector<std::string> out;
  if (text.empty()) return out;
  for (const auto& a : json::parse(text)) out.push_back(a.is_null() ? "" : a.get<std::string>());
  return out;
}

// The server's keywords that an identifier must be quoted for (all but unreserved ones).
std::set<std::string> g_keywords;

// quote_ident() as the server does it, so keys match names the server prints (format_type).
std::string ident(const std::string& s) {
  bool plain = !s.empty() && (std::islower(static_cast<unsigned char>(s[0])) || s[0] == '_');
  for (char ch : s)
    if (!(std::islower(static_cast<unsigned char>(ch)) ||
          std::isdigit(static_cast<unsigned char>(ch)) || ch == '_' || ch == '$'))
      plain = false;
  if (plain && !g_keywords.count(s)) return s;
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

std::string qualify(const std::string& schema, const std::string& name, db::Connection&) {
  return ident(schema) + "." + ident(name);
}

struct Builder {
  db::Connection& conn;
  SchemaModel& model;
  std::string ns;
  std::map<std::pair<std::string, std::string>, std::string> by_oid;  // (catalog, oid) -> key
  std::map<std::pair<std::string, int>, std::string> columns;         // (rel oid, attnum) -> key

  Object& add(Object o, const std::string& cls, const std::string& oid) {
    if (!oid.empty()) by_oid[{cls, oid}] = o.key;
    auto [it, _] = model.objects.insert_or_assign(o.key, std::move(o));
    return it->second;
  }
  void common(Object& o, db::Result& r, int i, int owner_col, int comment_col) {
    if (owner_col >= 0) o.owner = r.get(i, owner_col);
    if (comment_col >= 0 && !r.is_null(i, comment_col)) {
      o.has_comment = true;
      o.comment = r.get(i, comment_col);
    }
  }
  void acl(Object& o, db::Result& r, int i, int col) {
    o.has_acl = true;
    o.acl = parse_acl(r.get(i, col));
    o.default_acl = parse_acl(r.get(i, col + 1));
  }

  void schemas() {
    auto r = conn.exec(
        "SELECT n.oid, n.nspname, quote_ident(pg_get_userbyid(n.nspowner)), d.description, " +
        acl_cols("n.nspacl", 'n', "n.nspowner") +
        " FROM pg_namespace n LEFT JOIN pg_description d ON d.objoid = n.oid AND d.classoid = "
        "'pg_namespace'::regclass WHERE " +
        ns + " AND n.nspname <> 'public'");
    for (int i = 0; i < r.rows(); ++i) {
      Object o;
      o.kind = ObjKind::schema;
      o.schema = o.name = r.get(i, 1);
      o.qname = ident(o.name);
      o.key = "schema:" + o.qname;
      common(o, r, i, 2, 3);
      acl(o, r, i, 4);
      add(std::move(o), "pg_namespace", r.get(i, 0));
    }
  }

  void extensions() {
    auto r = conn.exec(
        "SELECT e.oid, e.extname, n.nspname, e.extversion, "
        "quote_ident(pg_get_userbyid(e.extowner)), "
        "d.description FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace LEFT "
        "JOIN pg_description d ON d.objoid = e.oid AND d.classoid = 'pg_extension'::regclass "
        "WHERE " +
        ns);
    for (int i = 0; i < r.rows(); ++i) {
      Object o;
      o.kind = ObjKind::extension;
      o.name = r.get(i, 1);
      o.schema = r.get(i, 2);
      o.qname = ident(o.name);
      o.key = "extension:" + o.qname;
      o.version = r.get(i, 3);
      common(o, r, i, -1, 5);
      add(std::move(o), "pg_extension", r.get(i, 0));
    }
  }

  void types() {
    auto r = conn.exec(
        "SELECT t.oid, n.nspname, t.typname, t.typtype, quote_ident(pg_get_userbyid(t.typowner)), "
        "d.description, " +
        acl_cols("t.typacl", 'T', "t.typowner") +
        ", t.typarray, t.typrelid, "
        "(SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid "
        "= t.oid), "
        "format_type(t.typbasetype, t.typtypmod), t.typnotnull, t.typdefault, "
        "CASE WHEN t.typtype = 'd' AND t.typcollation <> bt.typcollation THEN (SELECT "
        "format('%I.%I', cn.nspname, co.collname) FROM pg_collation co JOIN pg_namespace cn ON "
        "cn.oid = co.collnamespace WHERE co.oid = t.typcollation) END, "
        "(SELECT json_agg(json_build_array(k.conname, pg_get_constraintdef(k.oid), k.convalidated, "
        "k.oid::text) ORDER BY k.conname) FROM pg_constraint k WHERE k.contypid = t.oid), "
        "(SELECT json_agg(json_build_array(a.attname, format_type(a.atttypid, a.atttypmod)) "
        "ORDER BY a.attnum) FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 "
        "AND NOT a.attisdropped), "
        "(SELECT concat_ws(', ', 'subtype = ' || format_type(rg.rngsubtype, NULL), "
        "CASE WHEN rg.rngsubopc <> (SELECT oc.oid FROM pg_opclass oc WHERE oc.opcmethod = 403 AND "
        "oc.opcintype = rg.rngsubtype AND oc.opcdefault LIMIT 1) THEN 'subtype_opclass = ' || "
        "(SELECT format('%I.%I', ocn.nspname, oc.opcname) FROM pg_opclass oc JOIN pg_namespace "
        "ocn ON ocn.oid = oc.opcnamespace WHERE oc.oid = rg.rngsubopc) END, "
        "CASE WHEN rg.rngcollation <> 0 AND rg.rngcollation <> st.typcollation THEN 'collation = "
        "' || (SELECT format('%I.%I', cn.nspname, co.collname) FROM pg_collation co JOIN "
        "pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = rg.rngcollation) END, "
        "CASE WHEN rg.rngcanonical <> 0 THEN 'canonical = ' || rg.rngcanonical::regproc::text "
        "END, CASE WHEN rg.rngsubdiff <> 0 THEN 'subtype_diff = ' || rg.rngsubdiff::regproc::text "
        "END, 'multirange_type_name = ' || (SELECT format('%I.%I', mn.nspname, mt.typname) FROM "
        "pg_type mt JOIN pg_namespace mn ON mn.oid = mt.typnamespace WHERE mt.oid = "
        "rg.rngmultitypid)) FROM pg_range rg JOIN pg_type st ON st.oid = rg.rngsubtype WHERE "
        "rg.rngtypid = t.oid), "
        "(SELECT rg.rngmultitypid FROM pg_range rg WHERE rg.rngtypid = t.oid), "
        "(SELECT mt.typarray FROM pg_range rg JOIN pg_type mt ON mt.oid = rg.rngmultitypid WHERE "
        "rg.rngtypid = t.oid) "
        "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace LEFT JOIN pg_type bt ON "
        "bt.oid = t.typbasetype LEFT JOIN pg_description d ON d.objoid = t.oid AND d.classoid = "
        "'pg_type'::regclass AND d.objsubid = 0 WHERE " +
        ns +
        " AND (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND (SELECT c.relkind FROM "
        "pg_class c WHERE c.oid = t.typrelid) = 'c')) AND " +
        not_ext("pg_type", "t.oid"));
    for (int i = 0; i < r.rows(); ++i) {
      Object o;
      char tt = r.get(i, 3)[0];
      o.kind = tt == 'e'   ? ObjKind::enum_type
               : tt == 'd' ? ObjKind::domain
               : tt == 'c' ? ObjKind::composite_type
                           : ObjKind::range_type;
      o.schema = r.get(i, 1);
      o.name = r.get(i, 2);
      o.qname = qualify(o.schema, o.name, conn);
      o.key = std::string(o.kind == ObjKind::domain ? "domain:" : "type:") + o.qname;
      common(o, r, i, 4, 5);
      acl(o, r, i, 6);
      o.type.labels = parse_list(r.get(i, 10));
      if (o.kind == ObjKind::domain) {
        o.type.base_type = r.get(i, 11);
        o.type.not_null = r.get(i, 12) == "t";
        if (!r.is_null(i, 13)) {
          // typdefault is the default's text as the server printed it at creation.
          o.type.default_expr = r.get(i, 13);
        }
        o.type.collation = r.get(i, 14);
        std::string checks = r.get(i, 15);
        if (!checks.empty())
          for (const auto& k : json::parse(checks)) {
            ConstraintInfo ci;
            ci.definition = k[1].get<std::string>();
            ci.validated = k[2].get<bool>();
            if (auto p = ci.definition.rfind(" NOT VALID"); p != std::string::npos)
              ci.definition.erase(p);
            o.type.checks.emplace_back(k[0].get<std::string>(), ci);
            by_oid[{"pg_constraint", k[3].get<std::string>()}] = o.key;
          }
      }
      std::string attrs = r.get(i, 16);
      if (!attrs.empty())
        for (const auto& a : json::parse(attrs))
          o.type.attributes.emplace_back(a[0].get<std::string>(), a[1].get<std::string>());
      o.type.range_body = r.get(i, 17);
      std::string key = o.key;
      add(std::move(o), "pg_type", r.get(i, 0));
      by_oid[{"pg_type", r.get(i, 8)}] = key;
      if (r.get(i, 9) != "0") by_oid[{"pg_class", r.get(i, 9)}] = key;
      if (!r.is_null(i, 18)) by_oid[{"pg_type", r.get(i, 18)}] = key;
      if (!r.is_null(i, 19)) by_oid[{"pg_type", r.get(i, 19)}] = key;
    }
  }

  void sequences() {
    auto r = conn.exec(
        "SELECT c.oid, n.nspname, c.relname, quote_ident(pg_get_userbyid(c.relowner)), "
        "d.description, " +
        acl_cols("c.relacl", 's', "c.relowner") +
        ", format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax, "
        "s.seqcache, s.seqcycle, (SELECT format('%I.%I.%I', tn.nspname, tc.relname, ta.attname) "
        "FROM pg_depend o JOIN pg_class tc ON tc.oid = o.refobjid JOIN pg_namespace tn ON tn.oid "
        "= tc.relnamespace JOIN pg_attribute ta ON ta.attrelid = o.refobjid AND ta.attnum = "
        "o.refobjsubid WHERE o.classid = 'pg_class'::regclass AND o.objid = c.oid AND "
        "o.refclassid = 'pg_class'::regclass AND o.deptype = 'a') "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_sequence s ON "
        "s.seqrelid = c.oid LEFT JOIN pg_description d ON d.objoid = c.oid AND d.classoid = "
        "'pg_class'::regclass AND d.objsubid = 0 WHERE " +
        ns +
        " AND c.relkind = 'S' AND NOT EXISTS (SELECT 1 FROM pg_depend i WHERE i.classid = "
        "'pg_class'::regclass AND i.objid = c.oid AND i.deptype = 'i') AND " +
        not_ext("pg_class", "c.oid"));
    for (int i = 0; i < r.rows(); ++i) {
      Object o;
      o.kind = ObjKind::sequence;
      o.schema = r.get(i, 1);
      o.name = r.get(i, 2);
      o.qname = qualify(o.schema, o.name, conn);
      o.key = "sequence:" + o.qname;
      common(o, r, i, 3, 4);
      acl(o, r, i, 5);
      auto& s = o.sequence;
      s.type = r.get(i, 7);
      s.start = std::stoll(r.get(i, 8));
      s.increment = std::stoll(r.get(i, 9));
      s.min = std::stoll(r.get(i, 10));
      s.max = std::stoll(r.get(i, 11));
      s.cache = std::stoll(r.get(i, 12));
      s.cycle = r.get(i, 13) == "t";
      s.owned_by = r.get(i, 14);
      add(std::move(o), "pg_class", r.get(i, 0));
    }
  }

  void relations() {
    auto r = conn.exec(
        "SELECT c.oid, n.nspname, c.relname, c.relkind, quote_ident(pg_get_userbyid(c.relowner)), "
        "d.description, " +
        acl_cols("c.relacl", 'r', "c.relowner") +
        ", c.relpersistence, array_to_json(c.reloptions), CASE WHEN c.relkind = 'p' THEN "
        "pg_get_partkeydef(c.oid) END, c.relispartition, pg_get_expr(c.relpartbound, c.oid), "
        "(SELECT json_agg(format('%I.%I', pn.nspname, pc.relname) ORDER BY h.inhseqno) FROM "
        "pg_inherits h JOIN pg_class pc ON pc.oid = h.inhparent JOIN pg_namespace pn ON pn.oid = "
        "pc.relnamespace WHERE h.inhrelid = c.oid), c.relrowsecurity, c.relforcerowsecurity, "
        "c.relreplident, c.reltype, CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) "
        "END, c.relispopulated, (SELECT w.oid FROM pg_rewrite w WHERE w.ev_class = c.oid AND "
        "w.rulename = '_RETURN'), (SELECT t.typarray FROM pg_type t WHERE t.oid = c.reltype) "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_description d "
        "ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0 WHERE " +
        ns + " AND c.relkind IN ('r', 'p', 'v', 'm') AND " + not_ext("pg_class", "c.oid"));
    for (int i = 0; i < r.rows(); ++i) {
      Object o;
      char rk = r.get(i, 3)[0];
      o.kind = rk == 'v' ? ObjKind::view : rk == 'm' ? ObjKind::matview : ObjKind::table;
      o.schema = r.get(i, 1);
      o.name = r.get(i, 2);
      o.qname = qualify(o.schema, o.name, conn);
      o.key = std::string(o.kind == ObjKind::table ? "table:" : "view:") + o.qname;
      common(o, r, i, 4, 5);
      acl(o, r, i, 6);
      auto options = parse_list(r.get(i, 9));
      std::vector<std::string> parents = parse_list(r.get(i, 13));
      if (o.kind == ObjKind::table) {
        auto& t = o.table;
        t.relkind = rk;
        t.unlogged = r.get(i, 8) == "u";
        t.reloptions = options;
        t.partition_key = r.get(i, 10);
        if (r.get(i, 11) == "t" && !parents.empty()) {
          t.partition_of = "table:" + parents[0];
          t.partition_bound = r.get(i, 12);
        } else {
          t.inherits = parents;
        }
        t.rls = r.get(i, 14) == "t";
        t.rls_forced = r.get(i, 15) == "t";
        t.replica_identity = r.get(i, 16)[0];
      } else {
        o.view.definition = r.get(i, 18);
        o.view.options = options;
        o.view.populated = r.get(i, 19) == "t";
      }
      std::string key = o.key;
      add(std::move(o), "pg_class", r.get(i, 0));
      by_oid[{"pg_type", r.get(i, 17)}] = key;
      if (!r.is_null(i, 21)) by_oid[{"pg_type", r.get(i, 21)}] = key;
      if (!r.is_null(i, 20)) by_oid[{"pg_rewrite", r.get(i, 20)}] = key;
    }
  }

  void attributes() {
    auto r = conn.exec(
        "SELECT c.oid, c.relkind, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod), "
        "CASE WHEN a.attcollation <> t.typcollation THEN (SELECT format('%I.%I', cn.nspname, "
        "co.collname) FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace "
        "WHERE co.oid = a.attcollation) END, pg_get_expr(ad.adbin, ad.adrelid), a.attgenerated, "
        "a.attidentity, a.attnotnull, a.attislocal, ad.oid, d.description, " +
        acl_json("a.attacl") +
        ", (SELECT format('SEQUENCE NAME %I.%I START WITH %s INCREMENT BY %s MINVALUE %s MAXVALUE "
        "%s CACHE %s%s', sn.nspname, sc.relname, s.seqstart, s.seqincrement, s.seqmin, s.seqmax, "
        "s.seqcache, CASE WHEN s.seqcycle THEN ' CYCLE' ELSE '' END) FROM pg_depend sd JOIN "
        "pg_sequence s ON s.seqrelid = sd.objid JOIN pg_class sc ON sc.oid = s.seqrelid JOIN "
        "pg_namespace sn ON sn.oid = sc.relnamespace WHERE a.attidentity <> '' AND sd.classid = "
        "'pg_class'::regclass AND sd.refobjid = c.oid AND sd.refobjsubid = a.attnum AND "
        "sd.deptype = 'i'), EXISTS (SELECT 1 FROM pg_depend fd WHERE fd.classid = "
        "'pg_attrdef'::regclass AND fd.objid = ad.oid AND fd.refclassid = 'pg_proc'::regclass AND "
        "fd.refobjid >= 16384) "
        "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid "
        "= c.relnamespace JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_attrdef ad ON "
        "ad.adrelid = a.attrelid AND ad.adnum = a.attnum LEFT JOIN pg_description d ON d.objoid "
        "= c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = a.attnum WHERE " +
        ns + " AND c.relkind IN ('r', 'p', 'v', 'm') AND a.attnum > 0 AND NOT a.attisdropped AND " +
        not_ext("pg_class", "c.oid") + " ORDER BY c.oid, a.attnum");
    for (int i = 0; i < r.rows(); ++i) {
      auto rel = by_oid.find({"pg_class", r.get(i, 0)});
      if (rel == by_oid.end()) continue;
      Object& owner = model.objects.at(rel->second);
      char rk = r.get(i, 1)[0];
      int num = std::stoi(r.get(i, 2));
      if (rk == 'v' || rk == 'm') {
        owner.view.columns.emplace_back(r.get(i, 3), r.get(i, 4));
        columns[{r.get(i, 0), num}] = owner.key;
        if (!r.is_null(i, 12)) {
          // A view column's comment: kept on the view as "column=comment" lines.
          owner.extra += ident(r.get(i, 3)) + "\n" + r.get(i, 12) + "\n\x1f";
        }
        continue;
      }
      Object o;
      o.kind = ObjKind::column;
      o.schema = owner.schema;
      o.name = r.get(i, 3);
      o.qname = owner.qname + "." + ident(o.name);
      o.key = "column:" + o.qname;
      o.parent = owner.key;
      auto& col = o.column;
      col.num = num;
      col.type = r.get(i, 4);
      col.collation = r.get(i, 5);
      col.default_expr = r.get(i, 6);
      col.generated = r.get(i, 7) == "s";
      col.identity = r.get(i, 8).empty() ? 0 : r.get(i, 8)[0];
      col.not_null = r.get(i, 9) == "t";
      col.local = r.get(i, 10) == "t";
      if (!r.is_null(i, 12)) {
        o.has_comment = true;
        o.comment = r.get(i, 12);
      }
      col.column_acl = parse_acl(r.get(i, 13));
      col.identity_opts = r.get(i, 14);
      col.default_uses_function = r.get(i, 15) == "t";
      std::string key = o.key;
      if (!r.is_null(i, 11)) by_oid[{"pg_attrdef", r.get(i, 11)}] = key;
      columns[{r.get(i, 0), num}] = key;
      model.objects.insert_or_assign(key, std::move(o));
    }
  }

  void constraints() {
    auto r = conn.exec(
        "SELECT k.oid, k.conrelid, k.conname, k.contype, pg_get_constraintdef(k.oid), "
        "k.convalidated, k.conindid, d.description FROM pg_constraint k JOIN pg_class c ON c.oid "
        "= k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_description d "
        "ON d.objoid = k.oid AND d.classoid = 'pg_constraint'::regclass WHERE " +
        ns +
        " AND k.contype IN ('p', 'u', 'c', 'f', 'x') AND k.conparentid = 0 AND k.conislocal AND "
        "c.relkind IN ('r', 'p')");
    for (int i = 0; i < r.rows(); ++i) {
      auto rel = by_oid.find({"pg_class", r.get(i, 1)});
      if (rel == by_oid.end()) continue;
      const Object& table = model.objects.at(rel->second);
      Object o;
      o.kind = ObjKind::constraint;
      o.schema = table.schema;
      o.name = r.get(i, 2);
      o.qname = ident(o.name);
      o.key = "constraint:" + table.qname + "." + o.qname;
      o.parent = table.key;
      o.constraint.type = r.get(i, 3)[0];
      o.constraint.definition = r.get(i, 4);
      if (auto p = o.constraint.definition.rfind(" NOT VALID"); p != std::string::npos)
        o.constraint.definition.erase(p);
      o.constraint.validated = r.get(i, 5) == "t";
      common(o, r, i, -1, 7);
      std::string key = o.key;
      add(std::move(o), "pg_constraint", r.get(i, 0));
      if (r.get(i, 6) != "0" && (r.get(i, 3) != "f")) by_oid[{"pg_class", r.get(i, 6)}] = key;
    }
  }

  void indexes() {
    auto r = conn.exec(
        "SELECT i.indexrelid, i.indrelid, ic.relname, pg_get_indexdef(i.indexrelid), "
        "d.description FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c "
        "ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN "
        "pg_description d ON d.objoid = ic.oid AND d.classoid = 'pg_class'::regclass AND "
        "d.objsubid = 0 WHERE " +
        ns +
        " AND c.relkind IN ('r', 'p', 'm') AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE "
        "k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x') AND k.conrelid = i.indrelid) "
        "AND NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.indexrelid)");
    for (int i = 0; i < r.rows(); ++i) {
      auto rel = by_oid.find({"pg_class", r.get(i, 1)});
      if (rel == by_oid.end()) continue;
      const Object& table = model.objects.at(rel->second);
      Object o;
      o.kind = ObjKind::index;
      o.schema = table.schema;
      o.name = r.get(i, 2);
      o.qname = qualify(o.schema, o.name, conn);
      o.key = "index:" + o.qname;
      o.parent = table.key;
      o.extra = r.get(i, 3);
      // A partitioned table's index is printed ON ONLY; created plainly it cascades to the
      // partitions, which is how they got theirs.
      if (auto p = o.extra.find(" ON ONLY "); p != std::string::npos) o.extra.replace(p, 9, " ON ");
      common(o, r, i, -1, 4);
      add(std::move(o), "pg_class", r.get(i, 0));
    }
  }

  void functions() {
    auto r = conn.exec(
        "SELECT p.oid, n.nspname, p.proname, oidvectortypes(p.proargtypes), "
        "pg_get_function_identity_arguments(p.oid), pg_get_function_arguments(p.oid), "
        "coalesce(pg_get_function_result(p.oid), ''), pg_get_functiondef(p.oid), p.prokind, "
        "quote_ident(pg_get_userbyid(p.proowner)), d.description, " +
        acl_cols("p.proacl", 'f', "p.proowner") +
        " FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace LEFT JOIN pg_description "
        "d ON d.objoid = p.oid AND d.classoid = 'pg_proc'::regclass WHERE " +
        ns + " AND p.prokind IN ('f', 'p') AND " + not_ext("pg_proc", "p.oid") +
        // Range and multirange constructors belong to their type.
        " AND NOT EXISTS (SELECT 1 FROM pg_depend i WHERE i.classid = 'pg_proc'::regclass AND "
        "i.objid = p.oid AND i.deptype = 'i')");
    for (int i = 0; i < r.rows(); ++i) {
      Object o;
      o.kind = ObjKind::function;
      o.schema = r.get(i, 1);
      o.name = r.get(i, 2);
      o.qname = qualify(o.schema, o.name, conn) + "(" + r.get(i, 4) + ")";
      o.key = "function:" + qualify(o.schema, o.name, conn) + "(" + r.get(i, 3) + ")";
      o.function.identity_args = r.get(i, 4);
      o.function.arguments = r.get(i, 5);
      o.function.result = r.get(i, 6);
      o.function.definition = r.get(i, 7);
      o.function.procedure = r.get(i, 8) == "p";
      common(o, r, i, 9, 10);
      acl(o, r, i, 11);
      add(std::move(o), "pg_proc", r.get(i, 0));
    }
  }

  void triggers() {
    auto r = conn.exec(
        "SELECT t.oid, t.tgrelid, t.tgname, pg_get_triggerdef(t.oid), t.tgenabled, d.description "
        "FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = "
        "c.relnamespace LEFT JOIN pg_description d ON d.objoid = t.oid AND d.classoid = "
        "'pg_trigger'::regclass WHERE " +
        ns + " AND NOT t.tgisinternal AND t.tgparentid = 0");
    for (int i = 0; i < r.rows(); ++i) {
      auto rel = by_oid.find({"pg_class", r.get(i, 1)});
      if (rel == by_oid.end()) continue;
      const Object& table = model.objects.at(rel->second);
      Object o;
      o.kind = ObjKind::trigger;
      o.schema = table.schema;
      o.name = r.get(i, 2);
      o.qname = ident(o.name);
      o.key = "trigger:" + table.qname + "." + o.qname;
      o.parent = table.key;
      o.extra = r.get(i, 3);
      o.trigger_enabled = r.get(i, 4)[0];
      common(o, r, i, -1, 5);
      add(std::move(o), "pg_trigger", r.get(i, 0));
    }
  }

  void policies() {
    auto r = conn.exec(
        "SELECT p.oid, p.polrelid, p.polname, p.polpermissive, CASE p.polcmd WHEN 'r' THEN "
        "'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' "
        "END, (SELECT json_agg(CASE WHEN x = 0 THEN 'public' ELSE quote_ident(pg_get_userbyid(x)) "
        "END ORDER BY 1) FROM unnest(p.polroles) x), pg_get_expr(p.polqual, p.polrelid), "
        "pg_get_expr(p.polwithcheck, p.polrelid), d.description FROM pg_policy p JOIN pg_class c "
        "ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN "
        "pg_description d ON d.objoid = p.oid AND d.classoid = 'pg_policy'::regclass WHERE " +
        ns);
    for (int i = 0; i < r.rows(); ++i) {
      auto rel = by_oid.find({"pg_class", r.get(i, 1)});
      if (rel == by_oid.end()) continue;
      const Object& table = model.objects.at(rel->second);
      Object o;
      o.kind = ObjKind::policy;
      o.schema = table.schema;
      o.name = r.get(i, 2);
      o.qname = ident(o.name);
      o.key = "policy:" + table.qname + "." + o.qname;
      o.parent = table.key;
      o.permissive = r.get(i, 3) == "t";
      o.policy_cmd = r.get(i, 4);
      o.policy_roles = parse_list(r.get(i, 5));
      std::sort(o.policy_roles.begin(), o.policy_roles.end());
      o.policy_using = r.get(i, 6);
      o.policy_check = r.get(i, 7);
      common(o, r, i, -1, 8);
      add(std::move(o), "pg_policy", r.get(i, 0));
    }
  }

  void publications() {
    auto r = conn.exec(
        "SELECT p.oid, p.pubname, quote_ident(pg_get_userbyid(p.pubowner)), d.description, "
        "p.puballtables, concat_ws(', ', CASE WHEN p.pubinsert THEN 'insert' END, CASE WHEN "
        "p.pubupdate THEN 'update' END, CASE WHEN p.pubdelete THEN 'delete' END, CASE WHEN "
        "p.pubtruncate THEN 'truncate' END), p.pubviaroot FROM pg_publication p LEFT JOIN "
        "pg_description d ON d.objoid = p.oid AND d.classoid = 'pg_publication'::regclass");
    for (int i = 0; i < r.rows(); ++i) {
      Object o;
      o.kind = ObjKind::publication;
      o.name = r.get(i, 1);
      o.qname = ident(o.name);
      o.key = "publication:" + o.qname;
      common(o, r, i, 2, 3);
      o.all_tables = r.get(i, 4) == "t";
      o.publish = r.get(i, 5);
      o.via_root = r.get(i, 6) == "t";
      add(std::move(o), "pg_publication", r.get(i, 0));
    }
    auto m = conn.exec(
        "SELECT pr.oid, p.pubname, pr.prrelid, pg_get_expr(pr.prqual, pr.prrelid), (SELECT "
        "string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) FROM pg_attribute a WHERE "
        "a.attrelid = pr.prrelid AND a.attnum = ANY (pr.prattrs)) FROM pg_publication_rel pr "
        "JOIN pg_publication p ON p.oid = pr.prpubid JOIN pg_class c ON c.oid = pr.prrelid JOIN "
        "pg_namespace n ON n.oid = c.relnamespace WHERE " +
        ns);
    for (int i = 0; i < m.rows(); ++i) {
      auto rel = by_oid.find({"pg_class", m.get(i, 2)});
      if (rel == by_oid.end()) continue;
      const Object& table = model.objects.at(rel->second);
      Object o;
      o.kind = ObjKind::publication_rel;
      o.schema = table.schema;
      o.role = ident(m.get(i, 1));
      o.name = m.get(i, 1);
      o.qname = table.qname;
      o.parent = table.key;
      o.key = "publication_rel:" + o.role + "." + table.qname;
      o.extra = (m.is_null(i, 4) ? "" : " (" + m.get(i, 4) + ")") +
                (m.is_null(i, 3) ? "" : " WHERE (" + m.get(i, 3) + ")");
      add(std::move(o), "pg_publication_rel", m.get(i, 0));
    }
  }

  void default_acls() {
    auto r = conn.exec(
        "SELECT quote_ident(pg_get_userbyid(da.defaclrole)), n.nspname, da.defaclobjtype, " +
        acl_json("da.defaclacl") + ", CASE WHEN n.oid IS NULL THEN " +
        acl_json("acldefault(CASE da.defaclobjtype WHEN 'S' THEN 's' ELSE da.defaclobjtype END, "
                 "da.defaclrole)") +
        " END FROM pg_default_acl da LEFT JOIN pg_namespace n ON n.oid = da.defaclnamespace WHERE "
        "n.oid IS NULL OR (" +
        ns + ")");
    for (int i = 0; i < r.rows(); ++i) {
      Object o;
      o.kind = ObjKind::default_acl;
      o.role = r.get(i, 0);
      o.schema = r.get(i, 1);
      o.objtype = r.get(i, 2)[0];
      o.name = o.schema.empty() ? "" : ident(o.schema);
      o.key = fmt::format("default_acl:{}.{}.{}", o.role, o.schema.empty() ? "" : ident(o.schema),
                          o.objtype);
      o.qname = o.key.substr(12);
      o.acl = parse_acl(r.get(i, 3));
      o.default_acl = parse_acl(r.get(i, 4));
      model.objects.insert_or_assign(o.key, std::move(o));
    }
  }

  void dependencies() {
    auto r = conn.exec(
        "SELECT classid::regclass::text, objid, objsubid, refclassid::regclass::text, refobjid, "
        "refobjsubid, deptype FROM pg_depend WHERE deptype IN ('n', 'a') AND objid >= 16384 AND "
        "refobjid >= 16384");
    auto resolve = [&](const std::string& cls, const std::string& oid, int sub) -> std::string {
      if (cls == "pg_class" && sub > 0) {
        auto c = columns.find({oid, sub});
        if (c != columns.end()) return c->second;
      }
      auto it = by_oid.find({cls, oid});
      return it == by_oid.end() ? std::string() : it->second;
    };
    std::set<std::tuple<std::string, std::string, bool, bool>> seen;
    for (int i = 0; i < r.rows(); ++i) {
      std::string from = resolve(r.get(i, 0), r.get(i, 1), std::stoi(r.get(i, 2)));
      std::string to = resolve(r.get(i, 3), r.get(i, 4), std::stoi(r.get(i, 5)));
      if (from.empty() || to.empty() || from == to) continue;
      const Object* f = model.find(from);
      bool owned_by = f && f->kind == ObjKind::sequence && r.get(i, 6) == "a";
      bool via_default = r.get(i, 0) == "pg_attrdef";
      if (seen.insert({from, to, owned_by, via_default}).second)
        model.deps.push_back({from, to, owned_by, via_default});
    }
    // Sub-objects need their table; columns of a view are the view.
    for (const auto& [key, o] : model.objects)
      if (!o.parent.empty() && seen.insert({key, o.parent, false, false}).second)
        model.deps.push_back({key, o.parent, false, false});
  }
};

}  // namespace

SchemaModel inspect_schema(db::Connection& conn, const std::vector<std::string>& schemas) {
  SchemaModel model;
  if (g_keywords.empty()) {
    auto k = conn.exec("SELECT word FROM pg_get_keywords() WHERE catcode <> 'U'");
    for (int i = 0; i < k.rows(); ++i) g_keywords.insert(k.get(i, 0));
  }
  Builder b{conn, model, ns_filter(conn, schemas), {}, {}};
  model.current_user = conn.exec("SELECT quote_ident(current_user)").get(0, 0);
  // Every name the server prints (types, defaults, view bodies, policies) schema-qualified, so
  // the SQL means the same whatever search_path applies it; restored afterwards.
  std::string path = conn.exec("SELECT current_setting('search_path')").get(0, 0);
  std::string jit = conn.exec("SELECT current_setting('jit')").get(0, 0);
  conn.exec("SELECT set_config('search_path', '', false)");
  // The catalog queries are costed high enough to be JIT-compiled, which takes longer than
  // running them (about 0.3 s per query on a 350-table schema).
  conn.exec("SELECT set_config('jit', 'off', false)");
  b.schemas();
  b.extensions();
  b.types();
  b.sequences();
  b.relations();
  b.attributes();
  b.constraints();
  b.indexes();
  b.functions();
  b.triggers();
  b.policies();
  b.publications();
  b.default_acls();
  b.dependencies();
  conn.exec("SELECT set_config('search_path', " + conn.quote_literal(path) + ", false)");
  conn.exec("SELECT set_config('jit', " + conn.quote_literal(jit) + ", false)");
  return model;
}

}  // namespace strata
