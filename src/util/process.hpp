// Running a child program (initdb, pg_ctl, pg_dump) without a shell, capturing its output.
#pragma once
#include <string>
#include <vector>

namespace strata {

struct ProcessResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr, interleaved
};

ProcessResult run_process(const std::vector<std::string>& argv);

bool running_as_root();

}  // namespace strata
