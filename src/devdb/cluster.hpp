// Cluster: a local PostgreSQL 15 that strata starts itself (initdb + pg_ctl from Debian's
// postgresql-15), no Docker. PostgreSQL refuses to run as root, so as root every server command
// runs as the `postgres` system user, which owns the data directory. Also the test fixture.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace strata::devdb {

struct ClusterOptions {
  std::filesystem::path data_dir;    // PGDATA
  std::filesystem::path socket_dir;  // short path (unix socket path limit is 107 bytes)
  int port = 54322;
  bool listen_tcp = true;             // also 127.0.0.1:<port>
  bool fast = false;                  // fsync off: throwaway clusters (tests, benchmarks)
  std::string password = "postgres";  // for TCP connections (local socket is trusted)
  // Given to the server at every start as -c options (a changed list needs a restart).
  std::vector<std::string> preload;                           // shared_preload_libraries
  std::vector<std::pair<std::string, std::string>> settings;  // name -> value
};

// A project's local cluster options from `[local] shared_preload_libraries` / `settings`, plus
// pg_cron (preloaded, with cron.database_name = `database`) when Debian's postgresql-15-cron is
// installed and the project does not set cron.database_name itself.
void add_server_settings(ClusterOptions& o, const std::vector<std::string>& preload,
                         const std::vector<std::pair<std::string, std::string>>& settings,
                         const std::string& database);

class Cluster {
 public:
  explicit Cluster(ClusterOptions options);

  bool initialized() const;
  bool running() const;
  void init();   // initdb; throws Error with initdb's output on failure
  void start();  // pg_ctl start -w (init first when needed)
  void stop();   // pg_ctl stop -m fast
  // Socket URL for `database` as the superuser, no password needed.
  std::string url(const std::string& database = "postgres") const;
  const ClusterOptions& options() const { return options_; }
  std::filesystem::path log_file() const;

  // /usr/lib/postgresql/15/bin, or $STRATA_PG_BIN.
  static std::filesystem::path bin_dir();
  // Where the server's loadable libraries are (pg_config --pkglibdir): bin_dir()/../lib.
  static std::filesystem::path lib_dir();

 private:
  std::vector<std::string> as_server_user(std::vector<std::string> argv) const;
  ClusterOptions options_;
};

}  // namespace strata::devdb
