// Known extensions that Supabase projects use and where Debian 12 ships them.
#include "execute/extension_hint.hpp"

#include <fmt/format.h>

#include <map>
#include <string>

namespace strata {

void explain_missing_extension(db::DbError& e) {
  // PostgreSQL 15: `extension "x" is not available` (0A000) with a detail about the control file;
  // older servers: `could not open extension control file ".../x.control"` (58P01).
  std::string msg = e.what();
  std::string name;
  size_t p = msg.find("extension \"");
  size_t q = p == std::string::npos ? p : msg.find("\" is not available", p);
  if (q != std::string::npos) {
    name = msg.substr(p + 11, q - p - 11);
  } else {
    p = msg.find("could not open extension control file");
    if (p == std::string::npos) return;
    size_t end = msg.find(".control", p);
    size_t start = msg.rfind('/', end);
    if (end == std::string::npos || start == std::string::npos) return;
    name = msg.substr(start + 1, end - start - 1);
  }
  static const std::map<std::string, std::string> debian = {
      {"pg_cron", "postgresql-15-cron"},
      {"vector", "postgresql-15-pgvector"},
      {"http", "postgresql-15-http"},
      {"pgtap", "postgresql-15-pgtap"},
      {"postgis", "postgresql-15-postgis-3"},
      {"pg_partman", "postgresql-15-partman"},
      {"hypopg", "postgresql-15-hypopg"},
      {"plpgsql_check", "postgresql-15-plpgsql-check"},
      {"pgaudit", "postgresql-15-pgaudit"},
      {"pg_repack", "postgresql-15-repack"},
      {"pg_hint_plan", "postgresql-15-pg-hint-plan"},
      {"pgrouting", "postgresql-15-pgrouting"},
      {"rum", "postgresql-15-rum"},
      {"orafce", "postgresql-15-orafce"},
      {"timescaledb", ""},
  };
  std::string prefix = msg.substr(0, p);
  db::DbError out(fmt::format("{}extension \"{}\" is not installed on this server{}", prefix, name,
                              e.sqlstate.empty() ? "" : " (SQLSTATE " + e.sqlstate + ")"),
                  e.code());
  out.sqlstate = e.sqlstate;
  out.statement = e.statement;
  out.position = e.position;
  out.detail = e.detail.empty() ? std::string(e.what()) : e.detail;
  auto it = debian.find(name);
  if (it != debian.end() && !it->second.empty()) {
    out.hint = fmt::format(
        "install it with `apt-get install {}` on the database host, then run strata again",
        it->second);
  } else {
    out.hint = fmt::format(
        "\"{}\" is not packaged for Debian's PostgreSQL 15 (Supabase-only extensions include "
        "pg_net, "
        "pgmq, pgsodium, supabase_vault, wrappers, pg_graphql); apply this migration on Supabase, "
        "or "
        "guard it with `-- strata:env` / a DO block that checks pg_available_extensions",
        name);
  }
  e = out;
}

}  // namespace strata
