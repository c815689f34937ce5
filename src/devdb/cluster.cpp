// initdb/pg_ctl orchestration, run as the `postgres` user when strata runs as root.
#include "devdb/cluster.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <fstream>

#include "util/error.hpp"
#include "util/process.hpp"

namespace fs = std::filesystem;

namespace strata::devdb {

Cluster::Cluster(ClusterOptions options) : options_(std::move(options)) {}

fs::path Cluster::bin_dir() {
  if (const char* env = std::getenv("STRATA_PG_BIN"); env && *env) return env;
  return "/usr/lib/postgresql/15/bin";
}

fs::path Cluster::lib_dir() {
  return (bin_dir() / ".." / "lib").lexically_normal();
}

void add_server_settings(ClusterOptions& o, const std::vector<std::string>& preload,
                         const std::vector<std::pair<std::string, std::string>>& settings,
                         const std::string& database) {
  for (const auto& lib : preload)
    if (std::find(o.preload.begin(), o.preload.end(), lib) == o.preload.end())
      o.preload.push_back(lib);
  o.settings.insert(o.settings.end(), settings.begin(), settings.end());
  bool has_cron = std::find(o.preload.begin(), o.preload.end(), "pg_cron") != o.preload.end();
  if (!has_cron && fs::exists(Cluster::lib_dir() / "pg_cron.so")) {
    o.preload.push_back("pg_cron");
    has_cron = true;
  }
  bool has_db = std::any_of(o.settings.begin(), o.settings.end(),
                            [](const auto& kv) { return kv.first == "cron.database_name"; });
  if (has_cron && !has_db) o.settings.emplace_back("cron.database_name", database);
}

// One `-c name=value` for pg_ctl's -o, which goes through the shell: the value single-quoted.
static std::string server_option(const std::string& name, const std::string& value) {
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.')
      throw Error(fmt::format("[local] settings: `{}` is not a server setting name", name),
                  ExitCode::config);
  }
  std::string quoted = "'";
  for (char c : value) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return fmt::format(" -c {}={}'", name, quoted);
}

fs::path Cluster::log_file() const {
  return options_.data_dir.parent_path() / "server.log";
}

bool Cluster::initialized() const {
  return fs::exists(options_.data_dir / "PG_VERSION");
}

std::vector<std::string> Cluster::as_server_user(std::vector<std::string> argv) const {
  if (!running_as_root()) return argv;
  std::vector<std::string> out = {"runuser", "-u", "postgres", "--"};
  out.insert(out.end(), argv.begin(), argv.end());
  return out;
}

static void give_to_postgres(const fs::path& p) {
  if (!running_as_root()) return;
  struct passwd* pw = getpwnam("postgres");
  if (!pw) {
    Error e("running as root, but there is no `postgres` system user to run PostgreSQL as",
            ExitCode::failure);
    e.hint =
        "install Debian's postgresql-15 package (it creates the user), or run strata as a normal "
        "user";
    throw e;
  }
  if (chown(p.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
    throw Error(fmt::format("cannot give {} to the postgres user", p.string()));
  }
}

// The socket directory lives under /tmp with a predictable name: refuse one that is a symlink or
// belongs to another user, so nobody can get an arbitrary directory chmod'ed or chown'ed.
static void prepare_socket_dir(const fs::path& dir) {
  fs::create_directories(dir);
  struct stat st {};
  if (::lstat(dir.c_str(), &st) != 0 || S_ISLNK(st.st_mode) || !S_ISDIR(st.st_mode)) {
    throw Error(fmt::format("socket directory {} is not a plain directory; remove it and retry",
                            dir.string()));
  }
  uid_t postgres_uid = static_cast<uid_t>(-1);
  if (struct passwd* pw = getpwnam("postgres")) postgres_uid = pw->pw_uid;
  if (st.st_uid != geteuid() && st.st_uid != postgres_uid) {
    throw Error(fmt::format("socket directory {} belongs to another user; remove it and retry",
                            dir.string()));
  }
  fs::permissions(dir, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                           fs::perms::others_read | fs::perms::others_exec);
  give_to_postgres(dir);
}

void Cluster::init() {
  fs::path initdb = bin_dir() / "initdb";
  if (!fs::exists(initdb)) {
    Error e(fmt::format("PostgreSQL 15 server binaries not found in {}", bin_dir().string()));
    e.hint =
        "apt-get install postgresql-15 (or set STRATA_PG_BIN to the folder holding initdb and "
        "pg_ctl)";
    throw e;
  }
  fs::create_directories(options_.data_dir.parent_path());
  prepare_socket_dir(options_.socket_dir);
  give_to_postgres(options_.data_dir.parent_path());
  fs::path pwfile = options_.data_dir.parent_path() / ".pwfile";
  {
    // Readable by its owner only, even for the moment it exists.
    int fd = ::open(pwfile.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    std::string line = options_.password + "\n";
    if (fd < 0 || ::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
      if (fd >= 0) ::close(fd);
      throw Error(fmt::format("cannot write {}", pwfile.string()));
    }
    ::close(fd);
  }
  give_to_postgres(pwfile);
  auto r = run_process(
      as_server_user({initdb.string(), "-D", options_.data_dir.string(), "-U", "postgres", "-E",
                      "UTF8", "--locale=C", "--auth-local=trust", "--auth-host=scram-sha-256",
                      "--pwfile=" + pwfile.string(), "--no-sync"}));
  fs::remove(pwfile);
  if (r.exit_code != 0) {
    Error e(fmt::format("initdb failed for {}:\n{}", options_.data_dir.string(), r.output));
    e.hint = running_as_root()
                 ? "as root, the postgres user must be able to reach this folder: every parent "
                   "directory needs the x permission for others"
                 : "check that the folder is writable";
    throw e;
  }
}

bool Cluster::running() const {
  if (!initialized()) return false;
  auto r = run_process(as_server_user(
      {(bin_dir() / "pg_ctl").string(), "status", "-D", options_.data_dir.string()}));
  return r.exit_code == 0;
}

void Cluster::start() {
  if (!initialized()) init();
  if (running()) return;
  prepare_socket_dir(options_.socket_dir);
  std::string opts = fmt::format("-k {} -p {} -c listen_addresses={}", options_.socket_dir.string(),
                                 options_.port, options_.listen_tcp ? "127.0.0.1" : "''");
  if (options_.fast) opts += " -F -c synchronous_commit=off -c full_page_writes=off";
  if (!options_.preload.empty())
    opts += server_option("shared_preload_libraries",
                          fmt::format("{}", fmt::join(options_.preload, ",")));
  for (const auto& [name, value] : options_.settings) opts += server_option(name, value);
  auto r = run_process(
      as_server_user({(bin_dir() / "pg_ctl").string(), "start", "-w", "-t", "60", "-D",
                      options_.data_dir.string(), "-l", log_file().string(), "-o", opts}));
  if (r.exit_code != 0) {
    std::string log;
    std::ifstream in(log_file());
    std::string line;
    while (std::getline(in, line)) log += line + "\n";
    if (log.size() > 2000) log = log.substr(log.size() - 2000);
    Error e(fmt::format("could not start the local PostgreSQL ({}):\n{}\n{}",
                        options_.data_dir.string(), r.output, log));
    e.hint = fmt::format(
        "is port {} already in use? set [db] port in supabase/config.toml or [local] port in "
        "strata.toml",
        options_.port);
    throw e;
  }
}

void Cluster::stop() {
  if (!running()) return;
  auto r = run_process(as_server_user({(bin_dir() / "pg_ctl").string(), "stop", "-w", "-m", "fast",
                                       "-D", options_.data_dir.string()}));
  if (r.exit_code != 0) throw Error(fmt::format("pg_ctl stop failed:\n{}", r.output));
}

std::string Cluster::url(const std::string& database) const {
  // A running server knows best where it listens: postmaster.pid line 4 is the port, line 5 the
  // socket directory (they differ from the options when the configuration changed meanwhile).
  std::string socket_dir = options_.socket_dir.string();
  int port = options_.port;
  std::ifstream pid(options_.data_dir / "postmaster.pid");
  std::string line;
  for (int n = 1; std::getline(pid, line) && n <= 5; ++n) {
    if (n == 4 && !line.empty()) port = std::stoi(line);
    if (n == 5 && !line.empty()) socket_dir = line;
  }
  return fmt::format("postgresql://postgres@/{}?host={}&port={}", database, socket_dir, port);
}

}  // namespace strata::devdb
