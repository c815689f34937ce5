// `strata new <name>` (alias `migration new`): create the next migration file with a header.
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>

#include "cli/command.hpp"
#include "migration/create.hpp"

namespace strata::cli {
namespace {

void setup(CLI::App& cmd, Globals& g) {
  auto name = std::make_shared<std::string>();
  cmd.add_option("name", *name, "Migration name: lowercase letters, digits and _")->required();
  cmd.callback([&g, name] {
    if (!std::regex_match(*name, std::regex("[a-z0-9_]+"))) {
      Error e(fmt::format(
                  "invalid migration name '{}': use only lowercase letters, digits and underscores",
                  *name),
              ExitCode::usage);
      e.hint = "for example: strata new add_user_preferences";
      throw e;
    }
    Project p = g.project(false);
    const SourceConfig& src = p.sources.front();
    if (!src.order.empty()) {
      Error e("this project lists its migrations in [migrations] order in strata.toml",
              ExitCode::config);
      e.hint = "create the file yourself and add it to the order list";
      throw e;
    }
    std::string stamp = fmt::format(
        "{:%Y%m%d%H%M%S}",
        fmt::gmtime(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now())));
    auto path = create_migration_file(p, src, *name, stamp, [&](const std::string& version) {
      return fmt::format(
          "-- Migration: {}\n-- Created: {} UTC\n-- Write the forward SQL below. Add `-- "
          "strata:down` followed by the rollback SQL, or a {}_{}.down.sql file beside this "
          "one.\n\n",
          *name, stamp, version, *name);
    });
    std::cout << "Created " << p.display(path) << "\n";
  });
}

Register create{{"new", "Create a new migration file", setup}};
Register migration_new{{"migration new", "Same as `strata new`", setup}};

}  // namespace
}  // namespace strata::cli
