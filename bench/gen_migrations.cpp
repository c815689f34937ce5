// gen_migrations: benchmark-fixture generator for strata (bench/run.sh).
//
// Writes N realistic, deterministic Supabase-style migrations to
//   OUTDIR/supabase/migrations/<14-digit version>_<name>.sql
// plus OUTDIR/all.sql (every migration concatenated in order, for the
// `psql -1 -f all.sql` baseline). Output depends only on N and --seed.
//
// The migrations apply cleanly, in order, on a plain PostgreSQL 15 database
// (no extensions, no roles other than PUBLIC). They mix CREATE TABLE (identity
// bigint pk, text/timestamptz/jsonb columns, FKs to earlier tables), CREATE
// INDEX, plpgsql functions with dollar-quoted bodies containing semicolons,
// triggers, RLS + CREATE POLICY ... TO public, COMMENT ON, INSERT/UPDATE,
// ALTER TABLE ADD COLUMN, CREATE TYPE ... AS ENUM, DO blocks and CREATE VIEW,
// with roughly 5-15 statements per file. No file contains BEGIN/COMMIT.
//
// Usage: gen_migrations N OUTDIR [--seed S]
// Build: g++ -O2 -std=c++20 -o gen_migrations gen_migrations.cpp

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

// splitmix64: portable and deterministic (std distributions are not).
struct Rng {
  uint64_t s;
  uint64_t next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  uint64_t below(uint64_t n) { return n ? next() % n : 0; }
  int range(int lo, int hi) {
    return lo + static_cast<int>(below(static_cast<uint64_t>(hi - lo + 1)));
  }
  bool chance(int pct) { return static_cast<int>(below(100)) < pct; }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[below(v.size())];
  }
};

struct Col {
  std::string name;
  std::string
      type;  // "text", "jsonb", "timestamptz", "int", "bool", "numeric", "uuid", "enum", "textarr"
};

struct Table {
  std::string name;
  std::string parent;  // empty if no FK
  std::vector<Col> cols;
  bool rls = false;
  bool before_write = false;
  bool audit = false;
  bool touch = false;
  int policies = 0;
  int views = 0;
  int fns = 0;
  int checks = 0;
  int rows = 0;
};

const std::vector<std::string> kNouns = {
    "profiles",    "organizations", "projects",      "tasks",       "comments",  "invoices",
    "payments",    "products",      "orders",        "order_items", "customers", "addresses",
    "teams",       "memberships",   "notifications", "messages",    "channels",  "documents",
    "attachments", "tags",          "categories",    "events",      "sessions",  "subscriptions",
    "plans",       "coupons",       "reviews",       "ratings",     "shipments", "warehouses",
    "inventory",   "suppliers",     "contracts",     "tickets",     "sprints",   "milestones",
    "releases",    "deployments",   "environments",  "webhooks",    "api_keys",  "reports",
    "dashboards",  "widgets",       "metrics",       "alerts",      "incidents", "schedules",
    "bookings",    "rooms",         "venues",        "courses",     "lessons",   "enrollments",
    "quizzes",     "answers",       "posts",         "likes",       "follows",   "bookmarks",
    "feeds",       "media",         "playlists",     "tracks",      "albums",    "artists",
    "invites",     "workspaces",    "folders",       "labels",      "votes",     "polls",
    "surveys",     "responses",     "devices"};

struct ColSpec {
  const char* name;
  const char* type;     // for Col::type
  const char* sqltype;  // SQL type + default/constraints
  const char* update;   // expression used in UPDATE backfills (may be null)
};

const std::vector<ColSpec> kAddCols = {
    {"status", "text", "text not null default 'active'", "'active'"},
    {"priority", "int", "smallint not null default 0", "1"},
    {"score", "numeric", "numeric(10,2) default 0", "round((random() * 100)::numeric, 2)"},
    {"archived_at", "timestamptz", "timestamptz", nullptr},
    {"metadata", "jsonb", "jsonb not null default '{}'::jsonb",
     "jsonb_build_object('backfilled', true)"},
    {"tags", "textarr", "text[] not null default '{}'", "array['imported']"},
    {"notes", "text", "text", "'backfilled; see migration'"},
    {"external_ref", "text", "text", "'ext-' || id::text"},
    {"sort_order", "int", "integer not null default 0", "id::integer"},
    {"is_public", "bool", "boolean not null default false", "true"},
    {"locale", "text", "text not null default 'en'", nullptr},
    {"timezone", "text", "text default 'UTC'", nullptr},
    {"color", "text", "text check (color is null or color ~ '^#[0-9a-f]{6}$')", "'#a1b2c3'"},
    {"version", "int", "integer not null default 1", nullptr},
    {"published_at", "timestamptz", "timestamptz", "now()"},
    {"expires_at", "timestamptz", "timestamptz default (now() + interval '30 days')", nullptr},
    {"deleted_at", "timestamptz", "timestamptz", nullptr},
    {"settings", "jsonb", "jsonb default '{\"notify\": true}'::jsonb", nullptr},
    {"checksum", "text", "text", "md5(name)"},
    {"source", "text", "text not null default 'web'", nullptr},
    {"public_id", "uuid", "uuid not null default gen_random_uuid()", nullptr},
};

const std::vector<std::string> kWords = {
    "alpha",  "bravo", "charlie", "delta", "echo",     "foxtrot", "golf", "hotel",  "india",
    "juliet", "kilo",  "lima",    "mike",  "november", "oscar",   "papa", "quebec", "romeo"};

std::string sql_str(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "''";
    else
      out += c;
  }
  return out + "'";
}

// Howard Hinnant's civil_from_days.
void civil_from_days(int64_t z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t yy = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(yy + (m <= 2));
}

std::string version_string(int64_t epoch) {
  int64_t days = epoch / 86400;
  int64_t secs = epoch % 86400;
  int y;
  unsigned mo, d;
  civil_from_days(days, y, mo, d);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02u%02u%02d%02d%02d", y, mo, d,
                static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60),
                static_cast<int>(secs % 60));
  return buf;
}

class Gen {
 public:
  explicit Gen(uint64_t seed) : rng{seed * 0x2545F4914F6CDD1DULL + 0x1234567ULL} {}

  // Returns {name, sql}.
  std::pair<std::string, std::string> migration(int idx) {
    stmts.clear();
    std::string name;
    if (idx == 0) {
      name = init();
    } else {
      int k = static_cast<int>(rng.below(100));
      if (tables.size() < 3 || k < 34)
        name = create_table();
      else if (k < 54)
        name = add_columns();
      else if (k < 69)
        name = functions_and_triggers();
      else if (k < 79)
        name = views();
      else if (k < 89)
        name = rls();
      else
        name = seed();
    }
    std::ostringstream os;
    os << "-- Migration: " << name << "\n-- Generated by strata bench/gen_migrations (seed "
       << seed_ << ")\n\n";
    for (const auto& s : stmts) os << s << "\n\n";
    return {name, os.str()};
  }

  uint64_t seed_ = 1;

 private:
  Rng rng;
  std::vector<std::string> stmts;
  std::vector<Table> tables;
  std::set<std::string> relnames;  // tables, views, indexes, types (one namespace here)
  std::set<std::string> fnnames;
  std::map<std::string, int> noun_uses;

  std::string unique_rel(const std::string& base) {
    std::string n = base.substr(0, 55);
    for (int i = 2; relnames.count(n); ++i) n = base.substr(0, 55) + "_" + std::to_string(i);
    relnames.insert(n);
    return n;
  }
  std::string unique_fn(const std::string& base) {
    std::string n = base.substr(0, 55);
    for (int i = 2; fnnames.count(n); ++i) n = base.substr(0, 55) + "_" + std::to_string(i);
    fnnames.insert(n);
    return n;
  }
  void add(std::string s) { stmts.push_back(std::move(s)); }
  int target() { return rng.range(5, 15); }

  Table& pick_table() { return tables[rng.below(tables.size())]; }
  // Prefer recent tables a bit (as real projects do), but any is valid.
  Table& pick_table_recentish() {
    if (tables.size() > 8 && rng.chance(60)) return tables[tables.size() - 1 - rng.below(8)];
    return pick_table();
  }

  const Col* pick_col(const Table& t, const std::string& type) {
    std::vector<const Col*> v;
    for (const auto& c : t.cols)
      if (c.type == type) v.push_back(&c);
    return v.empty() ? nullptr : v[rng.below(v.size())];
  }

  std::string jsonb_literal() {
    std::ostringstream os;
    os << "'{\"source\": \"seed\", \"rank\": " << rng.range(1, 999) << ", \"tags\": [\""
       << rng.pick(kWords) << "\", \"" << rng.pick(kWords) << "\"]";
    if (rng.chance(30)) os << ", \"note\": \"contains; semicolons; and \\\"quotes\\\"\"";
    os << "}'::jsonb";
    return os.str();
  }

  std::string row_name(Table& t) {
    ++t.rows;
    std::string base = t.name + " " + rng.pick(kWords) + " #" + std::to_string(t.rows);
    if (rng.chance(15)) base += " (O'Reilly; Ltd)";
    return sql_str(base);
  }

  void insert_rows(Table& t, int n) {
    std::ostringstream os;
    os << "insert into public." << t.name << " (name, data";
    if (!t.parent.empty()) os << ", " << t.parent << "_id";
    os << ")\nvalues";
    for (int i = 0; i < n; ++i) {
      os << (i ? ",\n  " : "\n  ") << "(" << row_name(t) << ", " << jsonb_literal();
      if (!t.parent.empty())
        os << ", (select id from public." << t.parent << " order by id limit 1)";
      os << ")";
    }
    os << ";";
    add(os.str());
  }

  // One extra valid statement touching table t.
  void filler(Table& t) {
    switch (rng.below(7)) {
      case 0: {
        const Col* c = pick_col(t, rng.chance(50) ? "text" : "timestamptz");
        if (!c) c = &t.cols[0];
        std::string idx = unique_rel(t.name + "_" + c->name + "_idx");
        add("create index " + idx + " on public." + t.name + " (" + c->name + ");");
        break;
      }
      case 1: {
        const Col& c = t.cols[rng.below(t.cols.size())];
        add("comment on column public." + t.name + "." + c.name + " is " +
            sql_str("The " + c.name + " of a " + t.name + " row; maintained by the app.") + ";");
        break;
      }
      case 2:
        insert_rows(t, rng.range(1, 4));
        break;
      case 3: {
        std::string cname = t.name.substr(0, 40) + "_chk_" + std::to_string(++t.checks);
        if (rng.chance(50))
          add("alter table public." + t.name + " add constraint " + cname +
              " check (length(name) <= 500);");
        else
          add("alter table public." + t.name + " add constraint " + cname +
              " check (jsonb_typeof(data) = 'object');");
        break;
      }
      case 4:
        add("update public." + t.name +
            "\nset data = data || jsonb_build_object('touched', true, 'note', 'a;b')"
            "\nwhere id in (select id from public." +
            t.name + " order by id limit 2);");
        break;
      case 5: {
        std::string idx = unique_rel(t.name + "_data_gin_idx");
        add("create index " + idx + " on public." + t.name + " using gin (data jsonb_path_ops);");
        break;
      }
      default:
        add("comment on table public." + t.name + " is " +
            sql_str("Holds " + t.name + "; updated " + rng.pick(kWords) + ".") + ";");
        break;
    }
  }

  void fill_to(Table& t, int want) {
    while (static_cast<int>(stmts.size()) < want) filler(t);
  }

  void enable_rls(Table& t) {
    if (!t.rls) {
      add("alter table public." + t.name + " enable row level security;");
      t.rls = true;
    }
    int n = rng.range(1, 3);
    for (int i = 0; i < n; ++i) {
      int p = ++t.policies;
      std::string pname = "\"" + t.name + " policy " + std::to_string(p) + "\"";
      switch (p % 4) {
        case 1:
          add("create policy " + pname + " on public." + t.name +
              "\n  for select to public\n  using (true);");
          break;
        case 2:
          add("create policy " + pname + " on public." + t.name +
              "\n  for insert to public\n  with check (data is not null and length(name) > 0);");
          break;
        case 3:
          add("create policy " + pname + " on public." + t.name +
              "\n  for update to public\n  using (created_at <= now())\n  with check "
              "(jsonb_typeof(data) = 'object');");
          break;
        default:
          add("create policy " + pname + " on public." + t.name +
              "\n  as restrictive for delete to public\n  using (created_at < now() - interval '1 "
              "day');");
          break;
      }
    }
  }

  void touch_trigger(Table& t) {
    add("create trigger " + t.name.substr(0, 40) + "_touch_updated_at\n  before update on public." +
        t.name + "\n  for each row execute function public.touch_updated_at();");
    t.touch = true;
  }

  std::string init() {
    add("/* Core infrastructure shared by later migrations; keep idempotent-ish. */\n"
        "create table public.audit_log (\n"
        "  id bigint generated always as identity primary key,\n"
        "  table_name text not null,\n"
        "  op text not null,\n"
        "  row_id bigint,\n"
        "  payload jsonb not null default '{}'::jsonb,\n"
        "  created_at timestamptz not null default now()\n"
        ");");
    relnames.insert("audit_log");
    add("create index audit_log_table_name_created_at_idx on public.audit_log (table_name, "
        "created_at desc);");
    relnames.insert("audit_log_table_name_created_at_idx");
    add("create or replace function public.touch_updated_at()\n"
        "returns trigger\nlanguage plpgsql\nas $$\nbegin\n"
        "  new.updated_at := now();\n  return new;\nend;\n$$;");
    add("create or replace function public.audit_row()\n"
        "returns trigger\nlanguage plpgsql\nsecurity definer\nset search_path = public\nas $$\n"
        "declare\n  v_id bigint;\nbegin\n"
        "  if tg_op = 'DELETE' then\n    v_id := old.id;\n  else\n    v_id := new.id;\n  end if;\n"
        "  insert into public.audit_log (table_name, op, row_id, payload)\n"
        "  values (tg_table_name, tg_op, v_id,\n"
        "          case when tg_op = 'DELETE' then to_jsonb(old) else to_jsonb(new) end);\n"
        "  return coalesce(new, old);\nend;\n$$;");
    fnnames.insert("touch_updated_at");
    fnnames.insert("audit_row");
    add("comment on table public.audit_log is 'Row-level audit trail; written by audit_row().';");
    add("comment on function public.touch_updated_at() is 'Sets updated_at := now(); use in BEFORE "
        "UPDATE triggers.';");
    add("alter table public.audit_log enable row level security;");
    add("create policy \"audit_log readable\" on public.audit_log for select to public using "
        "(true);");
    return "init_core";
  }

  std::string create_table() {
    const std::string& noun = rng.pick(kNouns);
    int u = noun_uses[noun]++;
    std::string name = u ? noun + "_" + std::to_string(u + 1) : noun;
    name = unique_rel(name);
    Table t;
    t.name = name;
    if (!tables.empty() && rng.chance(65)) t.parent = pick_table_recentish().name;

    std::ostringstream os;
    os << "create table public." << name << " (\n";
    os << "  id bigint generated " << (rng.chance(70) ? "always" : "by default")
       << " as identity primary key,\n";
    if (!t.parent.empty()) {
      os << "  " << t.parent << "_id bigint references public." << t.parent << " (id) on delete "
         << (rng.chance(50) ? "cascade" : "set null") << ",\n";
      t.cols.push_back({t.parent + "_id", "bigint"});
    }
    os << "  name text not null,\n";
    t.cols.push_back({"name", "text"});
    if (rng.chance(40)) {
      os << "  slug text unique,\n";
      t.cols.push_back({"slug", "text"});
      relnames.insert(name + "_slug_key");
    }
    if (rng.chance(50)) {
      os << "  description text,\n";
      t.cols.push_back({"description", "text"});
    }
    if (rng.chance(30)) {
      os << "  kind text not null default 'standard' check (kind in ('standard', 'premium', "
            "'internal')),\n";
      t.cols.push_back({"kind", "text"});
    }
    if (rng.chance(25)) {
      os << "  amount numeric(12,2) not null default 0,\n";
      t.cols.push_back({"amount", "numeric"});
    }
    if (rng.chance(25)) {
      os << "  external_id uuid not null default gen_random_uuid(),\n";
      t.cols.push_back({"external_id", "uuid"});
    }
    os << "  data jsonb not null default '{}'::jsonb,\n";
    t.cols.push_back({"data", "jsonb"});
    os << "  created_at timestamptz not null default now(),\n";
    os << "  updated_at timestamptz not null default now()\n);";
    t.cols.push_back({"created_at", "timestamptz"});
    t.cols.push_back({"updated_at", "timestamptz"});
    relnames.insert(name + "_pkey");
    add(os.str());

    int want = target();
    if (!t.parent.empty())
      add("create index " + unique_rel(name + "_" + t.parent + "_id_idx") + " on public." + name +
          " (" + t.parent + "_id);");
    add("create index " + unique_rel(name + "_created_at_idx") + " on public." + name +
        " (created_at desc);");
    add("comment on table public." + name + " is " +
        sql_str("Stores " + name + (t.parent.empty() ? "" : " (belongs to " + t.parent + ")") +
                "; created by migration.") +
        ";");
    tables.push_back(std::move(t));
    Table& tr = tables.back();
    if (rng.chance(50)) enable_rls(tr);
    if (rng.chance(40)) touch_trigger(tr);
    if (rng.chance(60)) insert_rows(tr, rng.range(2, 5));
    fill_to(tr, want);
    return "create_" + name;
  }

  std::string add_columns() {
    Table& t = pick_table_recentish();
    int want = target();
    int n = rng.range(1, 3);
    std::string first;
    for (int i = 0; i < n; ++i) {
      std::string cname, ctype, sqltype;
      const char* upd = nullptr;
      if (rng.chance(12)) {
        // A fresh enum type used by the new column.
        std::string tname = unique_rel(t.name.substr(0, 40) + "_state");
        add("create type public." + tname + " as enum ('draft', 'pending', 'live', 'retired');");
        cname = "state";
        ctype = "enum";
        sqltype = "public." + tname + " not null default 'draft'";
        upd = "'pending'";
      } else {
        const ColSpec& cs = kAddCols[rng.below(kAddCols.size())];
        cname = cs.name;
        ctype = cs.type;
        sqltype = cs.sqltype;
        upd = cs.update;
      }
      std::string base = cname;
      for (int k = 2;; ++k) {
        bool clash = false;
        for (const auto& c : t.cols) clash |= c.name == cname;
        if (!clash) break;
        cname = base + "_" + std::to_string(k);
      }
      if (ctype == "text" && sqltype.find("check (color") != std::string::npos &&
          cname != "color") {
        // keep check constraint referring to the right column name
        sqltype = "text check (" + cname + " is null or " + cname + " ~ '^#[0-9a-f]{6}$')";
      }
      add("alter table public." + t.name + " add column " + cname + " " + sqltype + ";");
      t.cols.push_back({cname, ctype});
      if (first.empty()) first = cname;
      if (upd && rng.chance(50))
        add("update public." + t.name + " set " + cname + " = " + upd + " where id % 2 = 0;");
      if (rng.chance(50))
        add("comment on column public." + t.name + "." + cname + " is " +
            sql_str("Added later; semantics: " + rng.pick(kWords) + ".") + ";");
      if (ctype != "jsonb" && ctype != "textarr" && rng.chance(40))
        add("create index " + unique_rel(t.name.substr(0, 40) + "_" + cname + "_idx") +
            " on public." + t.name + " (" + cname + ");");
    }
    fill_to(t, want);
    return "add_" + first + "_to_" + t.name;
  }

  std::string functions_and_triggers() {
    Table& t = pick_table_recentish();
    int want = target();
    const std::string& T = t.name;
    std::string short_t = T.substr(0, 40);

    if (!t.before_write) {
      std::string fn = unique_fn(short_t + "_before_write");
      add("create or replace function public." + fn +
          "()\nreturns trigger\nlanguage plpgsql\nas $$\n"
          "begin\n"
          "  -- normalise; reject blanks\n"
          "  if new.name is null or length(trim(new.name)) = 0 then\n"
          "    raise exception 'name must not be empty; table=%', tg_table_name;\n"
          "  end if;\n"
          "  new.name := trim(new.name);\n"
          "  new.data := coalesce(new.data, '{}'::jsonb);\n"
          "  new.updated_at := now();\n"
          "  return new;\n"
          "end;\n$$;");
      add("create trigger " + short_t + "_before_write\n  before insert or update on public." + T +
          "\n  for each row execute function public." + fn + "();");
      t.before_write = true;
    } else if (!t.touch) {
      touch_trigger(t);
    }
    if (!t.audit && rng.chance(60)) {
      add("create trigger " + short_t + "_audit\n  after insert or update or delete on public." +
          T + "\n  for each row execute function public.audit_row();");
      t.audit = true;
    }
    {
      std::string fn = unique_fn(short_t + "_search");
      add("create or replace function public." + fn +
          "(p_query text, p_limit integer default 20)\nreturns setof public." + T +
          "\nlanguage plpgsql\nstable\nas $fn$\nbegin\n"
          "  return query\n    select *\n    from public." +
          T +
          "\n    where name ilike '%' || p_query || '%'\n"
          "    order by created_at desc\n    limit p_limit;\nend;\n$fn$;");
      add("comment on function public." + fn + "(text, integer) is " +
          sql_str("Search " + T + " by name; returns at most p_limit rows.") + ";");
    }
    if (rng.chance(60)) {
      std::string fn = unique_fn(short_t + "_count");
      add("create or replace function public." + fn +
          "()\nreturns bigint\nlanguage sql\nstable\n"
          "as $$\n  select count(*) from public." +
          T + ";\n$$;");
    }
    if (rng.chance(40)) {
      std::string fn = unique_fn(short_t + "_stats");
      add("create or replace function public." + fn +
          "(p_since timestamptz default now() - interval '7 days')\n"
          "returns jsonb\nlanguage plpgsql\nstable\nas $$\ndeclare\n  v_total bigint;\n  v_recent "
          "bigint;\n"
          "begin\n"
          "  select count(*) into v_total from public." +
          T +
          ";\n"
          "  select count(*) into v_recent from public." +
          T +
          " where created_at >= p_since;\n"
          "  return jsonb_build_object('total', v_total, 'recent', v_recent);\nend;\n$$;");
    }
    if (rng.chance(35)) {
      std::string idx = unique_rel(short_t + "_name_lower_idx");
      add("do $$\nbegin\n  if not exists (select 1 from pg_indexes where schemaname = 'public' and "
          "indexname = '" +
          idx + "') then\n    execute 'create index " + idx + " on public." + T +
          " (lower(name))';\n  end if;\nend\n$$;");
    }
    ++t.fns;
    fill_to(t, want);
    return "add_functions_and_triggers_to_" + T;
  }

  std::string views() {
    Table& t = pick_table_recentish();
    int want = target();
    const std::string& T = t.name;
    std::string v = unique_rel(T.substr(0, 40) + "_overview");
    std::ostringstream os;
    if (!t.parent.empty()) {
      os << "create or replace view public." << v
         << " as\nselect c.id,\n       c.name,\n       c.created_at,\n"
         << "       p.name as parent_name,\n       c.data ->> 'source' as source\nfrom public." << T
         << " c\nleft join public." << t.parent << " p on p.id = c." << t.parent << "_id;";
    } else {
      os << "create or replace view public." << v
         << " as\nselect id,\n       name,\n       created_at,\n"
         << "       updated_at,\n       (data ->> 'rank')::int as rank\nfrom public." << T
         << "\nwhere data ? 'source';";
    }
    add(os.str());
    add("comment on view public." + v + " is " + sql_str("Overview of " + T + "; read-only.") +
        ";");
    if (rng.chance(50)) add("alter view public." + v + " set (security_invoker = true);");
    if (rng.chance(50)) {
      std::string v2 = unique_rel(T.substr(0, 40) + "_recent");
      add("create view public." + v2 + " as\nselect id, name, created_at\nfrom public." + T +
          "\nwhere created_at > now() - interval '30 days'\norder by created_at desc;");
    }
    ++t.views;
    fill_to(t, want);
    return "create_" + v + "_view";
  }

  std::string rls() {
    Table& t = pick_table();
    int want = target();
    bool was = t.rls;
    enable_rls(t);
    fill_to(t, want);
    return (was ? "add_policies_to_" : "enable_rls_on_") + t.name;
  }

  std::string seed() {
    int want = target();
    Table* last = nullptr;
    int n = rng.range(1, 3);
    for (int i = 0; i < n; ++i) {
      Table& t = pick_table();
      insert_rows(t, rng.range(2, 6));
      last = &t;
    }
    if (rng.chance(40))
      add("update public." + last->name +
          " set data = data || '{\"seeded\": true}'::jsonb where name like '%#%';");
    fill_to(*last, want);
    return "seed_" + last->name;
  }
};

int usage() {
  std::cerr << "usage: gen_migrations N OUTDIR [--seed S]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> pos;
  uint64_t seed = 1;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--seed" && i + 1 < argc) {
      seed = std::strtoull(argv[++i], nullptr, 10);
    } else if (a.rfind("--seed=", 0) == 0) {
      seed = std::strtoull(a.c_str() + 7, nullptr, 10);
    } else if (a == "-h" || a == "--help") {
      usage();
      return 0;
    } else if (!a.empty() && a[0] == '-') {
      return usage();
    } else {
      pos.push_back(a);
    }
  }
  if (pos.size() != 2) return usage();
  char* end = nullptr;
  long n = std::strtol(pos[0].c_str(), &end, 10);
  if (!end || *end || n < 1) return usage();
  fs::path out = pos[1];
  fs::path migdir = out / "supabase" / "migrations";
  std::error_code ec;
  fs::create_directories(migdir, ec);
  if (ec) {
    std::cerr << "gen_migrations: cannot create " << migdir << ": " << ec.message() << "\n";
    return 1;
  }
  std::ofstream all(out / "all.sql", std::ios::binary);
  if (!all) {
    std::cerr << "gen_migrations: cannot write " << (out / "all.sql") << "\n";
    return 1;
  }
  Gen g(seed);
  g.seed_ = seed;
  const int64_t base = 1704067200;  // 2024-01-01 00:00:00 UTC
  Rng vr{seed ^ 0xABCDEF12345ULL};
  for (long i = 0; i < n; ++i) {
    // One migration per hour slot, random second within the slot: strictly increasing.
    std::string ver = version_string(base + i * 3600 + static_cast<int64_t>(vr.below(3600)));
    auto [name, sql] = g.migration(static_cast<int>(i));
    fs::path p = migdir / (ver + "_" + name + ".sql");
    std::ofstream f(p, std::ios::binary);
    f << sql;
    if (!f) {
      std::cerr << "gen_migrations: cannot write " << p << "\n";
      return 1;
    }
    all << sql;
  }
  all.flush();
  if (!all) {
    std::cerr << "gen_migrations: write error on all.sql\n";
    return 1;
  }
  return 0;
}
