// The up operation: the one path that changes a database forward.
#include "ops/up.hpp"

#include <fmt/format.h>

#include <sstream>

#include "execute/in_doubt.hpp"
#include "execute/lock.hpp"
#include "ops/apply_options.hpp"
#include "ops/history_reference_guard.hpp"
#include "ops/project_state.hpp"
#include "ops/squash.hpp"
#include "util/text.hpp"

namespace strata {

using Clock = std::chrono::steady_clock;

static void print_dry_run(const PreparedMigration& p, int resume_from, std::ostream& out) {
  const Migration& m = *p.migration;
  out << fmt::format(
      "-- {} ({}{}{})\n", m.display_path,
      p.transactional ? "in a transaction" : "statement by statement, outside a transaction",
      p.whole_file ? ", sent whole: libpg_query cannot parse it" : "",
      resume_from ? fmt::format(", resuming after statement {}", resume_from) : "");
  for (const auto& note : p.notes) out << "-- note: " << note << "\n";
  int i = 0;
  for_each_statement(p, [&](const sql::Statement& st) {
    if (i++ >= resume_from) out << trim(st.text) << ";\n";
  });
  out << "\n";
}

// True when no source has anything to apply or adopt and nothing to refuse.
static bool up_to_date(const ProjectState& state, const UpOptions& options) {
  for (const auto& src : state.sources) {
    if (!src->status.clean()) return false;
    for (const auto& i : src->status.items) {
      if (i.history && i.history->origin != "strata" && i.migration) return false;  // to adopt
      if (!i.squashed.empty()) return false;  // a squash to record (ops/squash.hpp)
      if (i.state == MigrationState::pending &&
          (i.migration->env.empty() || i.migration->env == options.env))
        return false;
    }
  }
  return true;
}

// Statements an interrupted run left in flight: settled from what the server can tell, or an
// in-doubt Error. True when the history changed.
static bool resolve_in_flight_rows(ProjectState& state, db::Connection& conn,
                                   const HistoryStore& store, std::ostream& out) {
  bool changed = false;
  for (const auto& src : state.sources) {
    std::string source_flag = state.sources.size() > 1 ? "--source " + src->config->name + " " : "";
    for (const auto& item : src->status.items) {
      if (!item.history || !item.history->in_flight) continue;
      resolve_in_flight(conn, store, item.migration, *item.history, source_flag, out);
      changed = true;
    }
  }
  return changed;
}

UpReport run_up(const Project& project, const std::string& conninfo, const UpRequest& request,
                std::ostream& out) {
  // --single-transaction: "Applied" lines are held back until the COMMIT succeeded.
  std::ostringstream held;
  std::ostream& applied_out = request.single_transaction && !request.dry_run ? held : out;
  UpReport report;
  auto t0 = Clock::now();
  // The files are read while the session starts (open_and_load_state).
  HistoryStore store = history_store_for(project);
  ConnectedState connected = open_and_load_state(project, conninfo, &store);
  db::Connection& conn = connected.conn;
  ProjectState& state = connected.state;
  std::optional<MigrationLock> lock;
  report.grants = grant_statements(project);
  if (request.dry_run) conn.exec("SET default_transaction_read_only = on");
  if (!request.dry_run) {
    // Nothing to do is the common case (CI, deploys): answer it without a second session for
    // the lock. Anything else is planned again under the lock, from a fresh read.
    if (!request.plan.to && up_to_date(state, request.plan) && !store.mirrors_behind()) {
      for (const auto& src : state.sources) {
        int left_out = 0;
        for (const auto& i : src->status.items)
          if (i.state == MigrationState::pending) ++left_out;
        report.sources.push_back({src->config->name, src->config->tier,
                                  static_cast<int>(src->migrations.size()), 0,
                                  src->status.count(MigrationState::applied), left_out});
        report.skipped_env += left_out;
      }
      report.total_ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
      return report;
    }
    lock.emplace(conninfo, project.lock_scope(), request.lock_timeout, request.on_lock_wait);
    // A killed run's backend may still be running its last statement: wait for it to end.
    lock->wait_for_previous_run(conn, &out);
    store.ensure(conn);
    // [app] schema is the app's home: created when missing, as the app's own runner would.
    if (!project.app.schema.empty() &&
        conn.exec_params("SELECT NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)",
                         {project.app.schema})
                .get(0, 0) == "t") {
      conn.exec("CREATE SCHEMA IF NOT EXISTS " + conn.quote_identifier(project.app.schema));
      out << fmt::format("Created schema {} ([app] schema).\n", project.app.schema);
    }
    refresh_history(project, state, conn, &store);
    if (resolve_in_flight_rows(state, conn, store, out))
      refresh_history(project, state, conn, &store);
    // [history] mirror turned on with migrations already applied: fill the tool's table first.
    if (!request.dry_run) {
      bool synced = false;
      for (const auto& src : state.sources) {
        if (src->config->run_last_part) continue;
        auto sync = store.sync_mirrors(conn, *src->config, src->migrations, src->history);
        if (sync.sql.empty()) continue;
        db::in_transaction(conn, [&] { store.run(conn, sync.sql); });
        for (const auto& l : sync.lines) out << l << "\n";
        synced = true;
      }
      if (synced) refresh_history(project, state, conn, &store);
    }
  }
  // Plan every source first: drift anywhere stops the run before any SQL.
  // --to V: sources before the one holding V run fully, that one up to V, later ones not at all.
  size_t to_source = state.sources.size();
  if (request.plan.to) {
    for (size_t i = 0; i < state.sources.size() && to_source == state.sources.size(); ++i)
      for (const auto& item : state.sources[i]->status.items)
        if (item.version() == *request.plan.to) to_source = i;
    if (to_source == state.sources.size())
      throw Error(fmt::format("--to {}: no migration has that version", *request.plan.to),
                  ExitCode::usage);
  }
  std::vector<UpPlan> plans;
  for (size_t i = 0; i < state.sources.size(); ++i) {
    SourceState& src = *state.sources[i];
    for (const auto& w : src.warnings) out << "warning: " << w << "\n";
    UpOptions options = request.plan;
    if (i != to_source) options.to.reset();
    plans.push_back(i > to_source ? UpPlan{} : plan_up(src.status, options));
  }
  refuse_missing_tool_history_references(project, conn, plans);  // before any SQL
  // Backup (ops/backup.hpp) under the lock, before the first migration; a failure stops here.
  if (!request.dry_run)
    report.backup = backup_before_apply(project, conninfo, request.backup, plans, out);
  if (request.single_transaction && !request.dry_run) conn.exec("BEGIN");
  try {
    for (size_t si = 0; si < state.sources.size(); ++si) {
      SourceState& src = *state.sources[si];
      const UpPlan& plan = plans[si];
      SourceSummary summary{src.config->name,
                            src.config->tier,
                            static_cast<int>(src.migrations.size()),
                            0,
                            src.status.count(MigrationState::applied),
                            static_cast<int>(plan.skipped_env.size())};
      report.skipped_env += summary.left_out;
      report.pending_before += static_cast<int>(plan.steps.size());
      // Prepare every file of the source first: one that cannot run as written stops before any
      // SQL.
      std::vector<PreparedMigration> prepared;
      prepared.reserve(plan.steps.size());
      for (const auto& step : plan.steps)
        prepared.push_back(
            prepare_migration(*step.migration, step.migration->text, step.migration->display_path));
      for (const auto& p : prepared) {
        if (request.single_transaction && !p.transactional) {
          Error e(fmt::format("--single-transaction: {} cannot run inside a transaction",
                              p.migration->display_path));
          e.hint = "apply without --single-transaction";
          throw e.with_code(ExitCode::usage);
        }
      }
      // Rows of migrations a squashed file replaced become its one row (ops/squash.hpp).
      record_squashes(conn, store, src.status, request.dry_run, request.single_transaction, out);
      if (request.dry_run) {
        for (size_t i = 0; i < prepared.size(); ++i)
          print_dry_run(prepared[i], plan.steps[i].resume_from, out);
        report.sources.push_back(summary);
        continue;
      }
      if (!plan.adopt.empty()) {
        std::vector<HistoryStore::Sql> sql;
        for (const StatusItem* item : plan.adopt) {
          AppliedRecord r = applied_record(*item->migration);
          r.event = "adopt";
          r.event_detail = "found in the " + item->history->origin + " history";
          r.write_kept = false;  // that table has it already
          auto rows = store.record_applied(r);
          sql.insert(sql.end(), rows.begin(), rows.end());
        }
        if (!request.single_transaction) conn.exec("BEGIN");
        store.run(conn, sql);
        if (!request.single_transaction) conn.exec("COMMIT");
        report.adopted += static_cast<int>(plan.adopt.size());
        out << fmt::format("Adopted {} migration(s) recorded by another tool ({}).\n",
                           plan.adopt.size(), plan.adopt.front()->history->origin);
      }
      Executor executor(conn, store, lock ? &*lock : nullptr);
      if (request.on_statement_start)
        executor.on_statement = [&request](const PreparedMigration& p, int index,
                                           const sql::Statement& st) {
          request.on_statement_start(*p.migration, index, static_cast<int>(p.size()), st);
        };
      for (size_t i = 0; i < prepared.size(); ++i) {
        const Migration& m = *prepared[i].migration;
        ApplyOptions options = apply_options_for(project, true);
        options.in_outer_transaction = request.single_transaction;
        if (request.on_migration_start) request.on_migration_start(m);
        try {
          AppliedMigration done = executor.apply(prepared[i], plan.steps[i].resume_from, options);
          applied_out << fmt::format("Applied {} ({} statement{}, {} ms)\n", m.display_path,
                                     done.statements, done.statements == 1 ? "" : "s",
                                     done.execution_ms);
          report.applied.push_back(done);
          ++summary.executed;
        } catch (Error& e) {
          if (conn.is_open() && !conn.in_transaction() && prepared[i].transactional &&
              !request.single_transaction) {
            try {
              store.run(conn, {store.record_event(m.source, m.version, m.name, "fail", e.what())});
            } catch (...) {
            }
          }
          throw;
        }
      }
      report.sources.push_back(summary);
    }
    if (request.single_transaction && !request.dry_run) {
      if (lock) lock->check("committing the single transaction");
      conn.exec("COMMIT");
      out << held.str();
    }
  } catch (...) {
    if (request.single_transaction && conn.is_open() && conn.in_transaction()) {
      conn.exec("ROLLBACK");
      report.applied.clear();
    }
    // Migrations committed before the failure changed the schema: PostgREST must still reload.
    if (!report.applied.empty() && project.notify_postgrest && conn.is_open()) {
      try {
        conn.exec("NOTIFY pgrst, 'reload schema'");
      } catch (...) {
      }
    }
    throw;
  }
  if (!report.applied.empty() && project.notify_postgrest) {
    // PostgREST reloads its schema cache on this; harmless where nothing listens.
    conn.exec("NOTIFY pgrst, 'reload schema'");
    report.notified_postgrest = true;
  }
  report.total_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
  return report;
}

}  // namespace strata
