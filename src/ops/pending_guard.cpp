// The "refuse while migrations are pending" check shared by `db pull` and `schema apply`.
#include "ops/pending_guard.hpp"

#include <fmt/format.h>

#include <vector>

#include "db/connection.hpp"
#include "ops/project_state.hpp"
#include "util/error.hpp"

namespace strata {

void refuse_while_pending(const Project& project, const std::string& conninfo,
                          const std::string& command, const std::string& why) {
  db::Connection conn = db::Connection::open(conninfo);
  ProjectState state = load_state(project, conn);
  std::vector<std::string> pending;
  for (const auto& s : state.sources)
    for (const auto& item : s->status.items)
      if (item.state == MigrationState::pending) pending.push_back(item.version());
  if (pending.empty()) return;
  Error e(fmt::format("{} migration(s) are pending on this database: {}", pending.size(), why),
          ExitCode::pending);
  e.detail = fmt::format("pending: {}", fmt::join(pending, ", "));
  e.hint = fmt::format(
      "run `strata up` first (or `strata repair --status applied <version>` for ones already "
      "applied by hand), then `strata {}`",
      command);
  throw e;
}

}  // namespace strata
