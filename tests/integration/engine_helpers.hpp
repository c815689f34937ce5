// Helpers for the apply-engine tests: a strata run in the background (output kept), waiting for
// a database's backends to end, ending backends by application name.
#pragma once
#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "fixture.hpp"

namespace strata::testing {

// `strata <args> --db-url <url> --workdir <project>` in the background; output to `log`.
inline pid_t spawn_strata(const std::vector<std::string>& args, const std::string& url,
                          const std::filesystem::path& project, const std::filesystem::path& log) {
  pid_t pid = fork();
  if (pid == 0) {
    int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    std::vector<std::string> all = {STRATA_BIN};
    all.insert(all.end(), args.begin(), args.end());
    all.insert(all.end(), {"--db-url", url, "--workdir", project.string()});
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

// Exit code of a spawned run (-1 when killed by a signal).
inline int wait_exit(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void sleep_ms(int ms) {
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

// Ends the backends of `dbname` whose application_name is `app`; returns how many.
inline int terminate_app(db::Connection& admin, const std::string& dbname, const std::string& app) {
  auto r = admin.exec_params(
      "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1 AND "
      "application_name = $2 AND pid <> pg_backend_pid()",
      {dbname, app});
  return std::stoi(r.get(0, 0));
}

// Polls until `sql` returns "t" (up to `ms`).
inline bool wait_until(db::Connection& c, const std::string& sql, int ms = 5000) {
  for (int waited = 0; waited < ms; waited += 20) {
    if (c.exec(sql).get(0, 0) == "t") return true;
    sleep_ms(20);
  }
  return false;
}

}  // namespace strata::testing
