// Creating, filling with the target's extras and dropping shadow databases.
#include "ops/shadow.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>

#include "ops/compat.hpp"
#include "util/error.hpp"

namespace strata {

std::string conninfo_with_database(const std::string& conninfo, const std::string& db) {
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

ShadowExtras shadow_extras_of(const std::string& conninfo) {
  db::Connection target = db::Connection::open(conninfo);
  db::Result r = target.exec(
      "SELECT to_regclass('strata_compat.layer') IS NOT NULL, "
      "to_regclass('strata_compat.stand_in') IS NOT NULL");
  return {r.get(0, 0) == "t", r.get(0, 1) == "t"};
}

ShadowDatabase::ShadowDatabase(const std::string& conninfo, ShadowExtras extras)
    : admin_(db::Connection::open(conninfo)) {
  static std::atomic<int> counter{0};
  name_ = fmt::format("strata_shadow_{}_{}", getpid(), counter++);
  try {
    admin_.exec(fmt::format("CREATE DATABASE {} TEMPLATE template0", name_));
  } catch (const db::DbError& e) {
    Error err(fmt::format("cannot create the shadow database: {}", e.what()), ExitCode::failure);
    err.hint =
        "strata builds migrations and schema files in a throwaway database on the same "
        "server: the role needs CREATEDB";
    throw err;
  }
  url_ = conninfo_with_database(conninfo, name_);
  try {
    // Building the shadow is not the user's run: the server's notices there (a stand-in
    // installed for CREATE EXTENSION, NOTICEs of the migrations) are not shown.
    admin_.exec(fmt::format("ALTER DATABASE {} SET client_min_messages = error", name_));
  } catch (...) {
    drop();
    throw;
  }
  if (extras.compat || extras.stand_ins) {
    try {
      db::Connection s = db::Connection::open(url_);
      if (extras.compat) install_compat_layer(s);
      if (extras.stand_ins) install_stand_ins(s);
    } catch (...) {
      drop();
      throw;
    }
  }
}

void ShadowDatabase::drop() noexcept {
  try {
    admin_.exec(fmt::format("DROP DATABASE IF EXISTS {} WITH (FORCE)", name_));
  } catch (...) {
  }
}

ShadowDatabase::~ShadowDatabase() {
  drop();
}

}  // namespace strata
