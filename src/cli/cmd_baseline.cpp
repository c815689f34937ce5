// `strata baseline <version>`: mark every migration up to a version applied on a database that
// already has that schema (applied by hand, SQL editor, another tool).
#include <iostream>
#include <sstream>

#include "cli/command.hpp"
#include "ops/history_edit.hpp"

namespace strata::cli {
namespace {

void setup(CLI::App& cmd, Globals& g) {
  auto version = std::make_shared<std::string>();
  cmd.add_option("version", *version, "Last version that the database already has")->required();
  auto source = std::make_shared<std::string>();
  cmd.add_option("--source", *source,
                 "Migration source (tier, plugin, entity) when several have the version");
  add_output_option(cmd, g);
  cmd.callback([&g, version, source] {
    Project p = g.project();
    Target t = g.target(p);
    std::ostringstream log;
    int marked = run_baseline(p, t.conninfo, *version, g.lock_timeout(), g.json() ? log : std::cout,
                              *source);
    if (g.json())
      print_json({{"version", *version}, {"marked", marked}, {"messages", lines_json(log.str())}});
  });
}

Register baseline{
    {"baseline", "Mark all migrations up to a version as applied without running them", setup}};

}  // namespace
}  // namespace strata::cli
