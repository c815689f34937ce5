// Repair and baseline: rows in the history (and the tables kept with it) without executing SQL.
#include "ops/history_edit.hpp"

#include <fmt/format.h>

#include "execute/lock.hpp"
#include "migration/version.hpp"
#include "ops/project_state.hpp"
#include "sql/splitter.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace strata {

// The record of a migration marked applied without running it (`event`: "repair", "baseline"),
// its statements' texts as the file has them.
static AppliedRecord marked_applied(const Migration& m, const char* event, std::string detail) {
  AppliedRecord r = applied_record(m);
  for (const auto& st : sql::split_statements(m.text).statements)
    r.statements.push_back(trim(st.text));
  r.statements_total = r.statements_applied = static_cast<int>(r.statements.size());
  r.execution_ms = 0;
  r.event = event;
  r.event_detail = std::move(detail);
  return r;
}

void run_repair(const Project& project, const std::string& conninfo, RepairStatus status,
                const std::vector<std::string>& versions, std::chrono::milliseconds lock_timeout,
                std::ostream& out, const std::string& source) {
  db::Connection conn = db::Connection::open(conninfo);
  HistoryStore store = history_store_for(project);
  MigrationLock lock(conninfo, project.lock_scope(), lock_timeout);
  lock.wait_for_previous_run(conn, &out);
  store.ensure(conn);
  ProjectState state = load_state(project, conn, &store);
  SourceState& src = pick_source(state, source, versions.empty() ? "" : versions.front());
  std::vector<HistoryStore::Sql> sql;
  for (const auto& v : versions) {
    const StatusItem* item = nullptr;
    for (const auto& i : src.status.items)
      if (i.version() == v) item = &i;
    // `2` for a file numbered `00002`, as the versions compare everywhere else.
    for (const auto& i : src.status.items)
      if (!item && same_version(i.version(), v)) item = &i;
    if (status == RepairStatus::applied) {
      if (!item || !item->migration) {
        Error e(fmt::format("repair: no local migration has version {}", v), ExitCode::usage);
        e.hint = "`strata status` lists the versions";
        throw e;
      }
      const Migration& m = *item->migration;
      auto rows =
          store.record_applied(marked_applied(m, "repair", "marked applied without running SQL"));
      sql.insert(sql.end(), rows.begin(), rows.end());
      out << fmt::format("Marked {} as applied (no SQL run).\n", m.display_path);
    } else {
      if (!item || !item->history) {
        Error e(fmt::format("repair: version {} is not in the history", v), ExitCode::usage);
        throw e;
      }
      AppliedRecord r;
      if (item->migration) r = applied_record(*item->migration);
      r.source = src.config->name;
      r.version = item->version();
      r.name = item->name();
      r.event = "repair";
      auto rows = store.record_reverted(r);
      sql.insert(sql.end(), rows.begin(), rows.end());
      out << fmt::format("Marked {} as reverted (no SQL run).\n", v);
    }
  }
  db::in_transaction(conn, [&] { store.run(conn, sql); });
}

void run_repair_in_doubt(const Project& project, const std::string& conninfo, bool ran,
                         const std::string& version, std::chrono::milliseconds lock_timeout,
                         std::ostream& out, const std::string& source) {
  db::Connection conn = db::Connection::open(conninfo);
  HistoryStore store = history_store_for(project);
  MigrationLock lock(conninfo, project.lock_scope(), lock_timeout);
  lock.wait_for_previous_run(conn, &out);
  store.ensure(conn);
  ProjectState state = load_state(project, conn, &store);
  SourceState& src = pick_source(state, source, version);
  const HistoryRow* row = nullptr;
  for (const auto& h : src.history)
    if (h.version == version && h.origin == "strata") row = &h;
  if (!row || !row->in_flight) {
    Error e(fmt::format("repair --in-doubt: version {} has no statement in doubt", version),
            ExitCode::usage);
    e.hint =
        "`strata status` lists partial migrations; `strata up` says which statement is in doubt";
    throw e;
  }
  const InFlight& f = *row->in_flight;
  int applied = ran ? f.to : f.from;
  db::in_transaction(conn, [&] {
    store.run(conn, {store.record_progress(row->source, version, applied,
                                           ran ? f.hashes : std::vector<std::string>{}),
                     store.record_event(row->source, version, row->name, "repair",
                                        fmt::format("in-doubt statement {} (line {}) marked {}",
                                                    f.from + 1, f.line, ran ? "ran" : "not run"))});
  });
  // A statement of a down script: `strata down` finishes that script.
  out << fmt::format("Marked {}statement {} of {} (line {}) as {}; `strata {}` {} statement {}.\n",
                     f.down ? "down script " : "", f.from + 1, version, f.line,
                     ran ? "ran" : "not run", f.down ? "down" : "up",
                     ran ? "continues at" : "runs it again:", applied + 1);
}

int run_baseline(const Project& project, const std::string& conninfo, const std::string& version,
                 std::chrono::milliseconds lock_timeout, std::ostream& out,
                 const std::string& source) {
  db::Connection conn = db::Connection::open(conninfo);
  HistoryStore store = history_store_for(project);
  MigrationLock lock(conninfo, project.lock_scope(), lock_timeout);
  lock.wait_for_previous_run(conn, &out);
  store.ensure(conn);
  ProjectState state = load_state(project, conn, &store);
  SourceState& src = pick_source(state, source, version);
  bool found = false;
  for (const auto& i : src.status.items) found = found || i.version() == version;
  if (!found) {
    Error e(fmt::format("baseline: no local migration has version {}", version), ExitCode::usage);
    e.hint = "`strata status` lists the versions";
    throw e;
  }
  std::vector<HistoryStore::Sql> sql;
  int n = 0;
  for (const auto& i : src.status.items) {
    if (i.migration && !i.history) {
      auto rows = store.record_applied(
          marked_applied(*i.migration, "baseline", "marked applied by baseline " + version));
      sql.insert(sql.end(), rows.begin(), rows.end());
      ++n;
    }
    if (i.version() == version) break;
  }
  db::in_transaction(conn, [&] { store.run(conn, sql); });
  out << fmt::format("Baseline {}: marked {} migration(s) as applied without running them.\n",
                     version, n);
  return n;
}

}  // namespace strata
