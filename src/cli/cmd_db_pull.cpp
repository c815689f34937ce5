// `strata db pull [NAME] [--schema S]...`: capture what the database has that the migrations do
// not build as one new migration, marked applied there (the whole schema on an empty folder).
#include <iostream>

#include "cli/command.hpp"
#include "ops/pull.hpp"

namespace strata::cli {
namespace {

void setup(CLI::App& cmd, Globals& g) {
  auto req = std::make_shared<PullRequest>();
  cmd.add_option("name", req->name, "Migration name (default remote_schema)");
  cmd.add_flag("--allow-destructive", req->allow_destructive,
               "Capture drops too (objects the migrations build that the database lacks)");
  cmd.add_option("--schema,-s", req->schemas,
                 "Only these schemas (repeatable; default: every user schema)");
  cmd.callback([&g, req] {
    Project p = g.project(false);
    Target t = g.target(p);
    req->lock_timeout = g.lock_timeout();
    auto r = run_pull(p, t.conninfo, *req, std::cout);
    if (r.migration.empty()) {
      std::cout << "Nothing to pull: the migrations build everything the database has.\n";
      return;
    }
    for (const auto& d : r.destructive) std::cout << "! destructive: " << d << "\n";
    std::cout << "Pulled " << r.changes << " change(s) into " << r.migration
              << ", marked applied on " << t.display << ".\n";
  });
}

Register pull{{"db pull",
               "Capture the database's schema that the migrations do not build as a new "
               "migration, marked applied",
               setup}};

}  // namespace
}  // namespace strata::cli
