// Known extensions that Supabase projects use and where Debian 12 ships them.
#include "execute/extension_hint.hpp"

#include <fmt/format.h>

#include <map>
#include <regex>
#include <string>

#include "execute/stand_in.hpp"

namespace strata {

std::string debian_package_for(std::string_view extension) {
  // Package names checked with `apt-cache show` on Debian 12 (bookworm).
  static const std::map<std::string, std::string, std::less<>> debian = {
      {"pg_cron", "postgresql-15-cron"},
      {"pgtap", "postgresql-15-pgtap"},
      {"postgis", "postgresql-15-postgis-3"},
      {"postgis_raster", "postgresql-15-postgis-3"},
      {"postgis_topology", "postgresql-15-postgis-3"},
      {"postgis_tiger_geocoder", "postgresql-15-postgis-3"},
      {"address_standardizer", "postgresql-15-postgis-3"},
      {"pgrouting", "postgresql-15-pgrouting"},
      {"pg_partman", "postgresql-15-partman"},
      {"hypopg", "postgresql-15-hypopg"},
      {"plpgsql_check", "postgresql-15-plpgsql-check"},
      {"pgaudit", "postgresql-15-pgaudit"},
      {"pg_repack", "postgresql-15-repack"},
      {"rum", "postgresql-15-rum"},
      {"orafce", "postgresql-15-orafce"},
      {"ip4r", "postgresql-15-ip4r"},
      {"semver", "postgresql-15-semver"},
      {"hll", "postgresql-15-hll"},
      {"pg_qualstats", "postgresql-15-pg-qualstats"},
      {"pg_stat_kcache", "postgresql-15-pg-stat-kcache"},
      {"pg_wait_sampling", "postgresql-15-pg-wait-sampling"},
      {"pgq", "postgresql-15-pgq3"},
      {"periods", "postgresql-15-periods"},
      {"prefix", "postgresql-15-prefix"},
      {"plr", "postgresql-15-plr"},
      {"pllua", "postgresql-15-pllua"},
      {"plsh", "postgresql-15-plsh"},
      {"tdigest", "postgresql-15-tdigest"},
      {"unit", "postgresql-15-unit"},
      {"pgsphere", "postgresql-15-pgsphere"},
      {"q3c", "postgresql-15-q3c"},
      {"ogr_fdw", "postgresql-15-ogr-fdw"},
      {"mysql_fdw", "postgresql-15-mysql-fdw"},
      {"tds_fdw", "postgresql-15-tds-fdw"},
      {"pldbgapi", "postgresql-15-pldebugger"},
      {"plprofiler", "postgresql-15-plprofiler"},
      {"set_user", "postgresql-15-set-user"},
      {"pglogical", "postgresql-15-pglogical"},
      {"pgfincore", "postgresql-15-pgfincore"},
      {"jsquery", "postgresql-15-jsquery"},
      {"pgmemcache", "postgresql-15-pgmemcache"},
      {"first_last_agg", "postgresql-15-first-last-agg"},
      {"rational", "postgresql-15-rational"},
      {"pg_similarity", "postgresql-15-similarity"},
      {"rdkit", "postgresql-15-rdkit"},
      {"pointcloud", "postgresql-15-pointcloud"},
      {"icu_ext", "postgresql-15-icu-ext"},
      {"numeral", "postgresql-15-numeral"},
      {"debversion", "postgresql-15-debversion"},
  };
  auto it = debian.find(extension);
  return it == debian.end() ? "" : it->second;
}

std::string missing_extension_hint(std::string_view name) {
  std::string pkg = debian_package_for(name);
  if (!pkg.empty()) {
    std::string hint = fmt::format(
        "install it with `apt-get install {}` on the database host, then run strata again", pkg);
    if (name == "pg_cron")
      hint +=
          " (pg_cron must also be preloaded: strata's local database does that itself once the "
          "package is installed, after `strata db stop`; elsewhere set shared_preload_libraries "
          "= 'pg_cron' and cron.database_name)";
    return hint;
  }
  if (name == "vector")
    return "pgvector has no Debian 12 package for PostgreSQL 15 and strata cannot stand in for it: "
           "install postgresql-15-pgvector from the PostgreSQL apt repository "
           "(apt.postgresql.org), "
           "or build it from source (github.com/pgvector/pgvector: `make && make install` with "
           "postgresql-server-dev-15), then run strata again";
  if (name == "timescaledb")
    return "timescaledb has no Debian 12 package: install it from Timescale's apt repository "
           "(packagecloud.io/timescale), preload it (shared_preload_libraries, `[local] "
           "shared_preload_libraries` in strata.toml), then run strata again";
  if (name == "http")
    return "pgsql-http has no Debian 12 package (there is no postgresql-15-http): on strata's "
           "local database CREATE EXTENSION http installs a stand-in that records requests; "
           "elsewhere run `strata compat install --stand-ins` for the same, build it from source "
           "(github.com/pramsey/pgsql-http), or call pg_net instead";
  if (has_stand_in(name))
    return fmt::format(
        "\"{}\" is not packaged for Debian 12: it exists only on Supabase. strata's local "
        "database stands in for it (CREATE EXTENSION succeeds there, see "
        "docs/local-database.md); to get the same stand-ins on this database run `strata compat "
        "install --stand-ins`, or apply this migration on Supabase",
        name);
  return fmt::format(
      "\"{}\" is not packaged for Debian 12's PostgreSQL 15: install it on the database host, or "
      "guard this migration with `-- strata:env` / a DO block that checks pg_available_extensions",
      name);
}

void explain_missing_extension(db::DbError& e) {
  // PostgreSQL 15: `extension "x" is not available` (0A000) with a detail about the control file;
  // older servers: `could not open extension control file ".../x.control"` (58P01).
  std::string msg = e.what();
  std::string name;
  size_t p = msg.find("extension \"");
  size_t q = p == std::string::npos ? p : msg.find("\" is not available", p);
  if (q != std::string::npos) {
    name = msg.substr(p + 11, q - p - 11);
  } else if (size_t c = msg.find("could not open extension control file"); c != std::string::npos) {
    p = c;
    size_t end = msg.find(".control", p);
    size_t start = msg.rfind('/', end);
    if (end == std::string::npos || start == std::string::npos) return;
    name = msg.substr(start + 1, end - start - 1);
  } else if (msg.find("unrecognized configuration parameter \"cron.") != std::string::npos) {
    e.hint =
        "pg_cron (postgresql-15-cron) is installed but not preloaded: strata's local database "
        "preloads it when it starts after the package was installed (`strata db stop`, then any "
        "command); elsewhere set shared_preload_libraries = 'pg_cron' and cron.database_name, and "
        "restart the server";
    return;
  } else {
    // CREATE FOREIGN DATA WRAPPER ... HANDLER stripe_fdw_handler: Supabase's wrappers.
    static const std::regex fdw(R"(function (\w+_fdw_handler)\(\) does not exist)");
    std::smatch m;
    if (std::regex_search(msg, m, fdw) && m[1].str() != "postgres_fdw_handler") {
      e.hint = fmt::format(
          "{}() belongs to Supabase's wrappers extension, which is native code and cannot run "
          "here (strata's stand-in only lets CREATE EXTENSION wrappers succeed): apply this "
          "migration on Supabase, or mark it `-- strata:env prod` so that local runs skip it",
          m[1].str());
    }
    return;
  }
  std::string prefix = msg.substr(0, p);
  db::DbError out(fmt::format("{}extension \"{}\" is not installed on this server{}", prefix, name,
                              e.sqlstate.empty() ? "" : " (SQLSTATE " + e.sqlstate + ")"),
                  e.code());
  out.sqlstate = e.sqlstate;
  out.statement = e.statement;
  out.position = e.position;
  out.detail = e.detail.empty() ? std::string(e.what()) : e.detail;
  out.hint = missing_extension_hint(name);
  e = out;
}

}  // namespace strata
