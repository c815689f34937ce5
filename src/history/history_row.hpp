// HistoryRow: what the database says about one migration (strata's table, or adopted from the
// Supabase CLI's supabase_migrations.schema_migrations or another tool's table, see
// src/history/formats/). AppliedRecord: what strata records for one migration it applied or
// reverted, one value handed to HistoryStore and every history table format.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace strata {

// A statement (or the file's own BEGIN...COMMIT block) of a non-transactional migration that
// was sent and not yet known to be done: written to the history before it is sent, cleared
// when it is done. A later run resolves it (see docs/history.md, "In flight").
struct InFlight {
  int from = 0;  // index of its first statement (0-based); also the resume point if it did not run
  int to = 0;    // statements_applied when it ran (index after its last statement)
  int pid = 0;   // backend pid of the migration session that sent it
  std::string xid;        // its transaction (pg_current_xact_id) when strata knows it, else ""
  std::string kind;       // parse node of the first statement, e.g. "IndexStmt"
  int line = 0;           // line of the first statement in the file
  std::string statement;  // its text (trimmed)
  std::vector<std::string> hashes;  // statement_hash of each of its statements
  bool down = false;  // a statement of the migration's down script (a non-transactional revert)
};

// Hash of one statement's text as it runs (trimmed), stored per applied statement of a
// non-transactional migration so a partial one can resume after its later statements changed.
std::string statement_hash(std::string_view statement_text);

struct HistoryRow {
  std::string source = "default";
  std::string version;
  std::string name;
  std::string checksum;  // "" when adopted from a tool that records none
  int statements_total = 0;
  int statements_applied = 0;
  bool transactional = true;
  bool success = true;     // false: a non-transactional migration stopped part-way
  std::string applied_at;  // ISO 8601
  std::string applied_by;
  long long execution_ms = 0;
  std::string error;
  std::vector<std::string> statement_hashes;  // non-transactional: one per applied statement
  std::optional<InFlight> in_flight;
  // A non-transactional down script stopped part-way: how many of its statements ran (the
  // version stays applied until its down script finishes; `strata down` resumes after them).
  std::optional<int> reverting;
  std::string revert_error;  // the error that stopped it, if the server reported one
  // "strata", or the tool whose table alone records it: "supabase", "legacy", "dbmate", "goose",
  // "golang-migrate", "flyway", "node-pg-migrate", "postgres-migrations", "graphile-migrate"
  std::string origin = "strata";
};

struct AppliedRecord {
  std::string source = "default";
  std::string version;
  std::string name;
  std::filesystem::path path;  // the migration file as written (tools that checksum it)
  std::string checksum;        // strata's "sha256:<hex>"
  bool repeatable = false;     // Flyway `R__`
  int statements_total = 0;
  int statements_applied = 0;
  bool transactional = true;
  bool success = true;
  long long execution_ms = 0;  // -1: measured server-side
  std::string error;
  std::string failed_statement;
  std::string history_schema;  // strata's own schema, quoted (for formats that read it)
  // The local migration before it in the source's order, when known ("" = none or unknown):
  // where a revert leaves a tool that records only the current version (golang-migrate).
  std::string previous_version;
  // Each statement's text as it ran (trimmed), collected only when a table kept for the source
  // stores them (HistoryStore::keeps_statement_texts: the Supabase CLI's).
  std::vector<std::string> statements;
  // The events row: its action ("" = "apply" when recorded applied, "revert" when reverted;
  // also "adopt", "repair", "baseline") and detail.
  std::string event;
  std::string event_detail;
  // Also record it in the other tables kept for the source (Supabase's, seed 003's, mirrors).
  // false: strata's row and event only (adopting a row another table already has).
  bool write_kept = true;
};

}  // namespace strata
