// Conninfo -> PG* environment, with libpq's own parser and keyword table.
#include "db/conninfo.hpp"

#include <libpq-fe.h>

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

}  // namespace strata::db
