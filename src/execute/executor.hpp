// Executor: runs migrations through libpq. A transactional migration is one pipelined
// transaction with its history rows; a non-transactional one runs statement by statement with
// its progress recorded after each, so the next run resumes after the last good statement.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "db/connection.hpp"
#include "history/history_store.hpp"
#include "migration/migration.hpp"
#include "sql/statement.hpp"

namespace strata {

// What will be sent for one migration: the statements to run and how.
struct PreparedMigration {
  const Migration* migration = nullptr;
  std::vector<sql::Statement> statements;  // to execute (transaction control already removed)
  int statements_total = 0;                // including skipped BEGIN/COMMIT
  bool transactional = true;
  bool whole_file = false;         // libpg_query could not parse: sent as one string
  std::vector<std::string> notes;  // e.g. "its own BEGIN/COMMIT runs inside strata's transaction"
};

// Splits and classifies; throws Error (with file:line:col) for what cannot be run as written.
PreparedMigration prepare_migration(const Migration& m, const std::string& text,
                                    const std::string& display_path, int first_line = 1);

struct AppliedMigration {
  std::string version;
  std::string name;
  int statements = 0;
  long long execution_ms = 0;
};

// Runs a SQL script (seed, test file) statement by statement, pipelined, in the caller's
// transaction; a failure throws with file:line:col. Returns each statement's result.
std::vector<db::Result> run_script(db::Connection& conn, const std::string& text,
                                   const std::string& display_path);

struct ApplyOptions {
  bool in_outer_transaction = false;  // --single-transaction: no BEGIN/COMMIT of its own
  std::string schema;                 // quoted app schema: first on the search_path
  std::vector<HistoryStore::Sql>
      after;  // run after the statements, in the same transaction (grants, legacy rows)
};

class Executor {
 public:
  Executor(db::Connection& conn, const HistoryStore& history) : conn_(conn), history_(history) {}

  // Applies one migration; `resume_from` skips statements already applied. `in_outer_transaction`
  // is for --single-transaction: no BEGIN/COMMIT of its own.
  AppliedMigration apply(const PreparedMigration& p, int resume_from, const ApplyOptions& options);

  // Runs a down script and removes the history rows in one transaction.
  AppliedMigration revert(const Migration& m, const ApplyOptions& options = {});

 private:
  [[noreturn]] static void fail(const PreparedMigration& p, const sql::Statement* st,
                                db::DbError& e, const std::string& file_text,
                                const std::string& display_path, int line_offset);
  friend std::vector<db::Result> run_script(db::Connection&, const std::string&,
                                            const std::string&);
  db::Connection& conn_;
  const HistoryStore& history_;
};

}  // namespace strata
