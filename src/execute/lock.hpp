// MigrationLock: a PostgreSQL advisory lock held on its own session (never the one that runs
// DDL, so CREATE INDEX CONCURRENTLY cannot deadlock against a waiting runner). Polled with
// backoff up to a timeout; on timeout the error says who holds it.
//
// Two keys per scope: the lock key K, held exclusively by the lock session, and the run key R,
// held shared (session level) by the session that runs the migrations' SQL. A new holder of K
// first waits until no session holds R: a killed run's backend may still be executing its
// last statement after the client died and its lock session ended, and nothing may start
// before that backend is gone (`wait_for_previous_run`).
//
// The lock session also carries strata's in-flight bookkeeping for non-transactional
// statements (`session()`): writing there checks that the lock is still held, and it never runs
// as a role a migration switched to. A lost lock session is reported as
// Error(ExitCode::lock_timeout) "lost the migration lock".
#pragma once
#include <chrono>
#include <functional>
#include <ostream>
#include <string>

#include "db/connection.hpp"

namespace strata {

// Who holds the lock, as pg_stat_activity shows its session (for the "waiting for" line).
struct LockHolder {
  int pid = 0;
  std::string application;  // application_name ("strata-lock" for another strata run)
  std::string since;        // the session's backend_start, "YYYY-MM-DD HH24:MI:SS" server time
};

class MigrationLock {
 public:
  // `scope` names what is serialised, e.g. "<history schema>/<source or app>". `on_wait`
  // (optional) is called once, with the holder, after 1 s of waiting for the lock.
  MigrationLock(const std::string& conninfo, const std::string& scope,
                std::chrono::milliseconds timeout,
                const std::function<void(const LockHolder&)>& on_wait = {});
  ~MigrationLock();
  MigrationLock(const MigrationLock&) = delete;
  MigrationLock& operator=(const MigrationLock&) = delete;

  static long long key_for(const std::string& scope);

  // Waits (polling, up to the lock timeout) until no other session holds the run key, then
  // takes it shared on `migration_session`. Throws Error(lock_timeout) naming the backend that
  // is still running when the timeout passes. `log` gets one line when it has to wait.
  void wait_for_previous_run(db::Connection& migration_session, std::ostream* log);

  // Throws Error(lock_timeout) when the lock session is gone (a round trip on it).
  void check(const std::string& doing) const;
  // A statement for the migration session's transaction, just before its COMMIT: it fails with
  // division_by_zero (SQLSTATE 22012) when no session holds the lock any more (a try of the key,
  // shared, at transaction level: cheap, no pg_locks scan). `check_expression`: the same as an
  // int expression (1) for a SELECT list.
  std::string check_sql() const;
  std::string check_expression() const;
  // The error for a lock found lost while `doing` (e.g. "applying migrations/002_x.sql").
  Error lost_error(const std::string& doing) const;

  db::Connection& session() { return conn_; }
  int session_pid() const { return pid_; }

 private:
  db::Connection conn_;
  long long key_;
  long long run_key_;
  std::string scope_;
  std::chrono::milliseconds timeout_;
  int pid_ = 0;
};

}  // namespace strata
