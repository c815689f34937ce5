// Shadow database lifecycle and the diff.
#include "ops/db_diff.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <sstream>

#include "catalog/inspect.hpp"
#include "db/connection.hpp"
#include "ops/compat.hpp"
#include "ops/up.hpp"
#include "util/error.hpp"

namespace strata {

namespace {

// The same connection with another database name (URL or key=value conninfo).
std::string with_database(const std::string& conninfo, const std::string& db) {
  if (conninfo.starts_with("postgres://") || conninfo.starts_with("postgresql://")) {
    size_t scheme = conninfo.find("://") + 3;
    size_t slash = conninfo.find('/', scheme);
    size_t query = conninfo.find('?', scheme);
    if (slash == std::string::npos || (query != std::string::npos && slash > query)) {
      std::string base = conninfo.substr(0, query == std::string::npos ? conninfo.size() : query);
      return base + "/" + db + (query == std::string::npos ? "" : conninfo.substr(query));
    }
    size_t end = query == std::string::npos ? conninfo.size() : query;
    return conninfo.substr(0, slash + 1) + db + conninfo.substr(end);
  }
  return conninfo + " dbname=" + db;
}

}  // namespace

DiffResult run_db_diff(const Project& project, const std::string& conninfo,
                       const DiffRequest& request) {
  DiffResult result;
  db::Connection target = db::Connection::open(conninfo);
  bool compat =
      target.exec("SELECT to_regclass('strata_compat.layer') IS NOT NULL").get(0, 0) == "t";
  bool stand_ins =
      target.exec("SELECT to_regclass('strata_compat.stand_in') IS NOT NULL").get(0, 0) == "t";
  std::string shadow = fmt::format("strata_shadow_{}", getpid());
  try {
    target.exec(fmt::format("CREATE DATABASE {} TEMPLATE template0", shadow));
  } catch (const db::DbError& e) {
    Error err(fmt::format("cannot create the shadow database: {}", e.what()), ExitCode::failure);
    err.hint =
        "db diff applies the migrations to a throwaway database on the same server: the role needs "
        "CREATEDB";
    throw err;
  }
  std::string shadow_url = with_database(conninfo, shadow);
  auto drop_shadow = [&] {
    try {
      target.exec(fmt::format("DROP DATABASE IF EXISTS {} WITH (FORCE)", shadow));
    } catch (...) {
    }
  };
  try {
    {
      db::Connection s = db::Connection::open(shadow_url);
      if (compat) install_compat_layer(s);
      if (stand_ins) install_stand_ins(s);
    }
    UpRequest up;
    up.plan.env = request.env;
    up.plan.include_all = true;
    std::ostringstream quiet;
    Project shadow_project = project;
    shadow_project.notify_postgrest = false;
    run_up(shadow_project, shadow_url, up, quiet);
    db::Connection s = db::Connection::open(shadow_url);
    result.migrations = inspect_schema(s, request.schemas);
  } catch (...) {
    drop_shadow();
    throw;
  }
  drop_shadow();
  result.database = inspect_schema(target, request.schemas);
  result.changes = diff_models(result.migrations, result.database);
  return result;
}

}  // namespace strata
