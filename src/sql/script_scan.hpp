// ScriptScan: one linear pass over a SQL file the way psql reads it, before libpg_query sees it:
// where the top-level statements end, which comments are strata directives, psql meta-commands
// (`\restrict`, `\i`, ...), the inline data of `COPY ... FROM stdin` (up to its `\.` line), a
// UTF-8 byte-order mark and the first byte that is not valid UTF-8. Quotes ('...', E'...',
// "...", $tag$...$tag$) and comments (--, nested /* */) are followed, so nothing inside a string
// or a function body counts. Positions are byte offsets into the scanned text.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace strata::sql {

// A `-- strata:<word> [argument]` comment alone on its line, outside any statement text.
struct DirectiveComment {
  std::string word;      // "no-transaction", "env", "down", or an unknown word
  std::string argument;  // the rest of the comment, trimmed ("dev" for `-- strata:env dev`)
  size_t offset = 0;     // of the `--`
  size_t line_end = 0;   // offset just past the comment's line (its '\n' included)
};

// A psql meta-command: from the backslash to the end of its line.
struct MetaCommand {
  std::string name;      // without the backslash: "restrict", "ir", "set", ...
  std::string argument;  // the rest of the line, trimmed
  size_t offset = 0;     // of the backslash
  size_t end = 0;        // end of the line (before '\n')
};

// Inline data of a `COPY ... FROM stdin` statement: the lines after the statement's line up to
// (not including) a line holding only `\.`, or to the end of the file.
struct CopyData {
  size_t semicolon = 0;   // offset of the `;` ending the COPY statement
  size_t data_begin = 0;  // first byte of the data
  size_t data_end = 0;    // one past the data (start of the `\.` line)
  size_t block_end = 0;   // one past the `\.` line (its '\n' included)
};

struct ScriptScan {
  bool bom = false;                              // the text starts with EF BB BF
  size_t invalid_utf8 = std::string_view::npos;  // offset of the first invalid byte
  std::vector<size_t> semicolons;  // top-level `;` offsets (statement ends), ascending
  std::vector<DirectiveComment> directives;
  std::vector<MetaCommand> meta_commands;
  std::vector<CopyData> copies;
};

ScriptScan scan_script(std::string_view text);

// Offset of the first byte that is not valid UTF-8 (overlongs and surrogates included), or npos.
size_t first_invalid_utf8(std::string_view text);

// Incremental byte offset -> 1-based line and column (in characters). Linear over a run of
// nondecreasing offsets; an earlier offset restarts from the top of the text. A leading BOM is
// not a column.
class LineCursor {
 public:
  explicit LineCursor(std::string_view text);
  // line, column
  std::pair<int, int> at(size_t offset);

 private:
  std::string_view text_;
  size_t begin_ = 0;  // after a BOM
  size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
};

}  // namespace strata::sql
