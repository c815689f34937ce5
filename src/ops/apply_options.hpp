// What a project adds around each migration of a source: the app's search_path, the configured
// grants, and the rows of seed 003's tracking tables, all in the migration's own transaction.
#pragma once
#include <string>
#include <vector>

#include "config/project.hpp"
#include "execute/executor.hpp"
#include "util/text.hpp"

namespace strata {

// The schema an app's migrations run in, and (when `applying`) the [grants] run after each one.
ApplyOptions apply_options_for(const Project& project, bool applying);

// The GRANT statements for [grants] (empty when none are configured).
std::vector<std::string> grant_statements(const Project& project);

}  // namespace strata
