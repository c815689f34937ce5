// `strata validate`: the files against the history (checksums, missing files, out of order,
// partial runs, duplicates and bad names, pending files that cannot run as written), on a
// read-only session; changes nothing.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "config/project.hpp"
#include "util/error.hpp"

namespace strata {

struct ValidateProblem {
  std::string state;  // "modified", "missing", "out-of-order" or "partial" (plan/status.hpp)
  std::string version;
  std::string file;     // display path; "" when the file is missing
  std::string message;  // the text line, e.g. "…: modified since it was applied (recorded …)"
};

// A pending file libpg_query cannot parse: the server will judge it (not a problem).
struct ValidateNote {
  std::string file;
  int line = 0, column = 0;
  std::string message;  // the text line
};

struct ValidateReport {
  std::vector<ValidateProblem> problems;
  std::vector<ValidateNote> notes;
  ExitCode exit_code = ExitCode::ok;  // ops/status_report.hpp's status_exit_code
};

// Throws Error for duplicates, bad names and pending files that cannot run (with file:line:col).
ValidateReport run_validate(const Project& project, const std::string& conninfo);

// {"ok", "problems": [{"state", "version", "file", "message"}], "notes": [{"file", "line",
// "column", "message"}]}; "file" is null for a missing file.
nlohmann::json validate_json(const ValidateReport& report);

}  // namespace strata
