// Output of lint results: compiler-style text, JSON, SARIF 2.1.0 and GitHub workflow annotations.
#pragma once
#include <string>
#include <string_view>

#include "lint/linter.hpp"

namespace strata::lint {

enum class Format { text, json, sarif, github };
bool parse_format(std::string_view s, Format& out);

// `file:line:col: severity [rule] message`, the source line with a caret, `help:`, and a
// summary line ("2 errors, 1 warning in 3 files").
std::string render_text(const LintResult& r);
std::string render_json(const LintResult& r);
std::string render_sarif(const LintResult& r);
std::string render_github(const LintResult& r);
std::string render(const LintResult& r, Format f);
std::string summary_line(const LintResult& r);

}  // namespace strata::lint
