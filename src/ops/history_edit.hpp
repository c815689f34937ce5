// History edits that run no migration SQL: repair (mark applied or reverted) and baseline
// (mark everything up to a version applied on a database that already has the schema).
#pragma once
#include <chrono>
#include <ostream>
#include <string>
#include <vector>

#include "config/project.hpp"

namespace strata {

enum class RepairStatus { applied, reverted };

void run_repair(const Project& project, const std::string& conninfo, RepairStatus status,
                const std::vector<std::string>& versions, std::chrono::milliseconds lock_timeout,
                std::ostream& out, const std::string& source = "");

// `repair --in-doubt ran|not-run <version>`: settles the statement an interrupted run left in
// doubt (HistoryRow::in_flight): `ran` counts it (and its block) as applied, so `up` continues
// after it; otherwise `up` runs it again. Error(usage) when the version has nothing in doubt.
void run_repair_in_doubt(const Project& project, const std::string& conninfo, bool ran,
                         const std::string& version, std::chrono::milliseconds lock_timeout,
                         std::ostream& out, const std::string& source = "");

int run_baseline(const Project& project, const std::string& conninfo, const std::string& version,
                 std::chrono::milliseconds lock_timeout, std::ostream& out,
                 const std::string& source = "");

}  // namespace strata
