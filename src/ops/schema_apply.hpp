// Declarative schema: the project's desired schema kept as .sql files (`[schema] paths` in
// strata.toml). plan_schema diffs the target database against those files built in a shadow
// database (ops/db_diff) and lints the resulting SQL; apply_schema writes that SQL as the next
// migration and runs the normal `up` path, so it gets up's transaction, lock and history.
#pragma once
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "config/project.hpp"
#include "lint/linter.hpp"
#include "migration/create.hpp"
#include "ops/db_diff.hpp"

namespace strata {

// The files `[schema] paths` names, in order (globs expanded relative to the project root,
// sorted within each glob, duplicates dropped). Throws Error(config) when `[schema] paths` is
// not set or matches no file.
std::vector<std::filesystem::path> schema_files(const Project& project);

struct SchemaPlan {
  DiffResult diff;        // from = the database, to = the schema files
  std::string sql;        // diff.plan.sql(); "" when the database already matches
  lint::LintResult lint;  // findings on `sql` (path "schema plan")
  std::vector<std::filesystem::path> files;
};

// `conninfo`: the target database (the shadow is created on its server: needs CREATEDB).
// Throws Error(5) when a schema file fails in the shadow database.
SchemaPlan plan_schema(const Project& project, const std::string& conninfo,
                       const std::vector<std::string>& schemas);

// write_next_migration (the next migration file) is in migration/create.hpp.

struct SchemaApplyRequest {
  std::vector<std::string> schemas;
  bool allow_destructive = false;
  std::string name = "schema_apply";  // migration name
  std::string env;                    // as for up ("dev" on the local database)
  std::chrono::milliseconds lock_timeout{60000};
};

struct SchemaApplyResult {
  SchemaPlan plan;
  std::string migration;  // display path of the written migration; "" when nothing to do
};

// Refuses (nothing written, database unchanged) when migrations are pending (Error(pending), see
// ops/pending_guard.hpp: the plan would not account for them) or, without allow_destructive,
// when the plan drops anything (Error(usage)). Otherwise writes the migration and runs up (which
// prints progress to `out`).
SchemaApplyResult apply_schema(const Project& project, const std::string& conninfo,
                               const SchemaApplyRequest& request, std::ostream& out);

}  // namespace strata
