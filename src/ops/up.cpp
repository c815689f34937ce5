// The up operation: the one path that changes a database forward.
#include "ops/up.hpp"

#include <fmt/format.h>

#include "execute/lock.hpp"
#include "ops/project_state.hpp"
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
  for (size_t i = static_cast<size_t>(resume_from); i < p.statements.size(); ++i) {
    out << trim(p.statements[i].text) << ";\n";
  }
  out << "\n";
}

UpReport run_up(const Project& project, const std::string& conninfo, const UpRequest& request,
                std::ostream& out) {
  UpReport report;
  auto t0 = Clock::now();
  db::Connection conn = db::Connection::open(conninfo);
  HistoryStore store = history_store_for(project);
  std::optional<MigrationLock> lock;
  if (request.dry_run) {
    conn.exec("SET default_transaction_read_only = on");
  } else {
    lock.emplace(
        conninfo,
        project.history_schema + "/" + (project.sources.empty() ? "" : project.sources[0].name),
        request.lock_timeout);
    store.ensure(conn);
  }
  ProjectState state = load_state(project, conn);
  for (auto& src : state.sources) {
    for (const auto& w : src->warnings) out << "warning: " << w << "\n";
    UpPlan plan = plan_up(src->status, request.plan);
    report.skipped_env += static_cast<int>(plan.skipped_env.size());
    report.pending_before += static_cast<int>(plan.steps.size());
    // Prepare everything first: a file that cannot be run as written stops the run before any SQL.
    std::vector<PreparedMigration> prepared;
    prepared.reserve(plan.steps.size());
    for (const auto& step : plan.steps)
      prepared.push_back(
          prepare_migration(*step.migration, step.migration->text, step.migration->display_path));
    if (request.single_transaction) {
      for (const auto& p : prepared) {
        if (!p.transactional) {
          Error e(fmt::format("--single-transaction: {} cannot run inside a transaction",
                              p.migration->display_path));
          e.hint = "apply without --single-transaction";
          throw e.with_code(ExitCode::usage);
        }
      }
    }
    if (request.dry_run) {
      for (size_t i = 0; i < prepared.size(); ++i)
        print_dry_run(prepared[i], plan.steps[i].resume_from, out);
      continue;
    }
    if (!plan.adopt.empty()) {
      conn.exec("BEGIN");
      for (const StatusItem* item : plan.adopt) {
        const Migration& m = *item->migration;
        auto sql = store.record_applied(m, 0, 0, true, true, 0, "", "");
        sql.resize(1);  // the row, not an "apply" event
        sql.push_back(store.record_event(m.source, m.version, m.name, "adopt",
                                         "found in supabase_migrations.schema_migrations"));
        store.run(conn, sql);
      }
      conn.exec("COMMIT");
      report.adopted += static_cast<int>(plan.adopt.size());
      out << fmt::format("Adopted {} migration(s) applied by the Supabase CLI.\n",
                         plan.adopt.size());
    }
    Executor executor(conn, store);
    if (request.single_transaction && !prepared.empty()) conn.exec("BEGIN");
    for (size_t i = 0; i < prepared.size(); ++i) {
      const Migration& m = *prepared[i].migration;
      try {
        AppliedMigration done =
            executor.apply(prepared[i], plan.steps[i].resume_from, request.single_transaction);
        out << fmt::format("Applied {} ({} statement{}, {} ms)\n", m.display_path, done.statements,
                           done.statements == 1 ? "" : "s", done.execution_ms);
        report.applied.push_back(done);
      } catch (Error& e) {
        if (request.single_transaction && conn.is_open() && conn.in_transaction())
          conn.exec("ROLLBACK");
        if (conn.is_open() && !conn.in_transaction() && prepared[i].transactional) {
          try {
            store.run(conn, {store.record_event(m.source, m.version, m.name, "fail", e.what())});
          } catch (...) {
          }
        }
        if (request.single_transaction) report.applied.clear();
        throw;
      }
    }
    if (request.single_transaction && !prepared.empty()) conn.exec("COMMIT");
  }
  report.total_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
  return report;
}

}  // namespace strata
