// Squash: replace a source's migrations up to a version with ONE file that builds the same
// schema and the same rows. The DDL comes from the typed schema model (the migrations built in a
// shadow database, inspected, diffed from an empty shadow and planned by ddl/), followed by the
// files' data statements in file order (sql/ classifies them). The file is verified in a third
// shadow database before anything on disk changes: zero residual schema diff, and every table
// holds the same rows (count and content hash) and every sequence the same value.
//
// The squashed file keeps the newest squashed file's name and version, and lists what it replaces
// as `-- strata:squash-of <version> <checksum>` lines. A database whose history holds every one of
// those versions with those checksums counts the file as applied (plan/status.cpp); its next `up`
// rewrites those rows into one (record_squashes, below). squash itself never writes a history.
#pragma once
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "config/project.hpp"
#include "history/history_store.hpp"
#include "plan/status.hpp"

namespace strata {

struct SquashRequest {
  std::optional<std::string> version;  // last version to squash; default: the newest
  std::string source;                  // "": the project's first (default) source
  bool dry_run = false;                // print the squashed SQL, change nothing
};

// A statement carried from an original file into the squashed one, or left out of it.
struct SquashStatement {
  std::string file;  // display path of the original file
  int line = 0;      // line of its first token there
  std::string kind;  // parse node name: "InsertStmt", "CopyStmt", "SelectStmt", ...
};

struct SquashResult {
  std::string version;                // the squashed file's version (the newest squashed file's)
  std::string file;                   // its display path
  std::string sql;                    // its whole text
  std::vector<std::string> replaced;  // display paths of the squashed files (and down files)
  int ddl_statements = 0;
  std::vector<SquashStatement> data;      // data statements kept, in order
  std::vector<SquashStatement> left_out;  // SET / set_config / DO / transaction control
  int tables_checked = 0;                 // tables whose rows were compared
  int later_files = 0;                    // migrations after `version`, kept as they are
  int squashed = 0;                       // migrations replaced by the file (it included)
};

// `conninfo`: a server for the three shadow databases (needs CREATEDB); its own database is only
// read (whether it has strata's compat layer / stand-ins). Refuses with nothing changed on disk:
// Error(usage) for an unknown --version, fewer than two files to squash, or a dev-only
// (`-- strata:env`) or repeatable file among them; Error(config) for a file libpg_query cannot
// parse; Error(migration_failed) when a kept data statement fails in the squashed schema (the
// message names the original file:line, e.g. an UPDATE of a column a later file dropped);
// Error(failure) when the squashed file leaves a schema residual or different rows.
SquashResult run_squash(const Project& project, const std::string& conninfo,
                        const SquashRequest& request, std::ostream& out);

// For `up`, under the migration lock: for each item counted applied through its squash_of lines
// (StatusItem::squashed), one transaction that deletes the replaced versions' rows (strata's
// table, the Supabase CLI's, mirrors; a "squash" event each) and records the squashed file's own
// row with its checksum. Dry run: only says what it would do. Returns the number of squashes.
int record_squashes(db::Connection& conn, const HistoryStore& store, const Status& status,
                    bool dry_run, bool in_outer_transaction, std::ostream& out);

}  // namespace strata
