// `strata db dump`: the user's part of a database as SQL, the way `supabase db dump` writes it:
// pg_dump 15 (Debian's postgresql-client-15) on the user schemas only, its output filtered so
// that it restores with psql into another database. Left out: the platform schemas (the list in
// catalog/user_schemas.hpp), strata's and Supabase's history (and seed 003's tables when the
// project tracks them), objects owned by extensions. Roles are a separate dump (pg_dumpall
// --roles-only --no-role-passwords without the platform's roles). Passwords reach the client
// programs through their environment and are never printed.
#pragma once
#include <filesystem>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "config/project.hpp"

namespace strata {

enum class DumpContent { schema_and_data, schema, data };

struct DumpRequest {
  DumpContent content = DumpContent::schema_and_data;
  std::vector<std::string> schemas;  // --schema; empty = every user schema
  bool roles = false;                // --role-only: the roles instead of the schemas
  bool use_copy = false;             // data only: COPY instead of one INSERT per row
  bool with_history = false;         // backups: the history schema(s) and tables too
  // Called as pg_dump's output arrives: the bytes received from it so far.
  std::function<void(long long bytes)> on_progress;
};

struct DumpSummary {
  std::vector<std::string> schemas;     // dumped, in order (roles: empty)
  std::vector<std::string> extensions;  // CREATE EXTENSION statements kept
  int left_out = 0;                     // roles: statements about platform roles dropped
  long long bytes = 0;                  // written to `out` / the file
};

// Writes the dump to `out` as it arrives from pg_dump. Throws Error: usage for a --schema that
// does not exist, connection when the server cannot be reached, failure when pg_dump is missing
// (naming the package) or fails (its message, password redacted).
DumpSummary write_dump(const Project& project, const std::string& conninfo,
                       const DumpRequest& request, std::ostream& out);

// The same into `file`, written beside it first (FILE.partial) and renamed into place when
// complete: a failed dump leaves no file (and an existing one untouched). `owner_only`: mode
// 0600 from the start (backups hold rows); else 0666 less the umask, as pg_dump does.
DumpSummary write_dump_file(const Project& project, const std::string& conninfo,
                            const DumpRequest& request, const std::filesystem::path& file,
                            bool owner_only = false);

// "512 B", "41.3 KiB", "2.4 MiB": a dump's size as `db dump -f` and `up --backup` print it.
std::string human_size(long long bytes);

// The roles a dump leaves out: Supabase's and strata's compat layer's (anon, authenticated,
// service_role, supabase_*, ...), PostgreSQL's pg_* and the bootstrap superuser.
bool platform_role(const std::string& name);

}  // namespace strata
