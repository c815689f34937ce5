// `strata compat install [--db-url]`: install or upgrade the Supabase compat layer (auth.users,
// auth.uid(), storage, extensions schema, API roles) into any PostgreSQL database, e.g. in CI.
#include <iostream>

#include "cli/command.hpp"
#include "db/connection.hpp"
#include "ops/compat.hpp"

namespace strata::cli {
namespace {

void setup(CLI::App& cmd, Globals& g) {
  cmd.callback([&g] {
    Project p = g.project(false);
    Target t = g.target(p);
    db::Connection conn = db::Connection::open(t.conninfo);
    bool installed = install_compat_layer(conn);
    std::cout << (installed ? "Installed the Supabase compat layer, version "
                            : "Supabase compat layer already current, version ")
              << compat_layer_version() << ".\n";
  });
}

Register install{{"compat install", "Install the Supabase compat layer into a database", setup}};

}  // namespace
}  // namespace strata::cli
