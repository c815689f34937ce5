// Doctor: what strata sees on this machine and for this project (PostgreSQL binaries, the
// extensions the server can install, the project and its sources, the target database, the
// history tables), as checks that each carry a one-line piece of advice when something is wrong.
// It starts nothing and changes nothing (read-only session; the local database is not started).
#pragma once
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace strata {

enum class CheckLevel { ok, warn, problem };  // warn: worth knowing; problem: strata cannot work

struct DoctorCheck {
  std::string name;  // stable id: postgres-server, postgres-client, project, target, connection,
                     // extensions, history
  CheckLevel level = CheckLevel::ok;
  std::string summary;  // what strata sees, one line (passwords redacted)
  std::string advice;   // what to do, one line; empty when level is ok
};

struct DoctorSource {
  std::string name;  // history scope ("default", "core", "theme:x", ...)
  std::string dir;   // relative to the project root
  int files = 0;     // migration files found (down files not counted)
};

struct DoctorReport {
  std::vector<DoctorCheck> checks;  // in the order above
  // The facts behind the checks (also in the JSON output).
  std::string pg_bin_dir;  // Cluster::bin_dir(): /usr/lib/postgresql/15/bin or $STRATA_PG_BIN
  std::string server_binaries_version;  // `postgres --version`, e.g. "15.10"; empty when missing
  std::string client_version;           // `psql --version`; empty when missing
  std::string project_root;
  std::string project_kind;  // "supabase", "strata.toml", "supabase+strata.toml"; empty: no project
  std::vector<DoctorSource> sources;
  std::string target;         // redacted URL, "(PG* environment)" or the local socket URL
  std::string target_origin;  // "--db-url", "DATABASE_URL", "PG* environment" or "local"
  bool connected = false;
  std::string server_version;  // `SHOW server_version` of the target; empty when not connected
  std::vector<std::string> available_extensions;  // names, sorted
  std::string extensions_from;  // "pg_available_extensions" or the share folder read
  std::vector<std::string> missing_extensions;  // created by migrations, not installable
  std::string history_schema;
  bool history_exists = false;           // <history_schema>.migrations
  bool supabase_history_exists = false;  // supabase_migrations.schema_migrations

  bool healthy() const;  // no check at level problem
};

// `db_url_flag` as --db-url (empty: DATABASE_URL, PG*, else the project's local database).
DoctorReport run_doctor(const std::filesystem::path& workdir, const std::string& db_url_flag);

const char* level_name(CheckLevel level);  // "ok", "warn", "problem"
// {"healthy": bool, "checks": [{name, level, summary, advice}], "postgres": {...},
//  "project": {...}, "target": {...}, "extensions": {...}, "history": {...}}: docs/output.md.
nlohmann::json doctor_json(const DoctorReport& report);

}  // namespace strata
