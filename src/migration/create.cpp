// create_migration_file (see create.hpp): flock the folder, re-read it, O_EXCL the new file.
#include "migration/create.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
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
}  // namespace

std::filesystem::path create_migration_file(
    const Project& project, const SourceConfig& source, const std::string& name,
    const std::string& utc_timestamp,
    const std::function<std::string(const std::string& version)>& body) {
  std::filesystem::create_directories(source.dir);
  Fd dir;
  dir.fd = open(source.dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir.fd < 0 || flock(dir.fd, LOCK_EX) != 0)
    throw Error(
        fmt::format("cannot lock {}: {}", project.display(source.dir), std::strerror(errno)),
        ExitCode::config);
  // Under the lock, the folder as it is now (another `strata new` may just have written).
  auto discovered = discover_migrations(project, source);
  std::string version = next_version(discovered.migrations, utc_timestamp);
  std::set<std::string> taken = versions_on_disk(source.dir);
  for (int attempt = 0; attempt < 1000; ++attempt) {
    if (!taken.count(version)) {
      std::filesystem::path path = source.dir / fmt::format("{}_{}.sql", version, name);
      Fd file;
      file.fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
      if (file.fd >= 0) {
        std::string text = body(version);
        if (write(file.fd, text.data(), text.size()) != static_cast<ssize_t>(text.size()))
          throw Error(
              fmt::format("cannot write {}: {}", project.display(path), std::strerror(errno)));
        return path;
      }
      if (errno != EEXIST)
        throw Error(
            fmt::format("cannot create {}: {}", project.display(path), std::strerror(errno)),
            ExitCode::config);
    }
    Migration newest;
    newest.version = version;
    version = next_version({newest}, utc_timestamp);
  }
  throw Error(fmt::format("cannot find a free version in {}", project.display(source.dir)),
              ExitCode::config);
}

}  // namespace strata
