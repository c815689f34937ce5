// `strata validate`: check files against the history (checksums, missing, out of order,
// duplicates, unparseable files) without changing anything (ops/validate.hpp); prints each
// problem, or the JSON of docs/output.md with --output json.
#include <iostream>

#include "cli/command.hpp"
#include "ops/validate.hpp"

namespace strata::cli {
namespace {

void setup(CLI::App& cmd, Globals& g) {
  add_output_option(cmd, g);
  cmd.callback([&g] {
    Project p = g.project();
    Target t = g.target(p);
    ValidateReport r = run_validate(p, t.conninfo);
    if (g.json()) {
      print_json(validate_json(r));
    } else {
      for (const auto& pr : r.problems) std::cout << pr.message << "\n";
      for (const auto& n : r.notes) std::cout << n.message << "\n";
      if (r.problems.empty()) std::cout << "Validation passed: files agree with the history.\n";
    }
    g.exit_code = static_cast<int>(r.exit_code);
  });
}

Register validate{
    {"validate", "Check migration files against the history without changing anything", setup}};

}  // namespace
}  // namespace strata::cli
