// `strata db status`: is the local database running, where, and on which port.
#include <fmt/format.h>

#include <iostream>

#include "cli/command.hpp"

namespace strata::cli {
namespace {

void setup(CLI::App& cmd, Globals& g) {
  cmd.callback([&g] {
    Project p = g.project(false);
    devdb::Cluster cluster = project_cluster(p);
    bool running = cluster.running();
    std::cout << fmt::format(
        "local database: {}\ndata directory: {}\nport: {}\nsocket directory: {}\n",
        running ? "running" : (cluster.initialized() ? "stopped" : "not created"),
        cluster.options().data_dir.string(), cluster.options().port,
        cluster.options().socket_dir.string());
    g.exit_code = running ? 0 : 1;
  });
}

Register status{{"db status", "Show whether the local database is running", setup}};

}  // namespace
}  // namespace strata::cli
