// `strata status` (alias `migration list`): every migration and its state; --output json for
// machines.
// Exit 0 when all applied, 3 when some are pending, 4 when anything is modified/missing/out of
// order.
#include <iostream>

#include "cli/command.hpp"
#include "db/connection.hpp"
#include "ops/status_report.hpp"

namespace strata::cli {
namespace {

void setup(CLI::App& cmd, Globals& g) {
  add_output_option(cmd, g);
  cmd.callback([&g] {
    Project p = g.project();
    Target t = g.target(p);
    // The files are read while the session starts; the session ends before printing.
    ProjectState state = open_and_load_state(p, t.conninfo).state;
    if (g.json()) {
      std::cout << status_json(p, state).dump(2, ' ', false,
                                              nlohmann::json::error_handler_t::replace)
                << "\n";
    } else {
      for (const auto& src : state.sources)
        for (const auto& w : src->warnings) std::cerr << "warning: " << w << "\n";
      std::cout << status_table(p, state);
    }
    g.exit_code = static_cast<int>(status_exit_code(state));
  });
}

Register status{{"status",
                 "List migrations and their state (applied, pending, modified, missing, ...)",
                 setup}};
Register list{{"migration list", "Same as `strata status`", setup}};

}  // namespace
}  // namespace strata::cli
