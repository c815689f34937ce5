// `strata new <name>` (alias `migration new`): create the next migration file with a header
// (ops/new_migration.hpp); prints its path, or {"file", "version", "name"} with --output json.
#include <iostream>

#include "cli/command.hpp"
#include "ops/new_migration.hpp"

namespace strata::cli {
namespace {

void setup(CLI::App& cmd, Globals& g) {
  auto name = std::make_shared<std::string>();
  cmd.add_option("name", *name, "Migration name: lowercase letters, digits and _")->required();
  add_output_option(cmd, g);
  cmd.callback([&g, name] {
    check_migration_name(*name, "strata new add_user_preferences");
    Project p = g.project(false);
    NewMigration m = create_new_migration(p, *name);
    if (g.json())
      print_json({{"file", p.display(m.path)}, {"version", m.version}, {"name", *name}});
    else
      std::cout << "Created " << p.display(m.path) << "\n";
  });
}

Register create{{"new", "Create a new migration file", setup}};
Register migration_new{{"migration new", "Same as `strata new`", setup}};

}  // namespace
}  // namespace strata::cli
