// Down: roll back applied migrations with their down scripts, newest first, each in one
// transaction with the removal of its history rows.
#pragma once
#include <chrono>
#include <ostream>
#include <string>
#include <vector>

#include "config/project.hpp"
#include "execute/executor.hpp"
#include "plan/plan.hpp"

namespace strata {

struct DownRequest {
  DownOptions plan;
  bool dry_run = false;
  std::string source;  // which source to roll back (default: see pick_source)
  std::chrono::milliseconds lock_timeout{60000};
};

std::vector<AppliedMigration> run_down(const Project& project, const std::string& conninfo,
                                       const DownRequest& request, std::ostream& out);

}  // namespace strata
