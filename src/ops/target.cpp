// Resolution of the target database and of the project's local cluster location.
#include "ops/target.hpp"

#include <fmt/format.h>

#include <cstdlib>

#include "db/connection.hpp"
#include "db/tool_url.hpp"
#include "ops/compat.hpp"
#include "ops/reset.hpp"
#include "util/checksum.hpp"
#include "util/process.hpp"
#include "util/redact.hpp"

namespace fs = std::filesystem;

namespace strata {

devdb::Cluster project_cluster(const Project& project) {
  std::string hash = sha256_hex(project.root.string()).substr(0, 10);
  devdb::ClusterOptions o;
  o.port = project.local.port;
  o.socket_dir = fs::path("/tmp") / ("strata-" + hash);
  fs::path base = project.root / ".strata";
  if (running_as_root()) {
    auto r = run_process({"runuser", "-u", "postgres", "--", "test", "-x", project.root.string()});
    if (r.exit_code != 0) base = fs::path("/var/tmp") / ("strata-" + hash);
  }
  o.data_dir = base / "pgdata";
  devdb::add_server_settings(o, project.local.shared_preload_libraries, project.local.settings,
                             project.local.database);
  return devdb::Cluster(o);
}

Target resolve_target(const Project& project, const std::string& db_url_flag, std::ostream& log,
                      bool start_local) {
  Target t;
  auto tool_url = [&](const std::string& url) {
    // Another migration tool's URL parameters (dbmate's search_path, golang-migrate's x-...).
    std::vector<std::string> notes;
    std::string out = db::translate_tool_url(url, notes);
    for (const auto& n : notes) log << "note: " << n << "\n";
    return out;
  };
  if (!db_url_flag.empty()) {
    t.conninfo = tool_url(db_url_flag);
  } else if (const char* env = std::getenv("DATABASE_URL"); env && *env) {
    t.conninfo = tool_url(env);
  } else {
    for (const char* v : {"PGHOST", "PGDATABASE", "PGSERVICE", "PGPORT", "PGUSER"}) {
      if (const char* e = std::getenv(v); e && *e) {
        t.display = "(PG* environment)";
        return t;  // conninfo "" = libpq reads the environment
      }
    }
    devdb::Cluster cluster = project_cluster(project);
    t.local = true;
    if (std::filesystem::exists(reset_marker(project)))
      log << "warning: the last `strata db reset` was interrupted: the local database is missing "
             "or half-built; run `strata db reset` again\n";
    t.conninfo = cluster.url(project.local.database);
    if (start_local && !cluster.running()) {
      log << fmt::format(
          "No --db-url or DATABASE_URL: starting the local database ({}, port {})...\n",
          project.display(cluster.options().data_dir), cluster.options().port);
      cluster.start();
      // Started on demand: the same as `strata db start`, compat layer included.
      db::Connection conn = db::Connection::open(t.conninfo);
      install_local_layers(project, conn);
    }
  }
  t.display = redact_secrets(t.conninfo);
  return t;
}

}  // namespace strata
