// Executor: runs migrations through libpq. A transactional migration is one pipelined
// transaction with its history rows (written as strata's login role, after a check that the
// lock is still held); a non-transactional one runs statement by statement: before each
// statement whose effect outlives a failure, the history marks it in flight (on the lock
// session), after it the progress; see docs/history.md "In flight".
#pragma once
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "db/connection.hpp"
#include "history/history_store.hpp"
#include "migration/migration.hpp"
#include "sql/statement.hpp"

namespace strata {

class MigrationLock;

// What will be sent for one migration: the statements to run and how.
struct PreparedMigration {
  const Migration* migration = nullptr;
  std::vector<sql::Statement> statements;  // to execute (transaction control already removed)
  int statements_total = 0;                // including skipped BEGIN/COMMIT
  bool transactional = true;
  bool whole_file = false;         // libpg_query could not parse: sent as one string
  std::vector<std::string> notes;  // e.g. "its own BEGIN/COMMIT runs inside strata's transaction"
  // Transactional files with their own BEGIN/COMMIT: where the folded BEGIN and COMMIT were
  // (index of the next statement in `statements`), so SET LOCAL / set_config(..., true) end at
  // the file's COMMIT as under psql. `session_sets`: settings a plain SET in that block changed
  // (they outlive the COMMIT, as under psql).
  struct Fold {
    size_t begin_at = 0;
    size_t commit_at = 0;
    std::vector<std::string> session_sets;
  };
  std::vector<Fold> folds;
  // A big transactional file (StreamLimits::file_bytes or more) is not held as statements:
  // `statements` is empty, prepare split it once to check it, and the executor splits it again
  // as it runs, sending the statements in bounded batches (peak memory stays near the file's
  // size). `count`: the statements to execute; `extensions`: its CREATE EXTENSION / COMMENT ON
  // EXTENSION statements (for stand-ins) with, in `extension_at`, their statement number.
  bool streamed = false;
  size_t count = 0;
  std::vector<sql::Statement> extensions;
  std::vector<size_t> extension_at;

  size_t size() const { return streamed ? count : statements.size(); }
};

// Files of at least `file_bytes` are prepared streamed (see PreparedMigration::streamed) and
// sent in batches of about `batch_bytes` of SQL. Process-wide; tests lower them to stream small
// files.
struct StreamLimits {
  size_t file_bytes = size_t{4} << 20;
  size_t batch_bytes = size_t{1} << 20;
};
StreamLimits stream_limits();
void set_stream_limits(const StreamLimits& limits);

// Splits and classifies; throws Error (with file:line:col) for what cannot be run as written.
// A migration's own text (`text` is `m.text`) of StreamLimits::file_bytes or more that runs in one
// transaction is prepared streamed.
PreparedMigration prepare_migration(const Migration& m, const std::string& text,
                                    const std::string& display_path, int first_line = 1);

// Calls `fn` with each statement to execute, in order: p.statements, or for a streamed
// migration the file split again (one statement alive at a time).
void for_each_statement(const PreparedMigration& p,
                        const std::function<void(const sql::Statement&)>& fn);

struct AppliedMigration {
  std::string version;
  std::string name;
  int statements = 0;
  long long execution_ms = 0;
};

// Runs a SQL script (seed, test file) statement by statement, pipelined, in the caller's
// transaction; a failure throws with file:line:col. Returns each statement's result, unless
// `keep_results` is false: then a script of StreamLimits::file_bytes or more is checked first and
// sent in batches of about StreamLimits::batch_bytes without holding its statements (big seeds),
// and nothing is returned.
std::vector<db::Result> run_script(db::Connection& conn, const std::string& text,
                                   const std::string& display_path, bool keep_results = true);

struct ApplyOptions {
  bool in_outer_transaction = false;  // --single-transaction: no BEGIN/COMMIT of its own
  std::string schema;                 // quoted app schema: first on the search_path
  std::vector<HistoryStore::Sql>
      after;  // run after the statements, in the same transaction (grants, legacy rows)
};

class Executor {
 public:
  // `lock`: the run's lock (null: no lock checks, bookkeeping on `conn`).
  Executor(db::Connection& conn, const HistoryStore& history, MigrationLock* lock = nullptr)
      : conn_(conn), history_(history), lock_(lock) {}

  // Applies one migration; `resume_from` skips statements already applied. `in_outer_transaction`
  // is for --single-transaction: no BEGIN/COMMIT of its own.
  // Errors: the statement's Error (5, file:line:col); 6 when the connection is lost (message
  // "connection lost while running <file>"); 7 when the lock is found lost.
  AppliedMigration apply(const PreparedMigration& p, int resume_from, const ApplyOptions& options);

  // Runs a down script and removes the history rows in one transaction. A down script that
  // cannot run in a transaction (DownScript::no_transaction, or a statement such as DROP INDEX
  // CONCURRENTLY) runs statement by statement with the same in-flight marks and progress as a
  // non-transactional apply (HistoryRow::reverting), skipping its first `resume_from`
  // statements; the rows go when its last statement is done.
  AppliedMigration revert(const Migration& m, const ApplyOptions& options = {},
                          int resume_from = 0);

  // Progress (optional): called as each statement of a migration run statement by statement
  // (not transactional) starts, with its 0-based index in p.statements; a file's own BEGIN ...
  // COMMIT block is one call, at its BEGIN. Not called for transactional files or down scripts.
  std::function<void(const PreparedMigration& p, int index, const sql::Statement& st)> on_statement;

 private:
  // `replaced`: statement number -> the text to send instead (stand-ins).
  AppliedMigration apply_transactional(const PreparedMigration& p, const ApplyOptions& options,
                                       const std::map<size_t, std::string>& replaced = {});
  // `revert`: p is a down script (its progress kept apart from the up file's).
  AppliedMigration apply_statements(const PreparedMigration& p, int resume_from,
                                    const ApplyOptions& options, bool revert = false);
  // Throws `e` as the migration's error: at the statement's file:line:col (the included
  // file's for a statement of a `\i` file), exit 5, or 6 when the connection is gone.
  [[noreturn]] static void fail(const sql::Statement* st, db::DbError& e,
                                const std::string& display_path);
  friend std::vector<db::Result> run_script(db::Connection&, const std::string&, const std::string&,
                                            bool);
  db::Connection& conn_;
  const HistoryStore& history_;
  MigrationLock* lock_ = nullptr;
  // The last migration committed with the session reset to what strata set (no statement of
  // a file outlives it): the next transactional one needs no RESET ALL of its own.
  bool clean_ = false;
  std::string login_, role_;  // session_user and role when the executor first ran
};

}  // namespace strata
