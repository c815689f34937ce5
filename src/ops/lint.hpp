// `strata lint` and `strata up --lint`: which files to lint and what they learn from (the
// project's migrations in run order, the history when a database is given), the database's
// facts handed to the linter as a value (lint/ never sees a connection).
#pragma once
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "config/project.hpp"
#include "lint/linter.hpp"
#include "ops/target.hpp"

namespace strata {
struct ProjectState;
namespace db {
class Connection;
}

// Table facts (exists, has rows) read from `conn` on demand; a failed query gives nullopt.
// `conn` must outlive the lookup.
lint::CatalogLookup catalog_lookup(db::Connection& conn);

// For `strata up --lint`: the pending migrations of `state` (every source), with the project's
// `[lint]` config. Refuse to apply when has_errors(result.diagnostics).
lint::LintResult lint_pending(const Project& project, const ProjectState& state,
                              db::Connection* conn = nullptr);

struct LintRequest {
  std::vector<std::string> files;  // explicit files (default: the pending migrations)
  bool all = false;                // every migration, applied or not
  std::optional<Target> target;    // none: no database, every migration counts as pending
};

// The database `strata lint` reads: the target every command resolves (resolve_target: --db-url,
// DATABASE_URL, libpq's PG* variables, the project's local database), except that a lint never
// starts the local database: none when it is not running (or there is no project to have one).
std::optional<Target> lint_target(const std::optional<Project>& project,
                                  const std::string& db_url_flag, std::ostream& log);

struct LintRun {
  lint::LintResult result;
  std::vector<std::string> warnings;  // for stderr (discovery warnings, no database given)
};

// `project`: the project when there is one (plain files can be linted without). Throws
// Error(usage) for a file that cannot be read, Error(connection) when `request.target` cannot be
// reached.
LintRun run_lint(const std::optional<Project>& project, const LintRequest& request);

}  // namespace strata
