// `strata db url`: print the local database's connection URL (unix socket; no password).
#include <iostream>

#include "cli/command.hpp"

namespace strata::cli {
namespace {

void setup(CLI::App& cmd, Globals& g) {
  cmd.callback([&g] {
    Project p = g.project(false);
    std::cout << project_cluster(p).url(p.local.database) << "\n";
  });
}

Register url{{"db url", "Print the local database URL", setup}};

}  // namespace
}  // namespace strata::cli
