// Turns "extension ... is not available" into one message naming the extension and what to do:
// the Debian 12 package when one exists (verified with apt-cache on Debian 12), the stand-in
// when the extension is Supabase-only (execute/stand_in.hpp), or how to get it otherwise
// (pgvector, http, timescaledb have no Debian 12 package for PostgreSQL 15).
#pragma once
#include <string>
#include <string_view>

#include "db/connection.hpp"

namespace strata {

// Rewrites `e` in place when it is a missing-extension error, or a missing `<x>_fdw_handler()`
// (Supabase's wrappers); leaves other errors alone.
void explain_missing_extension(db::DbError& e);

// The Debian 12 package that provides `extension` for PostgreSQL 15, or "" when there is none.
std::string debian_package_for(std::string_view extension);

// What to do about a missing extension (the hint text of explain_missing_extension).
std::string missing_extension_hint(std::string_view extension);

}  // namespace strata
