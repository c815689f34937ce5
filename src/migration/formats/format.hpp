// Migration file formats: how one tool names its files and splits one file into an up part, a
// down part and a transaction mode. One file per tool in this folder implements `Format`;
// `all_formats()` (registry.cpp) lists them in detection order. See docs/compatibility.md.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "migration/migration.hpp"

namespace strata::formats {

enum class FileKind {
  up,          // a forward migration (which may hold its own down section)
  down,        // a separate down file for the up file of the same version
  repeatable,  // Flyway `R__*.sql`: re-applied after the versioned ones whenever it changes
  foreign,     // a migration only the tool can run (goose `<version>_<name>.go`): listed, not run
};

struct NameInfo {
  std::string version;  // identity in the history: digits, dotted digits, or `R__<desc>`
  std::string name;     // human name
  FileKind kind = FileKind::up;
};

// One file of a migrations folder, as read: for detection.
struct FileSample {
  std::string file;  // name, e.g. "20240101000000_create_items.sql"
  std::string_view text;
};

class Format {
 public:
  virtual ~Format() = default;
  // The value of `[migrations] format` in strata.toml ("goose", "flyway", ...).
  virtual std::string_view name() const = 0;
  // Why these files look like this tool's ("`-- +goose Up` in 0001_x.sql"), or "" when they do
  // not. Only tool formats detect; strata's own formats are the fallback.
  virtual std::string detect(const std::vector<FileSample>& files) const = 0;
  // A file name -> its version, name and kind; nullopt when the tool would not run the file.
  // Names not ending in `.sql` are asked too: FileKind::foreign for the tool's own code
  // migrations (goose `.go`), nullopt otherwise.
  virtual std::optional<NameInfo> parse_name(std::string_view file) const = 0;
  // What `file`, not a migration of this tool, is when the tool knows it ("a Flyway callback
  // (afterMigrate): strata does not run callbacks"), for the warning that it is skipped; "" for
  // names the tool does not know.
  virtual std::string skip_note(std::string_view file) const {
    (void)file;
    return {};
  }
  // Sets m.text (the up SQL), m.down (a down section of the same file) and m.no_transaction from
  // the file text. m.text keeps the file's line numbers: lines outside the up part are blanked,
  // so errors still point at file:line:col. Throws Error (ExitCode::config) naming file:line for
  // markers the tool itself would refuse.
  virtual void split(Migration& m, const std::string& file_text) const = 0;
};

// Every format, tool formats first in detection order, then "strata" and "supabase".
const std::vector<const Format*>& all_formats();
// By `[migrations] format` name; nullptr when unknown.
const Format* find_format(std::string_view name);

// Helpers the formats share.
// Lines [from_line, to_line) of `text` (1-based, to_line 0 = end), with every other line left
// empty, so that line numbers are those of the file. `first_line` of a down script is from_line.
std::string keep_lines(const std::string& text, int from_line, int to_line);
// Each line of `text` without its terminator, 1-based.
std::vector<std::string_view> text_lines(std::string_view text);
// Lowercase ASCII copy.
std::string lower(std::string_view s);
// strata's own split (`-- strata:` directives), refusing another tool's down marker (goose,
// dbmate, node-pg-migrate) whose SQL would otherwise run forward.
void split_native(Migration& m, const std::string& file_text);
// Throws Error(ExitCode::config) "<display_path>:<line>: <message>" with a hint.
[[noreturn]] void marker_error(const Migration& m, int line, const std::string& message,
                               const std::string& hint);

}  // namespace strata::formats
