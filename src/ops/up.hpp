// Up: lock, plan against the history, apply pending migrations (or print them: --dry-run).
#pragma once
#include <chrono>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "config/project.hpp"
#include "execute/executor.hpp"
#include "execute/lock.hpp"
#include "ops/backup.hpp"
#include "plan/plan.hpp"

namespace strata {

struct UpRequest {
  UpOptions plan;
  bool dry_run = false;
  bool single_transaction = false;
  std::chrono::milliseconds lock_timeout{60000};
  BackupRequest backup;  // a dump before the first migration (ops/backup.hpp)
  // Progress hooks (optional; the CLI's TTY progress): the lock's holder after 1 s of waiting
  // for it (execute/lock.hpp), and each migration just before it starts (not with dry_run).
  std::function<void(const LockHolder&)> on_lock_wait;
  std::function<void(const Migration&)> on_migration_start;
  // Each statement of a non-transactional migration as it starts: its 0-based index among the
  // file's `total` statements to run (Executor::on_statement).
  std::function<void(const Migration&, int index, int total, const sql::Statement&)>
      on_statement_start;
};

// Per source (tier, plugin, entity, app): what the run found and did.
struct SourceSummary {
  std::string source;
  std::string tier;
  int found = 0;
  int executed = 0;
  int already_applied = 0;
  int left_out = 0;  // dev-only migrations outside dev
};

struct UpReport {
  std::vector<AppliedMigration> applied;
  std::vector<SourceSummary> sources;
  int adopted = 0;
  int skipped_env = 0;
  int pending_before = 0;
  std::vector<std::string> grants;  // GRANT statements run after each migration
  bool notified_postgrest = false;
  std::optional<BackupResult> backup;  // the dump written before the first migration (--backup)
  long long total_ms = 0;
};

// Progress lines go to `out` (dry run: the exact SQL). Throws Error on failure; everything
// committed before the failing migration stays committed. `report` holds what was done so far.
UpReport run_up(const Project& project, const std::string& conninfo, const UpRequest& request,
                std::ostream& out);

}  // namespace strata
