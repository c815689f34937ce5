// MigrationLock: a PostgreSQL advisory lock held on its own session (never the one that runs
// DDL, so CREATE INDEX CONCURRENTLY cannot deadlock against a waiting runner). Polled with
// backoff up to a timeout; on timeout the error says who holds it.
#pragma once
#include <chrono>
#include <string>

#include "db/connection.hpp"

namespace strata {

class MigrationLock {
 public:
  // `scope` names what is serialised, e.g. "<history schema>/<source or app>".
  MigrationLock(const std::string& conninfo, const std::string& scope,
                std::chrono::milliseconds timeout);
  ~MigrationLock();
  MigrationLock(const MigrationLock&) = delete;
  MigrationLock& operator=(const MigrationLock&) = delete;

  static long long key_for(const std::string& scope);

 private:
  db::Connection conn_;
  long long key_;
};

}  // namespace strata
