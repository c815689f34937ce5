// `strata repair --status applied|reverted <version>...` (alias `migration repair`): edit the
// history without running SQL.
#include <iostream>
#include <sstream>

#include "cli/command.hpp"
#include "ops/history_edit.hpp"

namespace strata::cli {
namespace {

void setup(CLI::App& cmd, Globals& g) {
  auto status = std::make_shared<std::string>();
  auto versions = std::make_shared<std::vector<std::string>>();
  cmd.add_option("--status", *status, "applied or reverted")
      ->required()
      ->check(CLI::IsMember({"applied", "reverted"}));
  cmd.add_option("versions", *versions, "Versions to mark")->required();
  auto source = std::make_shared<std::string>();
  cmd.add_option("--source", *source,
                 "Migration source (tier, plugin, entity) when several have the version");
  add_output_option(cmd, g);
  cmd.callback([&g, status, versions, source] {
    Project p = g.project();
    Target t = g.target(p);
    std::ostringstream log;
    run_repair(p, t.conninfo, *status == "applied" ? RepairStatus::applied : RepairStatus::reverted,
               *versions, g.lock_timeout(), g.json() ? log : std::cout, *source);
    if (g.json())
      print_json(
          {{"status", *status}, {"versions", *versions}, {"messages", lines_json(log.str())}});
  });
}

Register repair{
    {"repair", "Mark migrations applied or reverted in the history without running SQL", setup}};
Register migration_repair{{"migration repair", "Same as `strata repair`", setup}};

}  // namespace
}  // namespace strata::cli
