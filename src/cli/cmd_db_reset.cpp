// `strata db reset`: recreate the database from the migrations, then seed. Local by default;
// any other database only with --db-url and --force (drops user schemas, keeps roles).
#include <iostream>

#include "cli/command.hpp"
#include "ops/reset.hpp"

namespace strata::cli {
namespace {

void setup(CLI::App& cmd, Globals& g) {
  auto req = std::make_shared<ResetRequest>();
  auto version = std::make_shared<std::string>();
  auto no_seed = std::make_shared<bool>(false);
  cmd.add_option("--version", *version, "Apply migrations up to and including this version only");
  cmd.add_flag("--no-seed", *no_seed, "Do not load the seed files");
  cmd.add_flag("--force", req->force,
               "Allow resetting a database that is not the project's local one");
  cmd.callback([&g, req, version, no_seed] {
    Project p = g.project();
    Target t = g.target(p);
    if (!version->empty()) req->version = *version;
    req->seed = !*no_seed;
    req->lock_timeout = g.lock_timeout();
    run_reset(p, t, *req, std::cout);
  });
}

Register reset{
    {"db reset", "Recreate the database: drop, compat layer, all migrations, seed", setup}};

}  // namespace
}  // namespace strata::cli
