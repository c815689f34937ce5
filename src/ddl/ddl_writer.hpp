// DDL writer: orders changes (drops in reverse dependency order, then creates and alters in
// dependency order, a fixed priority per object kind) and prints them as a migration.
#pragma once
#include <string>
#include <vector>

#include "diff/schema_diff.hpp"

namespace strata {

std::string write_ddl(const std::vector<Change>& changes);

// One line per change for people: "+ table public.x", "- policy ...", "~ column ... (a -> b)".
std::string describe_changes(const std::vector<Change>& changes);

}  // namespace strata
