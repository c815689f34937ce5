// `strata db status`: is the local database running, where, and on which port.
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/command.hpp"

namespace strata::cli {
namespace {

void setup(CLI::App& cmd, Globals& g) {
  add_output_option(cmd, g);
  cmd.callback([&g] {
    Project p = g.project(false);
    devdb::Cluster cluster = project_cluster(p);
    bool running = cluster.running();
    g.exit_code = running ? 0 : 1;
    if (g.json()) {
      nlohmann::json j = {
          {"state", running ? "running" : (cluster.initialized() ? "stopped" : "not created")},
          {"data_dir", cluster.options().data_dir.string()},
          {"port", cluster.options().port},
          {"socket_dir", cluster.options().socket_dir.string()},
          {"url", cluster.url(p.local.database)}};
      std::cout << j.dump(2) << "\n";
      return;
    }
    std::cout << fmt::format(
        "local database: {}\ndata directory: {}\nport: {}\nsocket directory: {}\n",
        running ? "running" : (cluster.initialized() ? "stopped" : "not created"),
        cluster.options().data_dir.string(), cluster.options().port,
        cluster.options().socket_dir.string());
  });
}

Register status{{"db status", "Show whether the local database is running", setup}};

}  // namespace
}  // namespace strata::cli
