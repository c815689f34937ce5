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

int run_baseline(const Project& project, const std::string& conninfo, const std::string& version,
                 std::chrono::milliseconds lock_timeout, std::ostream& out,
                 const std::string& source = "");

}  // namespace strata
