// `strata compat install [--stand-ins] [--db-url]`: install or upgrade the Supabase compat layer
// (auth.users, auth.uid(), storage, extensions schema, API roles) into any PostgreSQL database,
// e.g. in CI; with --stand-ins also the stand-ins for Supabase-only extensions (pg_net, vault,
// realtime, pgmq, ...), which otherwise only strata's local database gets.
#include <iostream>

#include "cli/command.hpp"
#include "db/connection.hpp"
#include "ops/compat.hpp"

namespace strata::cli {
namespace {

void setup(CLI::App& cmd, Globals& g) {
  auto stand_ins = std::make_shared<bool>(false);
  cmd.add_flag("--stand-ins", *stand_ins,
               "Also install the stand-ins for Supabase-only extensions (pg_net, vault, realtime, "
               "pgmq, ...): CREATE EXTENSION of those then succeeds on this database");
  cmd.callback([&g, stand_ins] {
    Project p = g.project(false);
    Target t = g.target(p);
    db::Connection conn = db::Connection::open(t.conninfo);
    bool installed = install_compat_layer(conn);
    std::cout << (installed ? "Installed the Supabase compat layer, version "
                            : "Supabase compat layer already current, version ")
              << compat_layer_version() << ".\n";
    if (*stand_ins) {
      bool s = install_stand_ins(conn);
      std::cout << (s ? "Installed the stand-ins for Supabase-only extensions, version "
                      : "Stand-ins already current, version ")
                << stand_ins_version() << ".\n";
    }
  });
}

Register install{{"compat install", "Install the Supabase compat layer into a database", setup}};

}  // namespace
}  // namespace strata::cli
