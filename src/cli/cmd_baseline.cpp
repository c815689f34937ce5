// `strata baseline <version>`: mark every migration up to a version applied on a database that
// already has that schema (applied by hand, SQL editor, another tool).
#include <iostream>

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
  cmd.callback([&g, version, source] {
    Project p = g.project();
    Target t = g.target(p);
    run_baseline(p, t.conninfo, *version, g.lock_timeout(), std::cout, *source);
  });
}

Register baseline{
    {"baseline", "Mark all migrations up to a version as applied without running them", setup}};

}  // namespace
}  // namespace strata::cli
