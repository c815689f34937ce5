// `strata down` (alias `migration down`): roll back with hand-written down scripts.
#include <iostream>

#include "cli/command.hpp"
#include "ops/down.hpp"

namespace strata::cli {
namespace {

void setup(CLI::App& cmd, Globals& g) {
  auto req = std::make_shared<DownRequest>();
  auto to = std::make_shared<std::string>();
  cmd.add_option("--steps", req->plan.steps,
                 "How many applied migrations to roll back (default 1)");
  cmd.add_option("--to", *to, "Roll back everything applied after this version");
  cmd.add_option("--source", req->source,
                 "Which migration source (tier, plugin, entity) to roll back");
  cmd.add_flag("--dry-run", req->dry_run, "Print what would be rolled back; change nothing");
  cmd.callback([&g, req, to] {
    Project p = g.project();
    Target t = g.target(p);
    if (!to->empty()) req->plan.to = *to;
    req->lock_timeout = g.lock_timeout();
    run_down(p, t.conninfo, *req, std::cout);
  });
}

Register down{{"down", "Roll back applied migrations with their down scripts", setup}};
Register migration_down{{"migration down", "Same as `strata down`", setup}};

}  // namespace
}  // namespace strata::cli
