// Discovery: the migration files of a source, in run order, with their down files attached.
// Down files (`<stem>.down.sql`, `<stem>_down.sql`, `<stem>_rollback.sql`, beside the up file or
// in a sibling `rollbacks/` folder) are never applied forward.
#pragma once
#include <string>
#include <vector>

#include "config/project.hpp"
#include "migration/migration.hpp"

namespace strata {

struct DiscoveredSource {
  std::vector<Migration> migrations;  // run order
  std::vector<std::string> warnings;
};

DiscoveredSource discover_migrations(const Project& project, const SourceConfig& source);

// Sequential projects (`001_x.sql`) get `NNN` next; timestamped ones a UTC YYYYMMDDHHMMSS.
std::string next_version(const std::vector<Migration>& existing, const std::string& utc_timestamp);

}  // namespace strata
