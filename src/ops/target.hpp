// Target: which database a command talks to. --db-url, else DATABASE_URL, else libpq's PG*
// variables, else the project's local cluster (started on demand, saying so).
#pragma once
#include <ostream>
#include <string>

#include "config/project.hpp"
#include "devdb/cluster.hpp"

namespace strata {

struct Target {
  std::string conninfo;  // may hold a password: never print it, print `display`
  std::string display;   // redacted
  bool local = false;    // the project's own cluster
};

Target resolve_target(const Project& project, const std::string& db_url_flag, std::ostream& log,
                      bool start_local = true);

// The project's local cluster (data inside the project at .strata/pgdata; as root, when the
// postgres user cannot reach the project folder, under /var/tmp).
devdb::Cluster project_cluster(const Project& project);

}  // namespace strata
