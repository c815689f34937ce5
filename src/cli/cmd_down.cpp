// `strata down` (alias `migration down`): roll back with hand-written down scripts.
#include <iostream>
#include <sstream>

#include "cli/command.hpp"
#include "cli/progress.hpp"
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
  auto progress = std::make_shared<bool>(false);
  cmd.add_flag("--progress", *progress,
               "Progress lines also when stdout/stderr is not a terminal (lock wait, each "
               "migration, each statement of a non-transactional down script)");
  add_output_option(cmd, g);
  cmd.callback([&g, req, to, progress] {
    Project p = g.project();
    Target t = g.target(p);
    if (!to->empty()) req->plan.to = *to;
    req->lock_timeout = g.lock_timeout();
    std::ostringstream log;
    Progress shown(*progress, g.quiet, g.json(), req->lock_timeout, "Rolling back");
    DownRequest run = *req;
    shown.attach(run);
    std::vector<AppliedMigration> done;
    try {
      done = run_down(p, t.conninfo, run, g.json() ? log : shown.out());
    } catch (...) {
      shown.finish();
      throw;
    }
    shown.finish();
    if (g.json()) {
      nlohmann::json j = {{"reverted", nlohmann::json::array()}, {"dry_run", req->dry_run}};
      for (const auto& m : done)
        j["reverted"].push_back({{"version", m.version},
                                 {"name", m.name},
                                 {"statements", m.statements},
                                 {"execution_ms", m.execution_ms}});
      j["messages"] = lines_json(log.str());
      print_json(j);
    }
  });
}

Register down{{"down", "Roll back applied migrations with their down scripts", setup}};
Register migration_down{{"migration down", "Same as `strata down`", setup}};

}  // namespace
}  // namespace strata::cli
