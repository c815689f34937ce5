// Down: roll back applied migrations with their down scripts, newest first, each in one
// transaction with the removal of its history rows.
#pragma once
#include <chrono>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "config/project.hpp"
#include "execute/executor.hpp"
#include "execute/lock.hpp"
#include "plan/plan.hpp"

namespace strata {

struct DownRequest {
  DownOptions plan;
  bool dry_run = false;
  std::string source;  // which source to roll back (default: see pick_source)
  std::chrono::milliseconds lock_timeout{60000};
  // Progress hooks (optional; the CLI's progress, as for `up`): the lock's holder after 1 s of
  // waiting, each migration as its down script starts, and each statement of a
  // non-transactional down script (index 0-based, of `total`).
  std::function<void(const LockHolder&)> on_lock_wait;
  std::function<void(const Migration&)> on_migration_start;
  std::function<void(const Migration&, int index, int total, const sql::Statement&)>
      on_statement_start;
};

std::vector<AppliedMigration> run_down(const Project& project, const std::string& conninfo,
                                       const DownRequest& request, std::ostream& out);

}  // namespace strata
