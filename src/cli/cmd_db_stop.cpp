// `strata db stop`: stop the project's local PostgreSQL (data is kept).
#include <iostream>

#include "cli/command.hpp"

namespace strata::cli {
namespace {

void setup(CLI::App& cmd, Globals& g) {
  cmd.callback([&g] {
    Project p = g.project(false);
    devdb::Cluster cluster = project_cluster(p);
    if (!cluster.running()) {
      std::cout << "Local database is not running.\n";
      return;
    }
    cluster.stop();
    std::cout << "Stopped the local database (data kept in "
              << p.display(cluster.options().data_dir) << ").\n";
  });
}

Register stop{{"db stop", "Stop the project's local PostgreSQL", setup}};

}  // namespace
}  // namespace strata::cli
