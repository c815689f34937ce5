// A connection string as the environment of a libpq client program (pg_dump, pg_dumpall, psql,
// pg_restore): so a password reaches the child through PGPASSWORD, never on its command line.
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace strata::db {

// Each parameter that `conninfo` (URL or key=value; "" = none) sets, as libpq's own environment
// variable for it (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE, ...), in libpq's
// keyword order. Parameters that have no environment variable are left out. Throws
// Error(ExitCode::usage) when libpq cannot parse the string (message redacted).
std::vector<std::pair<std::string, std::string>> conninfo_environment(const std::string& conninfo);

// The user and database libpq will log in as for `conninfo`, before connecting: the string's
// own, else PGUSER / PGDATABASE, else the operating-system user (libpq's default) and a database
// named after the user. Throws as conninfo_environment.
std::pair<std::string, std::string> conninfo_user_database(const std::string& conninfo);

}  // namespace strata::db
