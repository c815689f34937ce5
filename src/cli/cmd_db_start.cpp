// `strata db start`: start (initialising if needed) the project's local PostgreSQL 15 and
// install the Supabase compat layer into it.
#include <fmt/format.h>

#include <iostream>

#include "cli/command.hpp"
#include "db/connection.hpp"
#include "ops/compat.hpp"

namespace strata::cli {
namespace {

void setup(CLI::App& cmd, Globals& g) {
  cmd.callback([&g] {
    Project p = g.project(false);
    devdb::Cluster cluster = project_cluster(p);
    bool was_running = cluster.running();
    cluster.start();
    db::Connection conn = db::Connection::open(cluster.url(p.local.database));
    bool installed = install_local_layers(p, conn);
    std::cout << fmt::format("Local database {} on port {} ({}).\n",
                             was_running ? "already running" : "started", cluster.options().port,
                             p.display(cluster.options().data_dir));
    if (installed)
      std::cout << "Installed the Supabase compat layer (auth, storage, extensions, API roles) "
                   "and the platform stand-ins (net, vault, realtime, ...).\n";
    if (!p.local.compat) std::cout << "[local] compat = false: a bare database, no compat layer.\n";
    std::cout << "URL: " << cluster.url(p.local.database) << "\n";
  });
}

Register start{{"db start", "Start the project's local PostgreSQL (no Docker)", setup}};

}  // namespace
}  // namespace strata::cli
