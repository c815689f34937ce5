// Up: lock, plan against the history, apply pending migrations (or print them: --dry-run).
#pragma once
#include <chrono>
#include <ostream>
#include <string>
#include <vector>

#include "config/project.hpp"
#include "execute/executor.hpp"
#include "plan/plan.hpp"

namespace strata {

struct UpRequest {
  UpOptions plan;
  bool dry_run = false;
  bool single_transaction = false;
  std::chrono::milliseconds lock_timeout{60000};
};

struct UpReport {
  std::vector<AppliedMigration> applied;
  int adopted = 0;
  int skipped_env = 0;
  int pending_before = 0;
  long long total_ms = 0;
};

// Progress lines go to `out` (dry run: the exact SQL). Throws Error on failure; everything
// committed before the failing migration stays committed.
UpReport run_up(const Project& project, const std::string& conninfo, const UpRequest& request,
                std::ostream& out);

}  // namespace strata
