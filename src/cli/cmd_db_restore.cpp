// `strata db restore FILE [--force]`: load a dump or a backup into the database (the local one,
// or another with --force), in one transaction.
#include <fmt/format.h>

#include <iostream>

#include "cli/command.hpp"
#include "ops/restore.hpp"

namespace strata::cli {
namespace {

void setup(CLI::App& cmd, Globals& g) {
  auto req = std::make_shared<RestoreRequest>();
  auto file = std::make_shared<std::string>();
  cmd.add_option("file", *file, "A dump (`strata db dump -f`), a backup, or a pg_dump -Fc/-Fd file")
      ->required();
  cmd.add_flag("--force", req->force,
               "Allow restoring into a database that is not the project's local one");
  cmd.callback([&g, req, file] {
    req->file = *file;
    Project p = g.project(false);
    Target t = g.target(p);
    RestoreReport r = run_restore(t, *req);
    if (g.quiet) return;
    std::cout << fmt::format("Restored {} ({}, {} bytes) into {} in {} ms.\n", *file, r.format,
                             r.bytes, t.display, r.ms);
  });
}

Register restore{{"db restore", "Restore a dump or backup into the database", setup}};

}  // namespace
}  // namespace strata::cli
