// The refusal of commands that take the database as what the migrations built (`db pull`,
// `schema apply`): while migrations are pending, the database is not that, and what they would
// write would be wrong (a pull captures the pending files' objects as drops).
#pragma once
#include <string>

#include "config/project.hpp"

namespace strata {

// Reads the files and the history of every source (read-only) and throws Error(pending, exit 3)
// naming the pending versions when there are any: "<n> migration(s) are pending on this
// database: <why>", with the hint to run `strata up` first (or `strata repair --status applied`
// for ones applied by hand), then `strata <command>`. Throws Error(connection) when the
// database cannot be reached.
void refuse_while_pending(const Project& project, const std::string& conninfo,
                          const std::string& command, const std::string& why);

}  // namespace strata
