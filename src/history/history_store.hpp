// HistoryStore: strata's history tables in the database, `<schema>.migrations` keyed by
// (source, version) and the append-only `<schema>.events`, plus, in a Supabase project, the
// Supabase CLI's supabase_migrations.schema_migrations kept in step in the same transaction.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/project.hpp"
#include "db/connection.hpp"
#include "history/history_row.hpp"

namespace strata {

struct Migration;
class HistoryFormat;

class HistoryStore {
 public:
  HistoryStore(std::string schema, bool supabase_compat);

  const std::string& schema() const { return schema_; }

  // Creates the tables if missing (idempotent; run under the migration lock).
  // `legacy`: also the tracking tables of seed 003's runner.
  void ensure(db::Connection& conn, bool legacy = false) const;
  // Reads the history without creating anything (for status and dry runs). Rows from the
  // Supabase table that strata's table lacks come back with origin "supabase".
  // Rows from seed 003's tracking tables (when the source keeps them) come back with origin
  // "legacy".
  std::vector<HistoryRow> load(db::Connection& conn, const SourceConfig& source) const;
  // The same, plus the rows only another tool's table of this source records (`adopt` formats
  // whose table exists, see set_foreign), origin = the tool, versions aligned with `local`.
  std::vector<HistoryRow> load(db::Connection& conn, const SourceConfig& source,
                               const std::vector<Migration>& local) const;

  // Other tools' tables: read for adoption, and kept written in the same transaction
  // (`[history] mirror`). `tables`: source name -> that source's table of the tools
  // ("schema.name"; "" = each tool's default table); a source not in it has none. By default
  // every known table of the "default" source is read and none is written.
  void set_foreign(std::vector<const HistoryFormat*> adopt,
                   std::vector<const HistoryFormat*> mirror,
                   std::map<std::string, std::string> tables);

  // Statements that record a finished migration, for the executor's pipeline (same transaction).
  struct Sql {
    std::string text;
    db::Params params;
  };
  std::vector<Sql> record_applied(const AppliedRecord& r) const;
  std::vector<Sql> record_applied(const Migration& m, int statements_total, int statements_applied,
                                  bool transactional, bool success, long long execution_ms,
                                  const std::string& error,
                                  const std::string& failed_statement) const;
  std::vector<Sql> record_reverted(const Migration& m, const std::string& action) const;
  std::vector<Sql> record_reverted(const std::string& source, const std::string& version,
                                   const std::string& name, const std::string& action) const;
  Sql record_event(const std::string& source, const std::string& version, const std::string& name,
                   const std::string& action, const std::string& detail) const;
  // Supabase table: insert (version, name, statements).
  std::vector<Sql> record_supabase(const Migration& m,
                                   const std::vector<std::string>& statements) const;

  // Non-transactional progress, written on the lock session before and after each statement:
  // the statement (or block) about to be sent; statements done (clears the in-flight marker,
  // appends the done statements' hashes); the hashes of the first statements_applied statements.
  Sql record_in_flight(const Migration& m, const InFlight& f) const;
  Sql record_progress(const std::string& source, const std::string& version, int statements_applied,
                      const std::vector<std::string>& hashes) const;
  Sql reset_statement_hashes(const Migration& m, const std::vector<std::string>& hashes) const;
  // A non-transactional down script (the row stays until it finishes): its first `done`
  // statements ran, and the error that stopped it ("" while it runs). record_in_flight with
  // InFlight::down marks one of its statements; record_progress counts it done.
  Sql record_revert_progress(const Migration& m, int done, const std::string& error = "") const;

  // Keeps seed 003's tracking table of the source in step (same transaction as the migration).
  std::vector<Sql> record_legacy(const SourceConfig& source, const Migration& m,
                                 bool applied) const;

  void run(db::Connection& conn, const std::vector<Sql>& sql) const;

 private:
  std::string schema_;  // quoted identifier
  std::string schema_raw_;
  bool supabase_;
  std::vector<const HistoryFormat*> adopt_;   // other tools' tables to adopt from
  std::vector<const HistoryFormat*> mirror_;  // other tools' tables kept written
  std::map<std::string, std::string> tables_ = {{"default", ""}};  // see set_foreign
  // The table of tool `f` for `source`, or nullopt when the source has none.
  std::optional<std::string> table_of(const std::string& source, const HistoryFormat& f) const;
  void ensure_mirrors(db::Connection& conn) const;
  void add_mirrors(std::vector<Sql>& out, const AppliedRecord& r, bool applied) const;
};

}  // namespace strata
