// The down operation.
#include "ops/down.hpp"

#include <fmt/format.h>

#include "execute/in_doubt.hpp"
#include "execute/lock.hpp"
#include "ops/apply_options.hpp"
#include "ops/project_state.hpp"

namespace strata {

std::vector<AppliedMigration> run_down(const Project& project, const std::string& conninfo,
                                       const DownRequest& request, std::ostream& out) {
  db::Connection conn = db::Connection::open(conninfo);
  HistoryStore store = history_store_for(project);
  std::optional<MigrationLock> lock;
  if (request.dry_run)
    conn.exec("SET default_transaction_read_only = on");
  else {
    lock.emplace(conninfo, project.lock_scope(), request.lock_timeout, request.on_lock_wait);
    lock->wait_for_previous_run(conn, &out);
  }
  ProjectState state = load_state(project, conn, &store);
  std::vector<AppliedMigration> done;
  {
    SourceState* src = &pick_source(state, request.source, request.plan.to.value_or(""));
    if (!request.dry_run) {
      // A statement of a non-transactional down script that an interrupted run left in flight:
      // settled from what the server can tell (or in doubt), as for an up file.
      bool settled = false;
      std::string source_flag =
          state.sources.size() > 1 ? "--source " + src->config->name + " " : "";
      for (const auto& item : src->status.items) {
        if (!item.history || !item.history->in_flight || !item.history->in_flight->down) continue;
        resolve_in_flight(conn, store, item.migration, *item.history, source_flag, out);
        settled = true;
      }
      if (settled) refresh_history(project, state, conn, &store);
    }
    auto items = plan_down(src->status, request.plan);
    if (items.empty()) {
      out << "Nothing to roll back.\n";
      return done;
    }
    Executor executor(conn, store, lock ? &*lock : nullptr);
    if (request.on_statement_start)
      executor.on_statement = [&request](const PreparedMigration& p, int index,
                                         const sql::Statement& st) {
        request.on_statement_start(*p.migration, index, static_cast<int>(p.size()), st);
      };
    for (const StatusItem* item : items) {
      const Migration& m = *item->migration;
      if (request.dry_run) {
        out << fmt::format("-- would roll back {} with {}\n{}\n", m.display_path,
                           m.down->path.string(), m.down->text);
        continue;
      }
      int resume_from = item->history && item->history->reverting ? *item->history->reverting : 0;
      if (resume_from > 0)
        out << fmt::format("Resuming the down script of {} after statement {}.\n", m.display_path,
                           resume_from);
      if (request.on_migration_start) {
        Migration shown = m;  // the file whose statements run: the down file, if separate
        if (m.down->path != m.path) shown.display_path = m.down->path.filename().string();
        request.on_migration_start(shown);
      }
      AppliedMigration r = executor.revert(m, apply_options_for(project, false), resume_from);
      if (!m.down->no_sql_reason.empty())
        out << fmt::format("Rolled back {}: no SQL run, only its history row removed ({})\n",
                           m.display_path, m.down->no_sql_reason);
      else
        out << fmt::format("Rolled back {} ({} ms)\n", m.display_path, r.execution_ms);
      done.push_back(r);
    }
  }
  return done;
}

}  // namespace strata
