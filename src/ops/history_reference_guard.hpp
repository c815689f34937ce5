// Before `up` runs anything: a pending migration that uses another tool's history table
// (Flyway's `flyway_schema_history`, goose's `goose_db_version`, node-pg-migrate's
// `pgmigrations`) while that table does not exist and strata does not keep it (`[history]
// mirror`) would fail part-way through the run, after the migrations before it committed.
// Under the tool the table always exists; strata refuses up front with the mirror hint.
#pragma once
#include <vector>

#include "config/project.hpp"
#include "db/connection.hpp"
#include "plan/plan.hpp"

namespace strata {

// Throws Error(ExitCode::config) naming the first pending file (display path) that mentions a
// missing, unmirrored tool table, with the hint `[history] mirror = ["<tool>"]`. Cheap: one
// case-insensitive word search per pending file, one catalog query only when a name is found.
void refuse_missing_tool_history_references(const Project& project, db::Connection& conn,
                                            const std::vector<UpPlan>& plans);

}  // namespace strata
