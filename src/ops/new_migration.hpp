// `strata new NAME`: the next migration file of the project's first source, with a header
// saying how to add its down part. The file itself is written by migration/create.hpp.
#pragma once
#include <string>

#include "config/project.hpp"
#include "migration/create.hpp"

namespace strata {

// Throws Error(usage) for a name that is not [a-z0-9_]+, Error(config) when the project lists
// its files in `[migrations] order` or the folder cannot be written. `utc_timestamp`: "" = now.
NewMigration create_new_migration(const Project& project, const std::string& name,
                                  const std::string& utc_timestamp = "");

}  // namespace strata
