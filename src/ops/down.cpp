// The down operation.
#include "ops/down.hpp"

#include <fmt/format.h>

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
    lock.emplace(conninfo, project.lock_scope(), request.lock_timeout);
    lock->wait_for_previous_run(conn, &out);
  }
  ProjectState state = load_state(project, conn);
  std::vector<AppliedMigration> done;
  {
    SourceState* src = &pick_source(state, request.source, request.plan.to.value_or(""));
    auto items = plan_down(src->status, request.plan);
    if (items.empty()) {
      out << "Nothing to roll back.\n";
      return done;
    }
    Executor executor(conn, store, lock ? &*lock : nullptr);
    for (const StatusItem* item : items) {
      const Migration& m = *item->migration;
      if (request.dry_run) {
        out << fmt::format("-- would roll back {} with {}\n{}\n", m.display_path,
                           m.down->path.string(), m.down->text);
        continue;
      }
      AppliedMigration r =
          executor.revert(m, apply_options_for(project, *src->config, m, store, false));
      out << fmt::format("Rolled back {} ({} ms)\n", m.display_path, r.execution_ms);
      done.push_back(r);
    }
  }
  return done;
}

}  // namespace strata
