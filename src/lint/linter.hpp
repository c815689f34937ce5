// The linter: parses each migration file of an ordered set, runs the active rules on the files
// being linted (the others only teach the context), applies `[lint]` config and inline ignores,
// and returns positioned diagnostics. A pure stage: it reads statements from src/sql and gets
// what it needs from a database as a value (`catalog`, given by ops/lint.hpp); `strata lint` and
// `strata up --lint` call it through ops/lint.hpp.
#pragma once
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "config/project.hpp"
#include "lint/context.hpp"
#include "lint/diagnostic.hpp"
#include "lint/lint_config.hpp"
#include "migration/migration.hpp"

namespace strata::lint {

struct LintInput {
  std::string path;  // display path
  std::string text;  // the up SQL
  std::string version;
  bool lint = true;             // false: context only (earlier, already applied files)
  bool no_transaction = false;  // `-- strata:no-transaction`
  std::filesystem::path file;   // the file on disk, when there is one (for `\ir`)
};

struct LintOptions {
  LintConfig config;
  // The pending set is known (from a database): a table created in an earlier pending file
  // counts as new in later ones. Without a database each file is treated as its own deploy.
  bool pending_known = false;
  bool supabase = false;
  CatalogLookup catalog;  // optional facts about tables from the target database
};

struct LintResult {
  std::vector<Diagnostic> diagnostics;         // in file order, then position
  std::map<std::string, std::string> sources;  // display path -> text, for rendering
  int files_linted = 0;
};

// Lints `files` (in run order).
LintResult lint_files(const std::vector<LintInput>& files, const LintOptions& options);

// Lints `targets` with every migration of `set` (run order) as context; a migration of `set`
// not in `targets` and before the last target counts as already applied. Empty `targets` =
// all of `set`. `catalog` (optional: facts from the target database) also means the targets are
// the pending set.
LintResult lint_migrations(const Project& project, const std::vector<const Migration*>& set,
                           const std::vector<const Migration*>& targets, const LintConfig& config,
                           const CatalogLookup& catalog = {});

}  // namespace strata::lint
