// Turns "could not open extension control file" into one message naming the extension and
// what to do (the Debian package when one exists; a note when it is Supabase-only).
#pragma once
#include "db/connection.hpp"

namespace strata {

// Rewrites `e` in place when it is a missing-extension error; leaves other errors alone.
void explain_missing_extension(db::DbError& e);

}  // namespace strata
