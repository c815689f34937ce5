// Drift: apply every migration to a throwaway shadow database on the same server, inspect both
// catalogs, and diff them. What the database has beyond the migrations is drift; `-f` turns it
// into a new migration file.
#pragma once
#include <string>
#include <vector>

#include "config/project.hpp"
#include "diff/schema_diff.hpp"

namespace strata {

struct DiffRequest {
  std::vector<std::string> schemas;  // empty: all user schemas
  std::string env;                   // as for up: "dev" includes dev-only migrations
};

struct DiffResult {
  SchemaModel migrations;  // the shadow database after every migration
  SchemaModel database;    // the target
  std::vector<Change> changes;
};

DiffResult run_db_diff(const Project& project, const std::string& conninfo,
                       const DiffRequest& request);

}  // namespace strata
