// The Supabase compat layer (auth, storage, extensions, API roles) installed into a database,
// versioned and idempotent; never recorded as a user migration. And the stand-ins for
// Supabase-only extensions (pg_net, vault, realtime, pgmq, ...), which only strata's local
// database gets unless asked for (`strata compat install --stand-ins`).
#pragma once
#include <string>
#include <vector>

#include "config/project.hpp"
#include "db/connection.hpp"

namespace strata {

// Returns true when it installed or upgraded the layer, false when it was already current.
// force: reinstall even when current (after a reset dropped the default privileges on public).
bool install_compat_layer(db::Connection& conn, bool force = false);
int compat_layer_version();

// One section of src/devdb/compat/stand_ins.sql: the stand-in for one extension.
struct StandInSection {
  std::string extension;               // as in CREATE EXTENSION, or a platform schema's name
  std::vector<std::string> requires_;  // sections installed first
  std::string schema;                  // default target schema (`@extschema@`)
  std::string note;                    // what it does, for the one line printed on install
  std::string sql;
};
std::vector<StandInSection> stand_in_sections();  // in file order
int stand_ins_version();

// The platform objects a Supabase project has without any CREATE EXTENSION: pg_net, database
// webhooks (supabase_functions), vault, realtime, pg_graphql's entry points.
const std::vector<std::string>& preinstalled_stand_ins();

// Installs the compat layer first when missing, then stores every stand-in section in
// strata_compat.stand_in with the function strata_compat.install_stand_in(extension, schema,
// quiet) that CREATE EXTENSION of a missing Supabase-only extension becomes, and installs the
// preinstalled ones. One transaction; skipped when current unless `force`. Returns true when it
// installed something.
bool install_stand_ins(db::Connection& conn, bool force = false);

// What strata's local database gets on start and reset: the compat layer and the stand-ins,
// unless `[local] compat = false`, then nothing. Returns true when it installed something.
bool install_local_layers(const Project& project, db::Connection& conn, bool force = false);

}  // namespace strata
