// Schema diff between two sources: a database (URL), the project's migrations or a .sql file /
// folder of schema files (both built in a throwaway shadow database on the target's server).
// Default: from = the migrations, to = the target database (drift). Each side is inspected into
// a SchemaModel, diffed into Changes and planned into ordered DDL.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "config/project.hpp"
#include "ddl/ddl_writer.hpp"
#include "diff/schema_diff.hpp"

namespace strata {

// A side of the comparison, parsed from the command line.
struct DiffSource {
  enum class Kind { database, migrations, files } kind = Kind::database;
  std::string value;          // URL / conninfo, or the file or folder path
  std::string label() const;  // for the report: "migrations", "file x.sql", "database"
};

// "migrations"; postgres:// or postgresql:// URL, or a conninfo with '='; anything else is a
// path to a .sql file or a folder (its *.sql files, recursively, in name order). Throws
// Error(usage) for a path that does not exist.
DiffSource parse_diff_source(const std::string& text);

struct DiffRequest {
  std::vector<std::string> schemas;  // empty: all user schemas
  std::string env;                   // as for up: "dev" includes dev-only migrations
  std::optional<DiffSource> from;    // default: the migrations
  std::optional<DiffSource> to;      // default: the target database
};

struct DiffResult {
  SchemaModel from;  // e.g. the shadow database after every migration
  SchemaModel to;    // e.g. the target
  std::string from_label, to_label;
  std::vector<Change> changes;
  DdlPlan plan;  // SQL turning `from` into `to`
};

// `conninfo`: the target database; shadow databases are created on its server (needs CREATEDB).
// Throws Error (1: shadow cannot be created; 5: a migration or schema file fails there).
DiffResult run_db_diff(const Project& project, const std::string& conninfo,
                       const DiffRequest& request);

}  // namespace strata
