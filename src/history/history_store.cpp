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

HistoryStore::HistoryStore(std::string schema) : schema_(quote_ident(schema)) {}

void HistoryStore::keep(const SourceConfig& source, const HistoryFormat& format, std::string table,
                        bool adopt, bool write) {
  if (table.empty()) table = std::string(format.table());
  kept_[source.name].push_back({&format, {std::move(table), source}, adopt, write});
}

bool HistoryStore::keeps_statement_texts(const std::string& source) const {
  auto it = kept_.find(source);
  if (it == kept_.end()) return false;
  return std::any_of(it->second.begin(), it->second.end(),
                     [](const Kept& k) { return k.write && k.format->records_statements(); });
}

void HistoryStore::add_kept(std::vector<Sql>& out, const AppliedRecord& r, bool applied) const {
  auto it = kept_.find(r.source);
  if (!r.write_kept || it == kept_.end()) return;
  AppliedRecord with_schema = r;
  with_schema.history_schema = schema_;
  auto facts = facts_.find(r.source);
  if (facts != facts_.end() && with_schema.previous_version.empty()) {
    const auto& local = facts->second.local_versions;
    auto at = std::find(local.begin(), local.end(), r.version);
    if (at != local.end() && at != local.begin()) with_schema.previous_version = *(at - 1);
  }
  for (const Kept& k : it->second) {
    // A revert also takes the version out of a table it was adopted from (found there by the
    // last load), so neither tool says it is applied.
    bool adopted_from =
        k.adopt && facts != facts_.end() &&
        facts->second.present.count(std::string(k.format->name()) + " " + k.table.name);
    if (!k.write && (applied || !adopted_from)) continue;
    auto sql = applied ? k.format->record_apply(with_schema, k.table)
                       : k.format->record_revert(with_schema, k.table);
    for (auto& q : sql) out.push_back({std::move(q.text), std::move(q.params)});
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

void HistoryStore::ensure(db::Connection& conn) const {
  // The tables kept written, each once.
  std::vector<std::pair<const HistoryFormat*, const HistoryTable*>> written;
  std::set<std::string> seen;
  for (const auto& [source, tables] : kept_)
    for (const Kept& k : tables)
      if (k.write && !k.format->ensure_sql(k.table).empty() && seen.insert(k.table.name).second)
        written.emplace_back(k.format, &k.table);
  std::string probe =
      "SELECT to_regclass($1) IS NOT NULL AND to_regclass($2) IS NOT NULL AND to_regclass($3) IS "
      "NOT NULL AND EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass($1) AND "
      "attname = 'statement_hashes')";
  db::Params params = {schema_ + ".migrations", schema_ + ".events", schema_ + ".mirrors"};
  for (const auto& w : written) {
    params.push_back(w.second->name);
    probe += fmt::format(" AND to_regclass(${}) IS NOT NULL", params.size());
  }
  if (conn.exec_params(probe, params).get(0, 0) == "t") return;
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
CREATE TABLE IF NOT EXISTS {0}.mirrors (
  source text NOT NULL,
  tool text NOT NULL,
  table_name text NOT NULL,
  since timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, tool, table_name)
);
COMMENT ON TABLE {0}.mirrors IS 'strata: [history] mirror tables kept complete since';
)",
                                schema_);
  for (const auto& [format, table] : written) sql += format->ensure_sql(*table) + ";\n";
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

std::vector<HistoryRow> HistoryStore::load(db::Connection& conn, const SourceConfig& source_config,
                                           const std::vector<Migration>& local) const {
  const std::string& source = source_config.name;
  std::vector<HistoryRow> rows;
  std::set<std::string> versions;
  // One round trip for which tables exist at all: strata's, its mirror marks, then each table
  // kept for the source.
  auto it = kept_.find(source);
  std::vector<const Kept*> kept;
  if (it != kept_.end())
    for (const Kept& k : it->second) kept.push_back(&k);
  // (A table from an older strata without in_flight / statement_hashes reads "none" for them.)
  std::string probe =
      "SELECT to_regclass($1) IS NOT NULL, to_regclass($2) IS NOT NULL, "
      "EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass($1) "
      "AND attname = 'in_flight' AND NOT attisdropped), "
      "EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass($1) "
      "AND attname = 'statement_hashes' AND NOT attisdropped)";
  db::Params names = {schema_ + ".migrations", schema_ + ".mirrors"};
  for (const Kept* k : kept) {
    names.push_back(k->table.name);
    probe += fmt::format(", to_regclass(${}) IS NOT NULL", names.size());
  }
  db::Result exists = conn.exec_params(probe, names);
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
              exists.get(0, 2) == "t" ? "coalesce(m.in_flight::text, 'null')" : "'null'",
              exists.get(0, 3) == "t" ? "coalesce(array_to_json(m.statement_hashes)::text, 'null')"
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
  keep_own_part(rows, source_config);
  SourceFacts& facts = facts_[source];
  facts = {};
  for (const auto& m : local) facts.local_versions.push_back(m.version);
  std::set<std::string> marked;  // mirror tables strata keeps written since (strata.mirrors)
  bool any_write = std::any_of(kept.begin(), kept.end(), [](const Kept* k) { return k->write; });
  if (any_write && exists.get(0, 1) == "t") {
    auto r = conn.exec_params(
        fmt::format("SELECT tool || ' ' || table_name FROM {}.mirrors WHERE source = $1", schema_),
        {source});
    for (int i = 0; i < r.rows(); ++i) marked.insert(r.get(i, 0));
  }
  for (size_t i = 0; i < kept.size(); ++i) {
    const Kept& k = *kept[i];
    std::string mark = std::string(k.format->name()) + " " + k.table.name;
    // Its columns only when it exists: another tool's table of the same name is not this one.
    bool present =
        exists.get(0, static_cast<int>(i) + 4) == "t" && k.format->present(conn, k.table);
    if (k.write && !marked.count(mark) && !rows.empty()) facts.unsynced = true;
    if (!present) continue;
    facts.present.insert(mark);
    std::vector<HistoryRow> found = k.format->load(conn, k.table, local);
    keep_own_part(found, source_config);
    if (k.write && marked.count(mark)) {
      // A mirror strata keeps: a version strata applied that its table no longer holds was
      // reverted by the tool (the two alternate): not applied any more.
      std::set<std::string> theirs;
      for (const auto& f : found)
        if (f.success) theirs.insert(f.version);
      std::erase_if(rows, [&](const HistoryRow& h) {
        if (h.origin != "strata" || !h.success || h.in_flight || h.reverting ||
            theirs.count(h.version))
          return false;
        AppliedRecord probe_record;
        probe_record.source = source;
        probe_record.version = h.version;
        probe_record.name = h.name;
        if (k.format->record_apply(probe_record, k.table).empty()) return false;  // never there
        versions.erase(h.version);
        facts.reverted_by_tool.push_back(h.version + " (" + std::string(k.format->name()) + ")");
        return true;
      });
    }
    if (!k.adopt) continue;
    for (auto& r : found) {
      if (!versions.insert(r.version).second) continue;  // strata's (or an earlier table's) wins
      r.source = source;
      rows.push_back(std::move(r));
    }
  }
  return rows;
}

bool HistoryStore::mirrors_behind() const {
  return std::any_of(facts_.begin(), facts_.end(), [](const auto& f) { return f.second.unsynced; });
}

std::vector<std::string> HistoryStore::reverted_by_tool(const std::string& source) const {
  auto it = facts_.find(source);
  return it == facts_.end() ? std::vector<std::string>{} : it->second.reverted_by_tool;
}

HistoryStore::MirrorSync HistoryStore::sync_mirrors(db::Connection& conn,
                                                    const SourceConfig& source,
                                                    const std::vector<Migration>& local,
                                                    const std::vector<HistoryRow>& rows) const {
  MirrorSync out;
  std::vector<std::string> keep = {""};  // the marks still wanted ("tool table")
  auto it = kept_.find(source.name);
  std::set<std::string> marked;
  auto r = conn.exec_params(
      fmt::format("SELECT tool || ' ' || table_name FROM {}.mirrors WHERE source = $1", schema_),
      {source.name});
  for (int i = 0; i < r.rows(); ++i) marked.insert(r.get(i, 0));
  if (it != kept_.end())
    for (const Kept& k : it->second) {
      if (!k.write) continue;
      std::string mark = std::string(k.format->name()) + " " + k.table.name;
      keep.push_back(mark);
      if (marked.count(mark)) continue;
      // Mirroring starts (or starts again): every migration strata has applied goes into the
      // tool's table first, oldest first, as if it had been mirrored all along.
      std::set<std::string> theirs;
      if (k.format->present(conn, k.table))
        for (const auto& h : k.format->load(conn, k.table, local))
          if (h.success) theirs.insert(h.version);
      int n = 0;
      for (const Migration& m : local) {
        auto row = std::find_if(rows.begin(), rows.end(), [&](const HistoryRow& h) {
          return h.version == m.version && h.success && !h.in_flight;
        });
        if (row == rows.end() || theirs.count(m.version)) continue;
        AppliedRecord rec = applied_record(m);
        rec.history_schema = schema_;
        auto sql = k.format->record_apply(rec, k.table);
        if (sql.empty()) continue;
        out.sql.insert(out.sql.end(), sql.begin(), sql.end());
        ++n;
      }
      out.sql.push_back(
          {fmt::format("INSERT INTO {}.mirrors (source, tool, table_name) VALUES ($1, $2, $3) ON "
                       "CONFLICT DO NOTHING",
                       schema_),
           {source.name, std::string(k.format->name()), k.table.name}});
      out.lines.push_back(fmt::format(
          "Mirror {} ({}): recorded {} migration(s) strata applied before mirroring started.",
          k.format->name(), k.table.name, n));
    }
  // Marks of tables no longer mirrored go: mirroring them again later starts with a back-fill.
  for (const auto& m : marked)
    if (std::find(keep.begin(), keep.end(), m) == keep.end())
      out.sql.push_back({fmt::format("DELETE FROM {}.mirrors WHERE source = $1 AND tool || ' ' "
                                     "|| table_name = $2",
                                     schema_),
                         {source.name, m}});
  return out;
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

AppliedRecord applied_record(const Migration& m) {
  AppliedRecord r;
  r.source = m.source;
  r.version = m.version;
  r.name = m.name;
  r.path = m.path;
  r.checksum = m.checksum;
  r.repeatable = m.repeatable;
  return r;
}

std::vector<HistoryStore::Sql> HistoryStore::record_applied(const AppliedRecord& r) const {
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
  if (!success) return out;
  out.push_back(record_event(r.source, r.version, r.name, r.event.empty() ? "apply" : r.event,
                             r.event_detail));
  add_kept(out, r, true);
  return out;
}

std::vector<HistoryStore::Sql> HistoryStore::record_reverted(const AppliedRecord& r) const {
  std::vector<Sql> out;
  out.push_back(
      {fmt::format("DELETE FROM {}.migrations WHERE source = $1 AND version = $2", schema_),
       {r.source, r.version}});
  out.push_back(record_event(r.source, r.version, r.name, r.event.empty() ? "revert" : r.event,
                             r.event_detail));
  add_kept(out, r, false);
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
