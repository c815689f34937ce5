// Diagnostic: one lint finding — a problem (message), a remedy (help) and where it is (file,
// line, column, byte offset) — plus the severities a rule can have.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace strata::lint {

enum class Severity { info, warning, error };

const char* severity_name(Severity s);                   // "info", "warning", "error"
bool parse_severity(std::string_view s, Severity& out);  // accepts the names above

struct Diagnostic {
  std::string rule;  // stable kebab-case id, e.g. "ban-drop-table"
  Severity severity = Severity::warning;
  std::string message;  // what is wrong
  std::string help;     // how to fix it
  std::string file;     // display path (relative to the project root)
  int line = 0;         // 1-based; 0 = whole file
  int column = 0;       // 1-based, in characters
  size_t offset = 0;    // byte offset in the file
};

bool has_errors(const std::vector<Diagnostic>& diags);
// True when any finding is at or above `threshold`.
bool has_at_least(const std::vector<Diagnostic>& diags, Severity threshold);

}  // namespace strata::lint
