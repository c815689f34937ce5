// Writing the next migration file of a source: the one helper behind `strata new`, `db diff -f`,
// `schema plan -f`, `schema apply` and `db pull`. It checks the name as `strata new` does, refuses
// a source that lists its files in `[migrations] order`, picks the next version after the newest
// file on disk, never the version of a file that already exists (also when several strata run
// at once: an flock on the folder serialises them, and the file appears with link(2), which never
// overwrites), writes the whole text to a temporary file first (fsync'd, then linked into place,
// so nobody ever sees a half-written migration) and checks every write.
#pragma once
#include <filesystem>
#include <functional>
#include <string>

#include "config/project.hpp"

namespace strata {

// Throws Error(usage) unless `name` is [a-z0-9_]+; `example` is the command shown in the hint
// (e.g. "strata new add_user_preferences").
void check_migration_name(const std::string& name, const std::string& example);

// Now as UTC "YYYYMMDDHHMMSS" (the version of a timestamped project's next file).
std::string utc_timestamp_now();

struct NewMigration {
  std::filesystem::path path;  // absolute: `<source.dir>/<version>_<name>.sql`
  std::string version;
};

// Writes `<version>_<name>.sql` into `source.dir` (created when missing) with the text
// `body(version)`. `utc_timestamp`: "" = now. Throws Error(usage) for a bad name (hint:
// `example`), Error(config) for a source with `[migrations] order` or a folder that cannot be
// locked or written, Error(failure) when the text could not be written completely (nothing is
// left behind then).
NewMigration write_next_migration(
    const Project& project, const SourceConfig& source, const std::string& name,
    const std::function<std::string(const std::string& version)>& body,
    const std::string& example = "strata new add_user_preferences",
    const std::string& utc_timestamp = "");

// The same into the project's first source, with the text `header` + "\n" + `sql`; returns the
// path. (Kept for callers written against the former ops/schema_apply.hpp declaration.)
std::filesystem::path write_next_migration(const Project& project, const std::string& name,
                                           const std::string& header, const std::string& sql);

// Former name of the NewMigration overload (kept until every caller moved): `utc_timestamp`
// first, the path only.
std::filesystem::path create_migration_file(
    const Project& project, const SourceConfig& source, const std::string& name,
    const std::string& utc_timestamp,
    const std::function<std::string(const std::string& version)>& body);

}  // namespace strata
