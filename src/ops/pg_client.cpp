// fork/exec of the PostgreSQL client programs with poll() on their stdout and stderr.
#include "ops/pg_client.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "db/conninfo.hpp"
#include "util/error.hpp"
#include "util/redact.hpp"

namespace fs = std::filesystem;

namespace strata {

fs::path pg_client_program(const std::string& program) {
  const char* dir = std::getenv("STRATA_PG_BIN_DIR");
  fs::path path = fs::path(dir && *dir ? dir : "/usr/lib/postgresql/15/bin") / program;
  if (access(path.c_str(), X_OK) != 0) {
    Error e(fmt::format("{} (PostgreSQL 15 client) not found at {}", program, path.string()));
    e.hint = "install Debian's postgresql-client-15 package: apt-get install postgresql-client-15";
    throw e;
  }
  return path;
}

ClientRun run_pg_client(const std::string& program, const std::vector<std::string>& args,
                        const std::string& conninfo,
                        const std::function<void(std::string_view)>& on_output) {
  fs::path exe = pg_client_program(program);
  auto env = db::conninfo_environment(conninfo);
  int out[2], err[2];
  if (pipe(out) != 0) throw Error(std::string("pipe: ") + std::strerror(errno));
  if (pipe(err) != 0) {
    close(out[0]);
    close(out[1]);
    throw Error(std::string("pipe: ") + std::strerror(errno));
  }
  // Everything the child needs is built before fork: after it, only async-signal-safe calls.
  std::vector<std::string> argv_s{exe.string()};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_s;
  for (char** e = environ; e && *e; ++e) {
    std::string_view kv(*e);
    bool replaced = false;
    for (const auto& [k, v] : env)
      if (kv.size() > k.size() && kv.starts_with(k) && kv[k.size()] == '=') replaced = true;
    if (!replaced) env_s.emplace_back(kv);
  }
  for (const auto& [k, v] : env) env_s.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& e : env_s) envp.push_back(e.data());
  envp.push_back(nullptr);

  pid_t pid = fork();
  if (pid < 0) {
    for (int fd : {out[0], out[1], err[0], err[1]}) close(fd);
    throw Error(std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, STDIN_FILENO);
    dup2(out[1], STDOUT_FILENO);
    dup2(err[1], STDERR_FILENO);
    for (int fd : {out[0], out[1], err[0], err[1]}) close(fd);
    execve(argv[0], argv.data(), envp.data());
    const char* msg = "cannot run the PostgreSQL client program\n";
    ssize_t ignored = write(STDERR_FILENO, msg, std::strlen(msg));
    (void)ignored;
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  ClientRun run;
  std::string chunk(1 << 16, '\0');
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  int open_fds = 2;
  std::exception_ptr failure;
  while (open_fds > 0) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (auto& p : fds) {
      if (p.fd < 0 || !(p.revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = read(p.fd, chunk.data(), chunk.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        close(p.fd);
        p.fd = -1;
        --open_fds;
        continue;
      }
      std::string_view data(chunk.data(), static_cast<size_t>(n));
      if (p.fd == out[0]) {
        if (on_output && !failure) {
          try {
            on_output(data);
          } catch (...) {
            failure = std::current_exception();  // keep draining so the child can finish
          }
        }
      } else if (run.errors.size() < (1 << 20)) {
        run.errors.append(data);
      }
    }
  }
  for (auto& p : fds)
    if (p.fd >= 0) close(p.fd);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  run.errors = redact_secrets(run.errors);
  for (const auto& [k, v] : env)
    if (k == "PGPASSWORD" && v.size() >= 3)
      for (size_t at; (at = run.errors.find(v)) != std::string::npos;)
        run.errors.replace(at, v.size(), "***");
  if (failure) std::rethrow_exception(failure);
  return run;
}

}  // namespace strata
