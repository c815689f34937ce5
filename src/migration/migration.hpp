// Migration: one forward migration file of a source, with its optional down script, checksum
// and the strata directives found in its comments.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace strata {

struct DownScript {
  std::filesystem::path
      path;  // a separate file, or the up file itself for a `-- strata:down` section
  std::string text;
  int first_line = 1;  // line in `path` where `text` starts
  // Runs statement by statement outside a transaction: the file-wide marker of the up file
  // (goose `NO TRANSACTION`, `-- strata:no-transaction`) or the down section's own (dbmate's
  // `-- migrate:down transaction:false`). A statement that cannot run in a transaction (DROP
  // INDEX CONCURRENTLY) makes any down script run that way too.
  bool no_transaction = false;
  // Not empty when the file has no down part and its tool rolls the version back anyway, without
  // SQL (goose: no `-- +goose Down`; golang-migrate: no .down.sql): why, for the output.
  std::string no_sql_reason;
};

// One migration a squashed file replaces (`-- strata:squash-of <version> <checksum>`): a
// database whose history holds all of them, with these checksums, has applied the squashed file.
// One `-- strata:squash-of <version> <checksum> [via <version> <checksum>]` line of a squashed
// file. Without `via`: a file this squash replaced. With `via`: a file that an earlier squash
// (the `via` file, itself replaced by this one) had replaced, so a database that never recorded
// the earlier squash still matches (chained squashes).
struct SquashedVersion {
  std::string version;
  std::string checksum;      // "sha256:<hex>" of the replaced file
  std::string via_version;   // "" = replaced directly by this file
  std::string via_checksum;  // the earlier squash's own checksum
};

struct Migration {
  std::string source =
      "default";               // history scope (a tier, plugin or app); "default" for one source
  std::string version;         // identity within the source: digit prefix, or the file stem
  std::string name;            // human name (after the version), or the stem
  std::filesystem::path path;  // absolute
  std::string display_path;    // relative to the project root
  std::string text;            // the up SQL (file text before any `-- strata:down` line)
  std::string checksum;        // "sha256:<hex>" of the whole normalised file
  std::optional<DownScript> down;
  bool no_transaction = false;  // `-- strata:no-transaction`
  std::string env;              // `-- strata:env dev`: runs only in that environment
  bool repeatable = false;  // Flyway `R__*.sql`: re-applied, after the versioned ones, when changed
  // Non-empty ("goose"): a migration only that tool can run (a goose `.go` file). It has its
  // place in the version sequence and in the history, and strata never runs it: `up` stops
  // before it, `repair --status applied` records it once the tool ran it.
  std::string runs_with;
  std::vector<SquashedVersion> squash_of;  // written by `strata migration squash` (ops/squash)
};

// Reads directives and the optional `-- strata:down` section from a file's text.
// `file_text` may be `m.text` itself (no copy is made then when the file has no directives).
void apply_directives(Migration& m, const std::string& file_text);

}  // namespace strata
