// Splits a SQL file into statements with libpg_query (never a hand-written SQL grammar) and
// classifies each from its parse tree: transaction control, statements that cannot run inside a
// transaction block, COPY FROM stdin with its inline data. Before the parse, a psql-like pass
// (script_scan.hpp) skips a UTF-8 BOM, `\restrict`/`\unrestrict`, follows `\i`/`\ir` and finds
// the COPY data; anything that must stop the file (invalid UTF-8, other meta-commands) becomes a
// Problem. Linear in the file's size: big files are parsed in ~1 MiB runs of statements, lines
// and columns are carried forward, never recounted from byte 0.
#pragma once
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "sql/statement.hpp"

namespace strata::sql {

struct SplitOptions {
  bool keep_trees = false;     // keep the parse trees: Statement::node is set (lint)
  std::filesystem::path path;  // the file itself: `\ir` is relative to its folder
  int include_depth = 0;       // internal: nesting of `\i` / `\ir`
};

SplitFile split_statements(std::string_view text, const SplitOptions& options = {});

// Receives a file's statements one at a time, in file order (each with its `index`), instead of
// SplitFile::statements: a big file is then never held as statements, only one run of it.
struct StatementSink {
  virtual ~StatementSink() = default;
  virtual void add(Statement&& st) = 0;
  // The statements given so far are void: the file is split again from its start (a run of a
  // big file ended inside a statement, e.g. a BEGIN ATOMIC body). Deterministic for a text.
  virtual void restart() = 0;
};
// As above, the statements going to `sink`; the returned SplitFile has no `statements`.
SplitFile split_statements(std::string_view text, const SplitOptions& options, StatementSink& sink);

// The files a text pulls in with `\i` / `\ir` (and those pull in, depth first, in order), with
// their contents; a file that cannot be read has an empty `text` and `readable` false. For the
// migration checksum: a change in an included file changes the migration.
struct IncludedFile {
  std::filesystem::path path;
  std::string text;
  bool readable = false;
};
std::vector<IncludedFile> included_files(std::string_view text, const std::filesystem::path& path);

// Throws Error (exit 8, "display_path:line:col: message", with a hint) for the first of
// `split.problems`; `first_line` is the file line where `text` started (down sections).
void check_runnable(const SplitFile& split, const std::string& display_path, int first_line = 1);

// True when the text holds nothing but blanks and comments.
bool is_blank_sql(std::string_view text);

// Called (from the splitting thread) with bytes done and total while a file bigger than a few
// MiB is split; the CLI shows it on a terminal. Null by default.
void set_split_progress(std::function<void(size_t done, size_t total)> callback);

}  // namespace strata::sql
