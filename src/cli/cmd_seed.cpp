// `strata seed [--force]`: run the project's seed files; unchanged seeds are skipped (their
// SHA-256 is kept in supabase_migrations.seed_files), changed ones re-run with --force.
#include <fmt/format.h>

#include <iostream>

#include "cli/command.hpp"
#include "ops/seed.hpp"

namespace strata::cli {
namespace {

void setup(CLI::App& cmd, Globals& g) {
  auto force = std::make_shared<bool>(false);
  cmd.add_flag("--force", *force, "Run seed files again even if they ran before");
  cmd.callback([&g, force] {
    Project p = g.project(false);
    Target t = g.target(p);
    auto conn = db::Connection::open(t.conninfo);
    if (seed_files(p).empty()) {
      std::cout << "No seed files (see [db.seed] sql_paths in supabase/config.toml or [seed] paths "
                   "in strata.toml).\n";
      return;
    }
    SeedReport r = run_seeds(p, conn, *force, std::cout);
    std::cout << fmt::format("{} seed file(s) run, {} skipped.\n", r.applied, r.skipped);
  });
}

Register seed{{"seed", "Run the seed files (supabase/seed.sql by default)", setup}};
Register db_seed{{"db seed", "Same as `strata seed`", setup}};

}  // namespace
}  // namespace strata::cli
