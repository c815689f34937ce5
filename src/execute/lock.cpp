// Advisory lock acquisition by polling pg_try_advisory_lock with exponential backoff; the run
// key that keeps a new run out until an interrupted run's backend has ended; lock checks.
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

// pg_locks shows a bigint advisory key as classid (high 32 bits) and objid (low 32 bits).
static std::string lock_condition(long long key) {
  auto u = static_cast<unsigned long long>(key);
  return fmt::format(
      "l.locktype = 'advisory' AND l.granted AND l.classid = {} AND l.objid = {} AND l.objsubid "
      "= 1",
      u >> 32, u & 0xffffffffULL);
}

MigrationLock::MigrationLock(const std::string& conninfo, const std::string& scope,
                             std::chrono::milliseconds timeout,
                             const std::function<void(const LockHolder&)>& on_wait)
    : conn_(db::Connection::open(conninfo, "strata-lock")),
      key_(key_for(scope)),
      run_key_(key_for(scope + ":run")),
      scope_(scope),
      timeout_(timeout) {
  pid_ = conn_.backend_pid();
  const auto start = std::chrono::steady_clock::now();
  auto deadline = start + timeout;
  auto wait = std::chrono::milliseconds(20);
  const std::string key = std::to_string(key_);
  bool told = !on_wait;
  while (true) {
    if (conn_.exec_params("SELECT pg_try_advisory_lock($1::bigint)", {key}).get(0, 0) == "t")
      return;
    if (!told && std::chrono::steady_clock::now() - start >= std::chrono::seconds(1)) {
      told = true;
      auto h = conn_.exec(
          fmt::format("SELECT a.pid, coalesce(a.application_name, ''), "
                      "coalesce(to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS'), '') "
                      "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE {} LIMIT 1",
                      lock_condition(key_)));
      if (h.rows()) on_wait(LockHolder{std::stoi(h.get(0, 0)), h.get(0, 1), h.get(0, 2)});
    }
    if (std::chrono::steady_clock::now() + wait > deadline) break;
    std::this_thread::sleep_for(wait);
    wait = std::min(wait * 2, std::chrono::milliseconds(500));
  }
  auto holder = conn_.exec(
      fmt::format("SELECT a.pid, coalesce(a.usename, ''), coalesce(a.application_name, ''), "
                  "coalesce(host(a.client_addr), 'local'), "
                  "coalesce(to_char(now() - a.backend_start, 'HH24:MI:SS'), '') "
                  "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE {} LIMIT 1",
                  lock_condition(key_)));
  Error e(holder.rows() ? fmt::format("another migration run holds the lock for {}: pid {} (user "
                                      "{}, application {}, from {}, "
                                      "connected for {})",
                                      scope, holder.get(0, 0), holder.get(0, 1), holder.get(0, 2),
                                      holder.get(0, 3), holder.get(0, 4))
                        : fmt::format("could not take the migration lock for {} within {} ms",
                                      scope, timeout.count()),
          ExitCode::lock_timeout);
  e.hint =
      "wait for that run to finish and retry, or raise --lock-timeout; that pid is the run's lock "
      "session: to stop the run itself, end its migration session (application `strata`)";
  throw e;
}

void MigrationLock::wait_for_previous_run(db::Connection& migration_session, std::ostream* log) {
  auto deadline = std::chrono::steady_clock::now() + timeout_;
  auto wait = std::chrono::milliseconds(10);
  const std::string run_key = std::to_string(run_key_);
  bool told = false;
  while (true) {
    if (conn_.exec_params("SELECT pg_try_advisory_lock($1::bigint)", {run_key}).get(0, 0) == "t")
      break;
    auto holder = conn_.exec(fmt::format(
        "SELECT a.pid, coalesce(a.state, ''), coalesce(left(a.query, 200), '') FROM pg_locks l "
        "JOIN pg_stat_activity a ON a.pid = l.pid WHERE {} LIMIT 1",
        lock_condition(run_key_)));
    if (log && !told && holder.rows()) {
      *log << fmt::format(
          "Waiting for the session of an earlier run (backend pid {}) to end before starting...\n",
          holder.get(0, 0));
      told = true;
    }
    if (std::chrono::steady_clock::now() + wait > deadline) {
      Error e(holder.rows()
                  ? fmt::format("the migration session of an earlier run for {} is still there "
                                "(backend pid {}, {}: {})",
                                scope_, holder.get(0, 0), holder.get(0, 1), holder.get(0, 2))
                  : fmt::format("an earlier run for {} did not end within {} ms", scope_,
                                timeout_.count()),
              ExitCode::lock_timeout);
      e.hint = fmt::format(
          "its client is gone but the server is still running its last statement; wait for it, "
          "or stop it with SELECT pg_cancel_backend({0}) (then pg_terminate_backend({0})), and "
          "run strata again",
          holder.rows() ? holder.get(0, 0) : "<pid>");
      throw e;
    }
    std::this_thread::sleep_for(wait);
    wait = std::min(wait * 2, std::chrono::milliseconds(250));
  }
  conn_.exec_params("SELECT pg_advisory_unlock($1::bigint)", {run_key});
  migration_session.exec_params("SELECT pg_advisory_lock_shared($1::bigint)", {run_key});
}

Error MigrationLock::lost_error(const std::string& doing) const {
  Error e(fmt::format("lost the migration lock for {} while {}: its session (backend pid {}) "
                      "ended; stopped before the next statement or commit",
                      scope_, doing, pid_),
          ExitCode::lock_timeout);
  e.hint =
      "something ended strata's lock session (an admin, idle_session_timeout, a pooler or proxy "
      "dropping idle connections); run `strata up` again: it resumes where this run stopped";
  return e;
}

void MigrationLock::check(const std::string& doing) const {
  try {
    const_cast<db::Connection&>(conn_).exec("SELECT 1");
  } catch (const Error&) {
    throw lost_error(doing);
  }
}

// The lock session holds the key exclusively: a shared try on it fails while it does. When it
// succeeds, nobody holds the lock: 1 / 0. (The try's transaction-level hold ends with the
// transaction, which that error rolls back.) A lock-manager call, not a scan of pg_locks.
std::string MigrationLock::check_expression() const {
  return fmt::format("1 / (NOT pg_catalog.pg_try_advisory_xact_lock_shared({}::bigint))::int",
                     key_);
}

std::string MigrationLock::check_sql() const {
  return "SELECT " + check_expression();
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
