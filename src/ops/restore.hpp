// `strata db restore FILE`: loads a dump (from `strata db dump`, a backup from `up --backup`, or
// pg_dump's own formats) into a database, in one transaction: plain SQL through psql with
// ON_ERROR_STOP, pg_dump's custom and directory formats through pg_restore --exit-on-error.
// Debian's postgresql-client-15 programs; the password reaches them through their environment.
#pragma once
#include <filesystem>
#include <ostream>
#include <string>

#include "ops/target.hpp"

namespace strata {

struct RestoreRequest {
  std::filesystem::path file;
  bool force = false;  // allow a database that is not the project's local one
};

struct RestoreReport {
  std::string format;   // "plain", "custom" or "directory"
  long long bytes = 0;  // size of the file (directory: of its files)
  long long ms = 0;
};

// Throws Error: usage when the file is missing or the target is not local and `force` is not
// set (nothing is run); connection when the server cannot be reached; migration_failed when the
// server rejects a statement (psql's `file:line` message; nothing was restored: one
// transaction); failure when the client program is missing (naming the package).
RestoreReport run_restore(const Target& target, const RestoreRequest& request);

}  // namespace strata
