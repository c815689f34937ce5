// Creating the next migration file of a source (`strata new`): the next version after the
// newest one on disk, never the version of a file that already exists, also when several
// `strata new` run at once (an flock on the folder serialises them; O_EXCL never overwrites).
#pragma once
#include <filesystem>
#include <functional>
#include <string>

#include "config/project.hpp"

namespace strata {

// Creates `<version>_<name>.sql` in `source.dir` with the text `body(version)` and returns its
// path. `utc_timestamp` is "YYYYMMDDHHMMSS" now. Throws Error when the folder is not writable.
std::filesystem::path create_migration_file(
    const Project& project, const SourceConfig& source, const std::string& name,
    const std::string& utc_timestamp,
    const std::function<std::string(const std::string& version)>& body);

}  // namespace strata
