// Backup before up: where, under which name, and the dump it writes (ops/dump.hpp).
#include "ops/backup.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "db/connection.hpp"
#include "ops/dump.hpp"
#include "util/error.hpp"

namespace fs = std::filesystem;

namespace strata {

BackupRequest backup_request(const Project& project, bool target_local,
                             const std::string& flag_dir) {
  BackupRequest r;
  if (!flag_dir.empty())
    r.dir = fs::absolute(flag_dir).lexically_normal();
  else if (!target_local)
    r.dir = project.backup_dir;
  return r;
}

BackupResult run_backup(const Project& project, const std::string& conninfo,
                        const BackupRequest& request, std::ostream& out) {
  BackupResult result;
  try {
    std::error_code ec;
    fs::create_directories(request.dir, ec);
    if (ec || !fs::is_directory(request.dir))
      throw Error(fmt::format("cannot create the folder {}: {}", request.dir.string(),
                              ec ? ec.message() : "not a folder"));
    std::string db = db::Connection::open(conninfo).exec("SELECT current_database()").get(0, 0);
    for (char& c : db)
      if (c == '/' || c == '\0') c = '_';
    std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
    std::string base = fmt::format("{}-{}", db, stamp);
    // Claim a free name (O_EXCL: parallel fleet targets never share one), then dump over it.
    for (int n = 1;; ++n) {
      result.file = request.dir / (n == 1 ? base + ".sql" : fmt::format("{}-{}.sql", base, n));
      int fd = ::open(result.file.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
      if (fd >= 0) {
        ::close(fd);
        break;
      }
      if (errno != EEXIST || n > 1000)
        throw Error(fmt::format("cannot write {}: {}", result.file.string(), std::strerror(errno)));
    }
    DumpRequest dump;
    dump.with_history = true;
    try {
      result.bytes = write_dump_file(project, conninfo, dump, result.file, true).bytes;
    } catch (...) {
      fs::remove(result.file, ec);
      throw;
    }
  } catch (const Error& e) {
    Error f(fmt::format("backup failed, nothing was applied: {}", e.what()), ExitCode::failure);
    f.hint = e.hint.empty() ? "fix the backup folder (--backup DIR or [backup] dir in strata.toml) "
                              "or the connection, then run again"
                            : e.hint;
    throw f;
  } catch (const std::exception& e) {
    throw Error(fmt::format("backup failed, nothing was applied: {}", e.what()), ExitCode::failure);
  }
  out << fmt::format("Backup: {} ({})\n", result.file.string(), human_size(result.bytes));
  return result;
}

std::optional<BackupResult> backup_before_apply(const Project& project, const std::string& conninfo,
                                                const BackupRequest& request,
                                                const std::vector<UpPlan>& plans,
                                                std::ostream& out) {
  if (request.dir.empty()) return std::nullopt;
  for (const auto& plan : plans)
    if (!plan.steps.empty()) return run_backup(project, conninfo, request, out);
  return std::nullopt;
}

}  // namespace strata
