// Conninfo -> PG* environment, with libpq's own parser and keyword table.
#include "db/conninfo.hpp"

#include <libpq-fe.h>
#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

#include "util/error.hpp"
#include "util/redact.hpp"

namespace strata::db {

std::vector<std::pair<std::string, std::string>> conninfo_environment(const std::string& conninfo) {
  std::vector<std::pair<std::string, std::string>> env;
  if (conninfo.empty()) return env;
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(conninfo.c_str(), &err);
  if (!opts) {
    std::string msg = err ? err : "out of memory";
    if (err) PQfreemem(err);
    Error e(
        "cannot parse the database URL " + redact_secrets(conninfo) + ": " + redact_secrets(msg),
        ExitCode::usage);
    throw e;
  }
  for (PQconninfoOption* o = opts; o->keyword; ++o)
    if (o->val && *o->val && o->envvar) env.emplace_back(o->envvar, o->val);
  PQconninfoFree(opts);
  return env;
}

std::pair<std::string, std::string> conninfo_user_database(const std::string& conninfo) {
  std::string user, database;
  for (const auto& [var, value] : conninfo_environment(conninfo)) {
    if (var == "PGUSER") user = value;
    if (var == "PGDATABASE") database = value;
  }
  auto env = [](const char* name) {
    const char* v = std::getenv(name);
    return std::string(v ? v : "");
  };
  if (user.empty()) user = env("PGUSER");
  if (user.empty()) {
    struct passwd pw {};
    struct passwd* found = nullptr;
    char buf[1024];
    if (getpwuid_r(geteuid(), &pw, buf, sizeof buf, &found) == 0 && found) user = found->pw_name;
  }
  if (database.empty()) database = env("PGDATABASE");
  if (database.empty()) database = user;
  return {user, database};
}

}  // namespace strata::db
