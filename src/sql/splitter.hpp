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

// Throws Error (exit 8, "display_path:line:col: message", with a hint) for the first of
// `split.problems`; `first_line` is the file line where `text` started (down sections).
void check_runnable(const SplitFile& split, const std::string& display_path, int first_line = 1);

// True when the text holds nothing but blanks and comments.
bool is_blank_sql(std::string_view text);

// Called (from the splitting thread) with bytes done and total while a file bigger than a few
// MiB is split; the CLI shows it on a terminal. Null by default.
void set_split_progress(std::function<void(size_t done, size_t total)> callback);

}  // namespace strata::sql
