// HistoryStore: strata's history tables in the database, `<schema>.migrations` keyed by
// (source, version) and the append-only `<schema>.events`, plus the other tables kept for a
// source (the Supabase CLI's, seed 003's runner's, other tools'), read for adoption and kept in
// step in the same transaction (each table's shape is a HistoryFormat, src/history/formats/).
#pragma once
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/project.hpp"
#include "db/connection.hpp"
#include "history/history_row.hpp"

namespace strata {

struct Migration;
class HistoryFormat;

// The table one format keeps for one source.
struct HistoryTable {
  std::string name;     // "schema.name", checked identifiers
  SourceConfig source;  // the source whose history it holds (some tables key rows by it)
};

class HistoryStore {
 public:
  explicit HistoryStore(std::string schema);

  const std::string& schema() const { return schema_; }

  // Another table that records `source`'s history (the Supabase CLI's, seed 003's runner's,
  // another tool's; see src/history/formats/), in `format`'s shape at `table` ("schema.name";
  // "" = the format's default table). `adopt`: its rows count as applied when strata's table
  // lacks them (tables kept earlier win). `write`: every apply and revert strata records for the
  // source is recorded in it too, in the same transaction.
  void keep(const SourceConfig& source, const HistoryFormat& format, std::string table, bool adopt,
            bool write);
  // Whether a table written for `source` records each statement's text (Supabase's): the
  // executor collects the texts (AppliedRecord::statements) only then.
  bool keeps_statement_texts(const std::string& source) const;

  // Creates strata's tables and every table kept written, if missing (idempotent; run under the
  // migration lock). One round trip when they all exist.
  void ensure(db::Connection& conn) const;
  // Reads `source`'s history without creating anything: strata's rows, then the rows only a kept
  // adopted table records (origin = that table's format: "supabase", "legacy", "dbmate", ...),
  // versions aligned with `local`. A source split by `run_last` gets only its own part's rows.
  std::vector<HistoryRow> load(db::Connection& conn, const SourceConfig& source,
                               const std::vector<Migration>& local) const;

  // Statements that record one migration, for the executor's pipeline (same transaction).
  struct Sql {
    std::string text;
    db::Params params;
  };
  // Upserts strata's row; when r.success, also the events row (r.event, default "apply") and, with
  // r.write_kept, the record in every table kept written for r.source.
  std::vector<Sql> record_applied(const AppliedRecord& r) const;
  // Deletes strata's row, adds the events row (r.event, default "revert") and, with
  // r.write_kept, takes the version out of every table kept written for r.source.
  std::vector<Sql> record_reverted(const AppliedRecord& r) const;
  Sql record_event(const std::string& source, const std::string& version, const std::string& name,
                   const std::string& action, const std::string& detail) const;

  // `[history] mirror` tables: `<schema>.mirrors` marks each (source, tool, table) strata keeps
  // complete. Once marked, a version strata applied that the tool's table no longer holds was
  // reverted by the tool (the two alternate) and `load` leaves strata's row out (pending).
  // Whether the last `load` of any source found a mirror table not marked yet (mirroring just
  // turned on, with migrations already applied): `up` then back-fills it.
  bool mirrors_behind() const;
  // The versions the last `load` of `source` left out because a mirrored tool reverted them,
  // "version (tool)".
  std::vector<std::string> reverted_by_tool(const std::string& source) const;
  // Under the migration lock: SQL that writes every applied migration of `source` (its strata
  // rows `rows`, files `local`) into each mirror table not marked yet, then marks it; and drops
  // the marks of tables no longer mirrored. `lines`: one per table filled, for the user.
  struct MirrorSync {
    std::vector<Sql> sql;
    std::vector<std::string> lines;
  };
  MirrorSync sync_mirrors(db::Connection& conn, const SourceConfig& source,
                          const std::vector<Migration>& local,
                          const std::vector<HistoryRow>& rows) const;

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

  void run(db::Connection& conn, const std::vector<Sql>& sql) const;

 private:
  struct Kept {
    const HistoryFormat* format;
    HistoryTable table;
    bool adopt, write;
  };
  std::string schema_;                             // quoted identifier
  std::map<std::string, std::vector<Kept>> kept_;  // source name -> its other tables, in order
  // What the last `load` of a source saw (a store serves one run, on one thread).
  struct SourceFacts {
    std::vector<std::string> local_versions;  // in order (previous_version for reverts)
    std::set<std::string> present;  // "tool table" of kept tables that exist in the tool's shape
    bool unsynced = false;          // a mirror table not marked in <schema>.mirrors
    std::vector<std::string> reverted_by_tool;
  };
  mutable std::map<std::string, SourceFacts> facts_;
  void add_kept(std::vector<Sql>& out, const AppliedRecord& r, bool applied) const;
};

// The record of migration `m` (identity, file, checksum, kind); the caller fills in what the run
// did (counts, success, time, statements).
AppliedRecord applied_record(const Migration& m);

}  // namespace strata
