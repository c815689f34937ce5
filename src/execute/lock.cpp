// Advisory lock acquisition by polling pg_try_advisory_lock with exponential backoff.
#include "execute/lock.hpp"

#include <fmt/format.h>

#include <thread>

namespace strata {

long long MigrationLock::key_for(const std::string& scope) {
  unsigned long long h = 1469598103934665603ULL;  // FNV-1a 64
  for (unsigned char c : "strata:" + scope) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return static_cast<long long>(h);
}

MigrationLock::MigrationLock(const std::string& conninfo, const std::string& scope,
                             std::chrono::milliseconds timeout)
    : conn_(db::Connection::open(conninfo, "strata-lock")), key_(key_for(scope)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  auto wait = std::chrono::milliseconds(20);
  const std::string key = std::to_string(key_);
  while (true) {
    if (conn_.exec_params("SELECT pg_try_advisory_lock($1::bigint)", {key}).get(0, 0) == "t")
      return;
    if (std::chrono::steady_clock::now() + wait > deadline) break;
    std::this_thread::sleep_for(wait);
    wait = std::min(wait * 2, std::chrono::milliseconds(500));
  }
  auto holder = conn_.exec_params(
      "SELECT a.pid, coalesce(a.usename, ''), coalesce(a.application_name, ''), "
      "coalesce(host(a.client_addr), 'local'), "
      "coalesce(to_char(now() - a.backend_start, 'HH24:MI:SS'), '') "
      "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
      "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = (($1::bigint >> 32) & "
      "4294967295)::bigint::oid "
      "AND l.objid = ($1::bigint & 4294967295)::bigint::oid AND l.objsubid = 1 LIMIT 1",
      {key});
  Error e(holder.rows() ? fmt::format("another migration run holds the lock for {}: pid {} (user "
                                      "{}, application {}, from {}, "
                                      "connected for {})",
                                      scope, holder.get(0, 0), holder.get(0, 1), holder.get(0, 2),
                                      holder.get(0, 3), holder.get(0, 4))
                        : fmt::format("could not take the migration lock for {} within {} ms",
                                      scope, timeout.count()),
          ExitCode::lock_timeout);
  e.hint =
      "wait for that run to finish and retry, raise --lock-timeout, or end a stuck session with "
      "SELECT pg_terminate_backend(<pid>)";
  throw e;
}

MigrationLock::~MigrationLock() {
  try {
    if (conn_.is_open())
      conn_.exec_params("SELECT pg_advisory_unlock($1::bigint)", {std::to_string(key_)});
  } catch (...) {
    // The lock dies with the session anyway.
  }
}

}  // namespace strata
