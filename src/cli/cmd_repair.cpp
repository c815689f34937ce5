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
  auto in_doubt = std::make_shared<std::string>();
  auto* st = cmd.add_option("--status", *status, "applied or reverted")
                 ->check(CLI::IsMember({"applied", "reverted"}));
  cmd.add_option("--in-doubt", *in_doubt,
                 "ran or not-run: settle the statement an interrupted run left in doubt")
      ->check(CLI::IsMember({"ran", "not-run"}))
      ->excludes(st);
  cmd.add_option("versions", *versions, "Versions to mark")->required();
  auto source = std::make_shared<std::string>();
  cmd.add_option("--source", *source,
                 "Migration source (tier, plugin, entity) when several have the version");
  add_output_option(cmd, g);
  cmd.callback([&g, status, versions, source, in_doubt] {
    Project p = g.project();
    if (status->empty() && in_doubt->empty())
      throw Error("repair needs --status applied|reverted or --in-doubt ran|not-run",
                  ExitCode::usage);
    Target t = g.target(p);
    if (!in_doubt->empty()) {
      for (const auto& v : *versions)
        run_repair_in_doubt(p, t.conninfo, *in_doubt == "ran", v, g.lock_timeout(), std::cout,
                            *source);
      return;
    }
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
