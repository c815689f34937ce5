// `strata seed [--force]`: run the project's seed files; unchanged seeds are skipped (their
// SHA-256 is kept in supabase_migrations.seed_files), changed ones re-run with --force.
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/command.hpp"
#include "ops/seed.hpp"

namespace strata::cli {
namespace {

void setup(CLI::App& cmd, Globals& g) {
  auto force = std::make_shared<bool>(false);
  cmd.add_flag("--force", *force, "Run seed files again even if they ran before");
  add_output_option(cmd, g);
  cmd.callback([&g, force] {
    Project p = g.project(false);
    Target t = g.target(p);
    auto conn = db::Connection::open(t.conninfo);
    if (seed_files(p).empty() && !g.json()) {
      std::cout << "No seed files (see [db.seed] sql_paths in supabase/config.toml or [seed] paths "
                   "in strata.toml).\n";
      return;
    }
    std::ostringstream log;
    SeedReport r = run_seeds(p, conn, *force, g.json() ? log : std::cout);
    if (g.json()) {
      nlohmann::json j = {{"applied", r.applied}, {"skipped", r.skipped}, {"messages", {}}};
      j["messages"] = nlohmann::json::array();
      std::istringstream lines(log.str());
      for (std::string line; std::getline(lines, line);) j["messages"].push_back(line);
      std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
      return;
    }
    std::cout << fmt::format("{} seed file(s) run, {} skipped.\n", r.applied, r.skipped);
  });
}

Register seed{{"seed", "Run the seed files (supabase/seed.sql by default)", setup}};
Register db_seed{{"db seed", "Same as `strata seed`", setup}};

}  // namespace
}  // namespace strata::cli
