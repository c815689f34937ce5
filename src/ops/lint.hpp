// `strata lint` and `strata up --lint`: which files to lint and what they learn from (the
// project's migrations in run order, the history when a database is given), the database's
// facts handed to the linter as a value (lint/ never sees a connection).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "config/project.hpp"
#include "lint/linter.hpp"

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
  std::string db_url;              // "" = no database: every migration counts as pending
};

struct LintRun {
  lint::LintResult result;
  std::vector<std::string> warnings;  // for stderr (discovery warnings, no database given)
};

// `project`: the project when there is one (plain files can be linted without). Throws
// Error(usage) for a file that cannot be read.
LintRun run_lint(const std::optional<Project>& project, const LintRequest& request);

}  // namespace strata
