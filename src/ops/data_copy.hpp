// Data copy between environments (seed 004's sandbox -> production move): every table of a
// schema streamed with COPY into the same tables of another database (optionally another schema
// name), verbatim, in one target transaction with triggers and foreign keys deferred, row counts
// verified per table, and sequences set past the copied ids. Nothing is committed unless all
// counts match.
#pragma once
#include <functional>
#include <string>
#include <vector>

namespace strata {

struct CopyRequest {
  std::string from_url;
  std::string to_url;
  std::string schema;               // source schema
  std::string to_schema;            // target schema (default: the same name)
  std::vector<std::string> tables;  // default: every table of the source schema
  bool allow_non_empty = false;     // copy into tables that already have rows
  // Called as rows arrive (after each row) and once more when a table is done: the table's name,
  // its rows copied so far and in the source (the snapshot's count), and bytes so far.
  std::function<void(const std::string& table, long long rows, long long rows_total,
                     long long bytes, bool done)>
      on_progress;
};

struct CopiedTable {
  std::string table;
  long long source_rows = 0;
  long long target_rows = 0;
  long long bytes = 0;
};

struct CopyReport {
  std::vector<CopiedTable> tables;
  std::vector<std::string> sequences;  // "schema.seq -> next value"
};

CopyReport run_copy(const CopyRequest& request);

}  // namespace strata
