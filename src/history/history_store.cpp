// SQL for strata's history tables and the Supabase CLI's table.
#include "history/history_store.hpp"

#include <fmt/format.h>

#include <pwd.h>
#include <unistd.h>
#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>

#include "history/formats/history_format.hpp"
#include "migration/discover.hpp"
#include "migration/migration.hpp"
#include "util/checksum.hpp"
#include "util/text.hpp"

namespace strata {

std::string statement_hash(std::string_view statement_text) {
  return sha256_hex(trim(statement_text)).substr(0, 32);
}

HistoryStore::HistoryStore(std::string schema, bool supabase_compat)
    : schema_(quote_ident(schema)),
      schema_raw_(std::move(schema)),
      supabase_(supabase_compat),
      adopt_(all_history_formats()) {}

void HistoryStore::set_foreign(std::vector<const HistoryFormat*> adopt,
                               std::vector<const HistoryFormat*> mirror,
                               std::map<std::string, std::string> tables) {
  adopt_ = std::move(adopt);
  mirror_ = std::move(mirror);
  tables_ = std::move(tables);
}

std::optional<std::string> HistoryStore::table_of(const std::string& source,
                                                  const HistoryFormat& f) const {
  auto it = tables_.find(source);
  if (it == tables_.end()) return std::nullopt;
  return it->second.empty() ? std::string(f.table()) : it->second;
}

void HistoryStore::ensure_mirrors(db::Connection& conn) const {
  std::string sql;
  std::set<std::string> done;  // one CREATE per table
  for (const HistoryFormat* f : mirror_)
    for (const auto& entry : tables_) {
      std::string t = entry.second.empty() ? std::string(f->table()) : entry.second;
      std::string create = f->ensure_sql(t);
      if (!create.empty() && done.insert(t).second) sql += create + ";\n";
    }
  if (sql.empty()) return;
  db::in_transaction(conn, [&] {
    conn.exec("SELECT pg_advisory_xact_lock(7503214420110531)");
    conn.exec(sql);
  });
}

void HistoryStore::add_mirrors(std::vector<Sql>& out, const AppliedRecord& r, bool applied) const {
  for (const HistoryFormat* f : mirror_) {
    std::optional<std::string> t = table_of(r.source, *f);
    if (!t) continue;
    auto sql = applied ? f->record_apply(r, *t) : f->record_revert(r, *t);
    for (auto& s : sql) out.push_back({std::move(s.text), std::move(s.params)});
  }
}

// A source split by `[migrations] run_last`: each part keeps only the rows of its own files.
static void keep_own_part(std::vector<HistoryRow>& rows, const SourceConfig& source) {
  if (source.run_last.empty()) return;
  std::erase_if(rows, [&](const HistoryRow& h) {
    bool last = runs_last(source, h.version + "_" + h.name + ".sql") ||
                runs_last(source, h.name + ".sql") || runs_last(source, h.version + ".sql");
    return last != source.run_last_part;
  });
}

std::vector<HistoryRow> HistoryStore::load(db::Connection& conn, const SourceConfig& source,
                                           const std::vector<Migration>& local) const {
  std::vector<HistoryRow> rows = load(conn, source);
  keep_own_part(rows, source);
  if (!tables_.count(source.name) || adopt_.empty()) return rows;
  std::set<std::string> versions;
  for (const auto& r : rows) versions.insert(r.version);
  // One round trip for which of the tools' tables exist at all; their columns only for those.
  std::vector<std::string> tables;
  std::string probe = "SELECT ";
  for (size_t i = 0; i < adopt_.size(); ++i) {
    tables.push_back(*table_of(source.name, *adopt_[i]));
    probe += fmt::format("{}to_regclass({}) IS NOT NULL", i ? ", " : "",
                         conn.quote_literal(tables.back()));
  }
  db::Result exists = conn.exec(probe);
  for (size_t i = 0; i < adopt_.size(); ++i) {
    const HistoryFormat* f = adopt_[i];
    if (exists.get(0, static_cast<int>(i)) != "t" || !f->present(conn, tables[i])) continue;
    for (auto& r : f->load(conn, tables[i], local)) {
      if (!versions.insert(r.version).second) continue;  // strata's (or an earlier tool's) row wins
      r.source = source.name;
      rows.push_back(std::move(r));
    }
  }
  keep_own_part(rows, source);
  return rows;
}

void HistoryStore::ensure(db::Connection& conn, bool legacy) const {
  ensure_mirrors(conn);
  auto exists = conn.exec_params(
      "SELECT to_regclass($1) IS NOT NULL AND to_regclass($2) IS NOT NULL AND EXISTS (SELECT 1 "
      "FROM pg_attribute WHERE attrelid = to_regclass($1) AND attname = 'statement_hashes')",
      {schema_ + ".migrations", schema_ + ".events"});
  bool have = exists.get(0, 0) == "t";
  if (supabase_) {
    auto s = conn.exec("SELECT to_regclass('supabase_migrations.schema_migrations') IS NOT NULL");
    have = have && s.get(0, 0) == "t";
  }
  if (legacy) {
    auto l = conn.exec(
        "SELECT to_regclass('public._migrations') IS NOT NULL AND "
        "to_regclass('public._content_migrations') "
        "IS NOT NULL AND to_regclass('public._entity_migrations') IS NOT NULL");
    have = have && l.get(0, 0) == "t";
  }
  if (have) return;
  std::string sql = fmt::format(R"(
CREATE SCHEMA IF NOT EXISTS {0};
CREATE TABLE IF NOT EXISTS {0}.migrations (
  source text NOT NULL DEFAULT 'default',
  version text NOT NULL,
  name text NOT NULL,
  checksum text NOT NULL,
  statements_total integer NOT NULL,
  statements_applied integer NOT NULL,
  transactional boolean NOT NULL,
  success boolean NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  applied_by text NOT NULL DEFAULT current_user,
  client text,
  execution_ms bigint NOT NULL DEFAULT 0,
  error text,
  failed_statement text,
  strata_version text NOT NULL,
  in_flight jsonb,
  statement_hashes text[],
  PRIMARY KEY (source, version)
);
ALTER TABLE {0}.migrations ADD COLUMN IF NOT EXISTS in_flight jsonb,
  ADD COLUMN IF NOT EXISTS statement_hashes text[];
COMMENT ON TABLE {0}.migrations IS 'strata: one row per applied migration (see docs/history.md)';
CREATE TABLE IF NOT EXISTS {0}.events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  source text NOT NULL DEFAULT 'default',
  version text NOT NULL,
  name text,
  action text NOT NULL CHECK (action IN ('apply', 'revert', 'repair', 'baseline', 'fail', 'adopt', 'seed')),
  by_user text NOT NULL DEFAULT current_user,
  client text,
  detail text,
  strata_version text NOT NULL
);
COMMENT ON TABLE {0}.events IS 'strata: append-only audit log of history changes';
)",
                                schema_);
  if (supabase_) {
    sql += R"(
CREATE SCHEMA IF NOT EXISTS supabase_migrations;
CREATE TABLE IF NOT EXISTS supabase_migrations.schema_migrations (version text NOT NULL PRIMARY KEY);
ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS statements text[];
ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS name text;
)";
  }
  if (legacy) {
    // The shapes seed 003's runner creates, so its other tooling keeps working.
    sql += R"(
CREATE TABLE IF NOT EXISTS public."_migrations" (id SERIAL PRIMARY KEY, filename TEXT UNIQUE NOT NULL,
  executed_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE IF NOT EXISTS public."_content_migrations" (id SERIAL PRIMARY KEY, source_type TEXT NOT NULL,
  source_name TEXT NOT NULL, filename TEXT NOT NULL, executed_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
  UNIQUE (source_type, source_name, filename));
CREATE TABLE IF NOT EXISTS public."_entity_migrations" (id SERIAL PRIMARY KEY, entity_name TEXT NOT NULL,
  source_type TEXT NOT NULL, source_name TEXT NOT NULL, filename TEXT NOT NULL,
  executed_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, UNIQUE (entity_name, filename));
)";
  }
  db::in_transaction(conn, [&] {
    // Two runners creating the tables at once would collide in the catalog: serialise them.
    conn.exec("SELECT pg_advisory_xact_lock(7503214420110531)");
    conn.exec(sql);
  });
}

// The in-flight marker and statement hashes, as JSON (to_jsonb of the row: a table from an
// older strata without these columns reads as "none").
static void parse_in_flight(HistoryRow& h, const std::string& in_flight,
                            const std::string& hashes) {
  auto hj = nlohmann::json::parse(hashes, nullptr, false);
  if (hj.is_array())
    for (const auto& x : hj)
      if (x.is_string()) h.statement_hashes.push_back(x.get<std::string>());
  auto j = nlohmann::json::parse(in_flight, nullptr, false);
  if (!j.is_object()) return;
  if (j.value("down", false)) {
    h.reverting = j.value("done", 0);
    h.revert_error = j.value("error", "");
    if (!j.contains("statement")) return;  // between statements of the down script
  }
  InFlight f;
  f.down = j.value("down", false);
  f.from = j.value("from", 0);
  f.to = j.value("to", f.from + 1);
  f.pid = j.value("pid", 0);
  f.xid = j.value("xid", "");
  f.kind = j.value("kind", "");
  f.line = j.value("line", 0);
  f.statement = j.value("statement", "");
  if (j.contains("hashes") && j["hashes"].is_array())
    for (const auto& x : j["hashes"])
      if (x.is_string()) f.hashes.push_back(x.get<std::string>());
  h.in_flight = std::move(f);
}

std::vector<HistoryRow> HistoryStore::load(db::Connection& conn,
                                           const SourceConfig& source_config) const {
  const std::string& source = source_config.name;
  std::vector<HistoryRow> rows;
  std::set<std::string> versions;
  // Whether the table and its newer columns exist, in the same round trip (a table from an
  // older strata without in_flight / statement_hashes reads as "none" for them).
  auto exists = conn.exec_params(
      "SELECT to_regclass($1) IS NOT NULL, "
      "EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass($1) "
      "AND attname = 'in_flight' AND NOT attisdropped), "
      "EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass($1) "
      "AND attname = 'statement_hashes' AND NOT attisdropped)",
      {schema_ + ".migrations"});
  if (exists.get(0, 0) == "t") {
    db::Result r;
    try {
      // The columns by name, not to_jsonb(m) of the whole row: that cost ~20 ms per 1000 rows.
      r = conn.exec_params(
          fmt::format(
              "SELECT source, version, name, checksum, statements_total, statements_applied, "
              "transactional, "
              "success, to_char(applied_at AT TIME ZONE 'UTC', "
              "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), applied_by, "
              "execution_ms, coalesce(error, ''), {}, {} "
              "FROM {}.migrations m WHERE source = $1",
              exists.get(0, 1) == "t" ? "coalesce(m.in_flight::text, 'null')" : "'null'",
              exists.get(0, 2) == "t" ? "coalesce(array_to_json(m.statement_hashes)::text, 'null')"
                                      : "'null'",
              schema_),
          {source});
    } catch (const db::DbError& e) {
      // A table of another shape where strata's history should be (another tool's, or edited).
      if (e.sqlstate != "42703" && e.sqlstate != "42804" && e.sqlstate != "42883") throw;
      Error err(fmt::format("{}.migrations exists but is not strata's history table ({})", schema_,
                            e.what()),
                ExitCode::config);
      err.hint =
          "choose another schema for strata's history with [history] schema in strata.toml, or "
          "move that table away; strata never writes to it";
      throw err;
    }
    for (int i = 0; i < r.rows(); ++i) {
      HistoryRow h;
      h.source = r.get(i, 0);
      h.version = r.get(i, 1);
      h.name = r.get(i, 2);
      h.checksum = r.get(i, 3);
      h.statements_total = std::stoi(r.get(i, 4));
      h.statements_applied = std::stoi(r.get(i, 5));
      h.transactional = r.get(i, 6) == "t";
      h.success = r.get(i, 7) == "t";
      h.applied_at = r.get(i, 8);
      h.applied_by = r.get(i, 9);
      h.execution_ms = std::stoll(r.get(i, 10));
      h.error = r.get(i, 11);
      parse_in_flight(h, r.get(i, 12), r.get(i, 13));
      versions.insert(h.version);
      rows.push_back(std::move(h));
    }
  }
  if (!source_config.legacy.kind.empty()) {
    const LegacyTracking& lt = source_config.legacy;
    std::string table = lt.kind == "core"      ? "_migrations"
                        : lt.kind == "content" ? "_content_migrations"
                                               : "_entity_migrations";
    if (conn.exec_params("SELECT to_regclass($1) IS NOT NULL", {"public." + table}).get(0, 0) ==
        "t") {
      db::Result r =
          lt.kind == "core" ? conn.exec("SELECT filename FROM public._migrations")
          : lt.kind == "content"
              ? conn.exec_params(
                    "SELECT filename FROM public._content_migrations WHERE source_type = $1 "
                    "AND source_name = $2",
                    {lt.source_type, lt.source_name})
              : conn.exec_params(
                    "SELECT filename FROM public._entity_migrations WHERE entity_name = $1",
                    {lt.entity});
      for (int i = 0; i < r.rows(); ++i) {
        std::string file = r.get(i, 0);
        std::string stem = file.ends_with(".sql") ? file.substr(0, file.size() - 4) : file;
        size_t us = stem.find('_');
        std::string version =
            source_config.order.empty() && us != std::string::npos &&
                    std::all_of(stem.begin(), stem.begin() + static_cast<long>(us), ::isdigit)
                ? stem.substr(0, us)
                : stem;
        if (versions.count(version)) continue;
        HistoryRow h;
        h.source = source;
        h.version = version;
        h.name = stem;
        h.origin = "legacy";
        versions.insert(version);
        rows.push_back(std::move(h));
      }
    }
  }
  if (supabase_ && source == "default") {
    // The table and its name column in one round trip.
    auto s = conn.exec(
        "SELECT to_regclass('supabase_migrations.schema_migrations') IS NOT NULL, EXISTS (SELECT "
        "1 FROM pg_attribute WHERE attrelid = to_regclass('supabase_migrations.schema_migrations') "
        "AND attname = 'name' AND NOT attisdropped)");
    if (s.get(0, 0) == "t") {
      auto r = conn.exec(
          s.get(0, 1) == "t"
              ? "SELECT version, coalesce(name, '') FROM supabase_migrations.schema_migrations"
              : "SELECT version, '' FROM supabase_migrations.schema_migrations");
      for (int i = 0; i < r.rows(); ++i) {
        if (versions.count(r.get(i, 0))) continue;
        HistoryRow h;
        h.version = r.get(i, 0);
        h.name = r.get(i, 1);
        h.origin = "supabase";
        rows.push_back(std::move(h));
      }
    }
  }
  return rows;
}

// "user@host" of whoever runs strata (fleet threads call this: getpwuid_r, not getpwuid).
static std::string client_id() {
  std::string user;
  if (const char* u = std::getenv("USER"))
    user = u;
  else if (const char* l = std::getenv("LOGNAME"))
    user = l;
  if (user.empty()) {
    struct passwd pw {};
    struct passwd* found = nullptr;
    char buf[1024];
    if (getpwuid_r(geteuid(), &pw, buf, sizeof buf, &found) == 0 && found) user = found->pw_name;
  }
  char host[256] = {0};
  gethostname(host, sizeof(host) - 1);
  return fmt::format("{}@{}", user.empty() ? "?" : user, host);
}

std::vector<HistoryStore::Sql> HistoryStore::record_applied(
    const Migration& m, int statements_total, int statements_applied, bool transactional,
    bool success, long long execution_ms, const std::string& error,
    const std::string& failed_statement) const {
  AppliedRecord r;
  r.source = m.source;
  r.version = m.version;
  r.name = m.name;
  r.path = m.path;
  r.checksum = m.checksum;
  r.repeatable = m.repeatable;
  r.statements_total = statements_total;
  r.statements_applied = statements_applied;
  r.transactional = transactional;
  r.success = success;
  r.execution_ms = execution_ms;
  r.error = error;
  r.failed_statement = failed_statement;
  return record_applied(r);
}

std::vector<HistoryStore::Sql> HistoryStore::record_applied(const AppliedRecord& rec) const {
  const AppliedRecord& r = rec;
  const int statements_total = r.statements_total, statements_applied = r.statements_applied;
  const bool transactional = r.transactional, success = r.success;
  const long long execution_ms = r.execution_ms;
  const std::string &error = r.error, &failed_statement = r.failed_statement;
  std::vector<Sql> out;
  out.push_back(
      {fmt::format(
           "INSERT INTO {}.migrations (source, version, name, checksum, statements_total, "
           "statements_applied, "
           "transactional, success, client, execution_ms, error, failed_statement, strata_version) "
           "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, coalesce($10::bigint, (extract(epoch from "
           "clock_timestamp() - now()) * 1000)::bigint), "
           "nullif($11, ''), nullif($12, ''), $13) "
           "ON CONFLICT (source, version) DO UPDATE SET name = EXCLUDED.name, checksum = "
           "EXCLUDED.checksum, "
           "statements_total = EXCLUDED.statements_total, statements_applied = "
           "EXCLUDED.statements_applied, "
           "transactional = EXCLUDED.transactional, success = EXCLUDED.success, applied_at = "
           "now(), "
           "applied_by = current_user, client = EXCLUDED.client, execution_ms = "
           "EXCLUDED.execution_ms, "
           "error = EXCLUDED.error, failed_statement = EXCLUDED.failed_statement, "
           "strata_version = EXCLUDED.strata_version, in_flight = NULL",
           schema_),
       {r.source, r.version, r.name, r.checksum, std::to_string(statements_total),
        std::to_string(statements_applied), transactional ? "true" : "false",
        success ? "true" : "false", client_id(),
        execution_ms < 0 ? std::nullopt : std::optional<std::string>(std::to_string(execution_ms)),
        error, failed_statement, STRATA_VERSION}});
  if (success) out.push_back(record_event(r.source, r.version, r.name, "apply", ""));
  if (success) {
    AppliedRecord with_schema = r;
    with_schema.history_schema = schema_;
    add_mirrors(out, with_schema, true);
  }
  return out;
}

std::vector<HistoryStore::Sql> HistoryStore::record_reverted(const Migration& m,
                                                             const std::string& action) const {
  return record_reverted(m.source, m.version, m.name, action);
}

std::vector<HistoryStore::Sql> HistoryStore::record_reverted(const std::string& source,
                                                             const std::string& version,
                                                             const std::string& name,
                                                             const std::string& action) const {
  std::vector<Sql> out;
  out.push_back(
      {fmt::format("DELETE FROM {}.migrations WHERE source = $1 AND version = $2", schema_),
       {source, version}});
  if (supabase_ && source == "default")
    out.push_back(
        {"DELETE FROM supabase_migrations.schema_migrations WHERE version = $1", {version}});
  out.push_back(record_event(source, version, name, action, ""));
  AppliedRecord r;
  r.source = source;
  r.version = version;
  r.name = name;
  r.history_schema = schema_;
  add_mirrors(out, r, false);
  return out;
}

HistoryStore::Sql HistoryStore::record_event(const std::string& source, const std::string& version,
                                             const std::string& name, const std::string& action,
                                             const std::string& detail) const {
  return {
      fmt::format(
          "INSERT INTO {}.events (source, version, name, action, client, detail, strata_version) "
          "VALUES ($1, $2, $3, $4, $5, nullif($6, ''), $7)",
          schema_),
      {source, version, name, action, client_id(), detail, STRATA_VERSION}};
}

std::vector<HistoryStore::Sql> HistoryStore::record_supabase(
    const Migration& m, const std::vector<std::string>& statements) const {
  if (!supabase_ || m.source != "default") return {};
  // A text[] literal built server-side from a JSON array keeps quoting out of our hands.
  std::string json = "[";
  for (size_t i = 0; i < statements.size(); ++i) {
    if (i) json += ',';
    json += '"';
    for (unsigned char c : statements[i]) {
      switch (c) {
        case '"':
          json += "\\\"";
          break;
        case '\\':
          json += "\\\\";
          break;
        case '\n':
          json += "\\n";
          break;
        case '\r':
          json += "\\r";
          break;
        case '\t':
          json += "\\t";
          break;
        default:
          if (c < 0x20)
            json += fmt::format("\\u{:04x}", c);
          else
            json += static_cast<char>(c);
      }
    }
    json += '"';
  }
  json += ']';
  return {
      {"INSERT INTO supabase_migrations.schema_migrations (version, name, statements) "
       "SELECT $1, $2, ARRAY(SELECT jsonb_array_elements_text($3::jsonb)) "
       "ON CONFLICT (version) DO UPDATE SET name = EXCLUDED.name, statements = EXCLUDED.statements",
       {m.version, m.name, json}}};
}

std::vector<HistoryStore::Sql> HistoryStore::record_legacy(const SourceConfig& source,
                                                           const Migration& m, bool applied) const {
  const LegacyTracking& lt = source.legacy;
  if (lt.kind.empty()) return {};
  std::string file = m.path.filename().string();
  if (lt.kind == "core") {
    return {{applied
                 ? "INSERT INTO public._migrations (filename) VALUES ($1) ON CONFLICT DO NOTHING"
                 : "DELETE FROM public._migrations WHERE filename = $1",
             {file}}};
  }
  if (lt.kind == "content") {
    return {{applied ? "INSERT INTO public._content_migrations (source_type, source_name, "
                       "filename) VALUES ($1, $2, $3) "
                       "ON CONFLICT DO NOTHING"
                     : "DELETE FROM public._content_migrations WHERE source_type = $1 AND "
                       "source_name = $2 AND "
                       "filename = $3",
             {lt.source_type, lt.source_name, file}}};
  }
  if (applied) {
    return {
        {"INSERT INTO public._entity_migrations (entity_name, source_type, source_name, filename) "
         "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
         {lt.entity, lt.source_type, lt.source_name, file}}};
  }
  return {{"DELETE FROM public._entity_migrations WHERE entity_name = $1 AND filename = $2",
           {lt.entity, file}}};
}

static std::string json_array(const std::vector<std::string>& v) {
  return nlohmann::json(v).dump();
}

HistoryStore::Sql HistoryStore::record_in_flight(const Migration& m, const InFlight& f) const {
  nlohmann::json j = {{"from", f.from},
                      {"to", f.to},
                      {"pid", f.pid},
                      {"xid", f.xid},
                      {"kind", f.kind},
                      {"line", f.line},
                      {"statement", f.statement.substr(0, 2000)},
                      {"hashes", f.hashes}};
  if (f.down) {
    j["down"] = true;
    j["done"] = f.from;
  }
  return {fmt::format("UPDATE {}.migrations SET in_flight = $3::jsonb WHERE source = $1 AND "
                      "version = $2",
                      schema_),
          {m.source, m.version, j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)}};
}

HistoryStore::Sql HistoryStore::record_progress(const std::string& source,
                                                const std::string& version, int statements_applied,
                                                const std::vector<std::string>& hashes) const {
  // The row's in_flight says which script the statement belonged to: the up file (its count and
  // hashes move on) or the down script of a non-transactional revert (its own count moves on).
  return {fmt::format("UPDATE {0}.migrations SET statements_applied = CASE WHEN {1} THEN "
                      "statements_applied ELSE $3::integer END, "
                      "in_flight = CASE WHEN {1} THEN jsonb_build_object('down', true, 'done', "
                      "$3::integer) ELSE NULL END, "
                      "statement_hashes = CASE WHEN {1} THEN statement_hashes ELSE "
                      "coalesce(statement_hashes, '{{}}') || "
                      "ARRAY(SELECT jsonb_array_elements_text($4::jsonb)) END "
                      "WHERE source = $1 AND version = $2",
                      schema_, "coalesce((in_flight ->> 'down')::boolean, false)"),
          {source, version, std::to_string(statements_applied), json_array(hashes)}};
}

HistoryStore::Sql HistoryStore::reset_statement_hashes(
    const Migration& m, const std::vector<std::string>& hashes) const {
  return {fmt::format("UPDATE {}.migrations SET statement_hashes = "
                      "ARRAY(SELECT jsonb_array_elements_text($3::jsonb)) "
                      "WHERE source = $1 AND version = $2",
                      schema_),
          {m.source, m.version, json_array(hashes)}};
}

HistoryStore::Sql HistoryStore::record_revert_progress(const Migration& m, int done,
                                                       const std::string& error) const {
  return {
      fmt::format("UPDATE {}.migrations SET in_flight = jsonb_build_object('down', true, "
                  "'done', $3::integer) || CASE WHEN $4::text = '' THEN '{{}}'::jsonb ELSE "
                  "jsonb_build_object('error', $4::text) END WHERE source = $1 AND version = $2",
                  schema_),
      {m.source, m.version, std::to_string(done), error}};
}

void HistoryStore::run(db::Connection& conn, const std::vector<Sql>& sql) const {
  for (const auto& s : sql) conn.exec_params(s.text, s.params);
}

}  // namespace strata
