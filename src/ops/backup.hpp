// Backup before `up` (`strata up --backup DIR`, `[backup] dir` in strata.toml): before the first
// migration is applied, pg_dump the schemas the run may change (every user schema, or the app's
// own schema in a shared database) with their rows and the migration history, as one plain SQL
// file that `strata db restore` loads. A backup that fails stops the run before any migration.
#pragma once
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "config/project.hpp"
#include "plan/plan.hpp"

namespace strata {

struct BackupRequest {
  std::filesystem::path dir;  // empty = no backup
};

// `--backup DIR` (flag_dir, relative to the current folder) always backs up, even the local
// database; otherwise `[backup] dir` does, for a database that is not the project's local one.
BackupRequest backup_request(const Project& project, bool target_local,
                             const std::string& flag_dir);

struct BackupResult {
  std::filesystem::path file;  // DIR/<database>-<UTC yyyymmddThhmmssZ>.sql (-2, -3... if taken)
  long long bytes = 0;
};

// Writes the backup and prints "Backup: FILE (SIZE)" to `out`. The folder is created if
// missing. Throws Error(ExitCode::failure) "backup failed ...: nothing was applied" when the
// folder cannot be written or pg_dump fails or is missing; no partial file is left behind.
BackupResult run_backup(const Project& project, const std::string& conninfo,
                        const BackupRequest& request, std::ostream& out);

// The hook at the start of `up`'s apply: backs up when `request.dir` is set and some plan has a
// migration to run (not for a run that only adopts rows or has nothing to do).
// Returns the backup written, if any.
std::optional<BackupResult> backup_before_apply(const Project& project, const std::string& conninfo,
                                                const BackupRequest& request,
                                                const std::vector<UpPlan>& plans,
                                                std::ostream& out);

}  // namespace strata
