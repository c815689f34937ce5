// Pull: capture what a database has that the project's migrations do not build (a schema
// changed by hand, or one that never had migrations) as one new migration, and mark it applied
// on that database. The diff is ops/db_diff's (migrations in a shadow database -> the target);
// the history row is written by ops/history_edit's repair, under the migration lock.
#pragma once
#include <chrono>
#include <ostream>
#include <string>
#include <vector>

#include "config/project.hpp"

namespace strata {

struct PullRequest {
  std::string name = "remote_schema";  // migration name ([a-z0-9_]+)
  std::vector<std::string> schemas;    // empty: every user schema
  bool allow_destructive = false;      // capture drops (objects removed by hand) too
  std::chrono::milliseconds lock_timeout{60000};
};

struct PullResult {
  std::string migration;  // display path written; "" when the database has nothing new
  std::string version;
  int changes = 0;
  std::vector<std::string> destructive;  // drops in the captured SQL (migrations ahead of the db)
};

// An empty (or missing) migrations folder: the whole schema becomes the baseline. Refuses
// (Error(pending), nothing written) while migrations are pending on the database, and
// (Error(usage), nothing written) when the captured SQL would drop something (an object the
// migrations build was removed by hand) unless `allow_destructive`: that migration would run
// those drops on every other database. Throws
// Error(1) when the shadow database cannot be created.
PullResult run_pull(const Project& project, const std::string& conninfo, const PullRequest& request,
                    std::ostream& out);

}  // namespace strata
