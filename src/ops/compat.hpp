// The Supabase compat layer (auth, storage, extensions, API roles) installed into a database,
// versioned and idempotent; never recorded as a user migration.
#pragma once
#include "db/connection.hpp"

namespace strata {

// Returns true when it installed or upgraded the layer, false when it was already current.
// force: reinstall even when current (after a reset dropped the default privileges on public).
bool install_compat_layer(db::Connection& conn, bool force = false);
int compat_layer_version();

}  // namespace strata
