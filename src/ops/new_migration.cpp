// create_new_migration (see new_migration.hpp): the header text of a new, empty migration.
#include "ops/new_migration.hpp"

#include <fmt/format.h>

namespace strata {

NewMigration create_new_migration(const Project& project, const std::string& name,
                                  const std::string& utc_timestamp) {
  const std::string stamp = utc_timestamp.empty() ? utc_timestamp_now() : utc_timestamp;
  return write_next_migration(
      project, project.sources.front(), name,
      [&](const std::string& version) {
        return fmt::format(
            "-- Migration: {}\n-- Created: {} UTC\n-- Write the forward SQL below. Add `-- "
            "strata:down` followed by the rollback SQL, or a {}_{}.down.sql file beside this "
            "one.\n\n",
            name, stamp, version, name);
      },
      "strata new add_user_preferences", stamp);
}

}  // namespace strata
