// write_next_migration (see create.hpp): check the name, flock the folder, re-read it, write a
// temporary file, fsync it and link(2) it to the first free `<version>_<name>.sql`.
#include "migration/create.hpp"

#include <fcntl.h>
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <regex>
#include <set>

#include "migration/discover.hpp"
#include "util/error.hpp"

namespace strata {
namespace {
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
};

// Removes the temporary file however the write ends.
struct TempFile {
  std::filesystem::path path;
  ~TempFile() {
    std::error_code ec;
    if (!path.empty()) std::filesystem::remove(path, ec);
  }
};

// Versions used by any file in the folder (also files discovery ignores, such as down files).
std::set<std::string> versions_on_disk(const std::filesystem::path& dir) {
  std::set<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    std::string f = e.path().filename().string();
    size_t us = f.find('_');
    if (us != std::string::npos && us > 0) out.insert(f.substr(0, us));
  }
  return out;
}

void write_all(int fd, const std::string& text, const Project& project,
               const std::filesystem::path& path) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      throw Error(fmt::format("cannot write {}: {}", project.display(path),
                              n < 0 ? std::strerror(errno) : "short write"),
                  ExitCode::failure);
    done += static_cast<size_t>(n);
  }
  if (fsync(fd) != 0)
    throw Error(fmt::format("cannot write {}: {}", project.display(path), std::strerror(errno)),
                ExitCode::failure);
}
}  // namespace

void check_migration_name(const std::string& name, const std::string& example) {
  static const std::regex valid("[a-z0-9_]+");
  if (std::regex_match(name, valid)) return;
  Error e(
      fmt::format("invalid migration name '{}': use only lowercase letters, digits and underscores",
                  name),
      ExitCode::usage);
  e.hint = "for example: " + example;
  throw e;
}

std::string utc_timestamp_now() {
  return fmt::format(
      "{:%Y%m%d%H%M%S}",
      fmt::gmtime(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now())));
}

NewMigration write_next_migration(
    const Project& project, const SourceConfig& source, const std::string& name,
    const std::function<std::string(const std::string& version)>& body, const std::string& example,
    const std::string& utc_timestamp) {
  check_migration_name(name, example);
  if (!source.order.empty()) {
    Error e("this project lists its migrations in [migrations] order in strata.toml",
            ExitCode::config);
    e.hint = "create the file yourself and add it to the order list";
    throw e;
  }
  const std::string stamp = utc_timestamp.empty() ? utc_timestamp_now() : utc_timestamp;
  std::error_code ec;
  std::filesystem::create_directories(source.dir, ec);
  Fd dir;
  dir.fd = open(source.dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir.fd < 0 || flock(dir.fd, LOCK_EX) != 0)
    throw Error(
        fmt::format("cannot lock {}: {}", project.display(source.dir), std::strerror(errno)),
        ExitCode::config);
  // Under the lock, the folder as it is now (another strata may just have written).
  auto discovered = discover_migrations(project, source);
  std::string version = next_version(discovered.migrations, stamp);
  std::set<std::string> taken = versions_on_disk(source.dir);
  // The whole text goes to a temporary file first (a dot file: discovery never reads it), then
  // link(2) gives it its name: link fails with EEXIST instead of replacing a file, so a version
  // is never written twice, even by a writer that ignores the flock.
  TempFile tmp;
  for (int attempt = 0; attempt < 1000; ++attempt) {
    while (taken.count(version)) {
      Migration newest;
      newest.version = version;
      version = next_version({newest}, stamp);
    }
    std::filesystem::path path = source.dir / fmt::format("{}_{}.sql", version, name);
    tmp.path = source.dir / fmt::format(".{}_{}.sql.{}.tmp", version, name, getpid());
    Fd file;
    file.fd = open(tmp.path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (file.fd < 0)
      throw Error(
          fmt::format("cannot create {}: {}", project.display(tmp.path), std::strerror(errno)),
          ExitCode::config);
    write_all(file.fd, body(version), project, tmp.path);
    int closed = close(file.fd);
    file.fd = -1;
    if (closed != 0)
      throw Error(
          fmt::format("cannot write {}: {}", project.display(tmp.path), std::strerror(errno)),
          ExitCode::failure);
    if (link(tmp.path.c_str(), path.c_str()) == 0) {
      fsync(dir.fd);
      return {path, version};
    }
    if (errno != EEXIST)
      throw Error(fmt::format("cannot create {}: {}", project.display(path), std::strerror(errno)),
                  ExitCode::config);
    taken.insert(version);
    std::error_code rm;
    std::filesystem::remove(tmp.path, rm);
  }
  throw Error(fmt::format("cannot find a free version in {}", project.display(source.dir)),
              ExitCode::config);
}

std::filesystem::path write_next_migration(const Project& project, const std::string& name,
                                           const std::string& header, const std::string& sql) {
  return write_next_migration(
             project, project.sources.front(), name,
             [&](const std::string&) { return header + "\n" + sql; }, "add_profiles")
      .path;
}

std::filesystem::path create_migration_file(
    const Project& project, const SourceConfig& source, const std::string& name,
    const std::string& utc_timestamp,
    const std::function<std::string(const std::string& version)>& body) {
  return write_next_migration(project, source, name, body, "strata new add_user_preferences",
                              utc_timestamp)
      .path;
}

}  // namespace strata
