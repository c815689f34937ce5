// Reading a migrations directory: versioned files ordered by version, unversioned files ordered
// by the configured list, down files paired with their up file, duplicates refused.
#include "migration/discover.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <fnmatch.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "migration/version.hpp"
#include "util/checksum.hpp"
#include "util/error.hpp"

namespace fs = std::filesystem;

namespace strata {
namespace {

// open/fstat/read: a third of the cost of an ifstream copy, which matters for 1000s of files.
std::string read_file(const fs::path& p) {
  int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st {};
  if (fd < 0 || ::fstat(fd, &st) != 0) {
    if (fd >= 0) ::close(fd);
    Error e(fmt::format("cannot read {}: {}", p.string(), std::strerror(errno)), ExitCode::config);
    e.hint = "check that the file exists and is readable by this user";
    throw e;
  }
  std::string out(static_cast<size_t>(st.st_size), '\0');
  size_t got = 0;
  while (got < out.size()) {
    ssize_t n = ::read(fd, out.data() + got, out.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  out.resize(got);
  return out;
}

// For a down file name, the up file name it belongs to (or "").
std::string up_name_of_down(const std::string& file) {
  for (const char* suffix : {".down.sql", "_down.sql", "_rollback.sql"}) {
    std::string s(suffix);
    if (file.size() > s.size() && file.ends_with(s))
      return file.substr(0, file.size() - s.size()) + ".sql";
  }
  return {};
}

}  // namespace

DiscoveredSource discover_migrations(const Project& project, const SourceConfig& source) {
  DiscoveredSource out;
  std::map<std::string, fs::path> files;  // file name -> path (sql files in the dir)
  if (fs::is_directory(source.dir)) {
    for (const auto& entry : fs::directory_iterator(source.dir)) {
      if (entry.is_regular_file() && entry.path().extension() == ".sql")
        files.emplace(entry.path().filename().string(), entry.path());
    }
  }
  // Down files: beside the up file, or in ../rollbacks/.
  std::map<std::string, fs::path> downs;  // up file name -> down path
  std::set<std::string> down_names;
  for (const auto& [name, path] : files) {
    std::string up = up_name_of_down(name);
    if (up.empty()) continue;
    if (files.count(up) || name.ends_with(".down.sql")) {
      down_names.insert(name);
      if (files.count(up))
        downs[up] = path;
      else
        out.warnings.push_back(fmt::format(
            "{}: down file without an up file {}; it is never applied", project.display(path), up));
    }
  }
  const fs::path rollbacks = source.dir.parent_path() / "rollbacks";
  if (fs::is_directory(rollbacks)) {
    for (const auto& entry : fs::directory_iterator(rollbacks)) {
      std::string up = up_name_of_down(entry.path().filename().string());
      if (!up.empty() && files.count(up) && !downs.count(up)) downs[up] = entry.path();
    }
  }

  std::vector<std::pair<std::string, fs::path>> todo;  // (file name, path) in run order
  auto make = [&](const std::string& file, const fs::path& path) {
    Migration m;
    m.source = source.name;
    m.path = path;
    m.display_path = project.display(path);
    if (auto v = parse_versioned_name(file); v && source.order.empty()) {
      m.version = v->version;
      m.name = v->name;
    } else {
      m.version = file.substr(0, file.size() - 4);
      m.name = m.version;
    }
    std::string text = read_file(path);
    if (text.find('\0') != std::string::npos) {
      Error e(
          fmt::format("{} contains a NUL byte: it is not a SQL text file", project.display(path)),
          ExitCode::config);
      e.hint = "check the file's encoding (UTF-16 files must be converted to UTF-8)";
      throw e;
    }
    m.checksum = migration_checksum(text);
    apply_directives(m, text);
    for (const auto& glob : source.dev_only) {
      if (m.env.empty() && fnmatch(glob.c_str(), file.c_str(), 0) == 0) m.env = "dev";
    }
    if (auto it = downs.find(file); it != downs.end() && !m.down) {
      m.down = DownScript{it->second, read_file(it->second), 1};
    }
    return m;
  };

  auto load_all = [&] {
    std::vector<Migration> loaded;
    loaded.reserve(todo.size());
    for (const auto& [file, path] : todo) loaded.push_back(make(file, path));
    return loaded;
  };

  if (!source.order.empty()) {
    std::set<std::string> listed;
    for (const std::string& entry : source.order) {
      std::string file = fs::path(entry).filename().string();
      if (!file.ends_with(".sql")) file += ".sql";
      if (!listed.insert(file).second) {
        throw Error(fmt::format("strata.toml: {} is listed twice in [migrations] order", file),
                    ExitCode::config);
      }
      auto it = files.find(file);
      if (it == files.end()) {
        Error e(fmt::format("strata.toml: [migrations] order lists {}, which is not in {}", file,
                            project.display(source.dir)),
                ExitCode::config);
        e.hint = "remove it from the list or restore the file";
        throw e;
      }
      if (down_names.count(file)) {
        throw Error(
            fmt::format("strata.toml: {} is a down file and cannot be applied forward", file),
            ExitCode::config);
      }
      todo.emplace_back(file, it->second);
    }
    out.migrations = load_all();
    std::vector<std::string> unlisted;
    for (const auto& [name, path] : files) {
      if (!listed.count(name) && !down_names.count(name)) unlisted.push_back(name);
    }
    if (!unlisted.empty()) {
      Error e(fmt::format("{} file(s) in {} are not in [migrations] order: {}", unlisted.size(),
                          project.display(source.dir), fmt::join(unlisted, ", ")),
              ExitCode::config);
      e.hint = "add them to `order` in strata.toml where they belong in the run order";
      throw e;
    }
    return out;
  }

  std::vector<std::string> unversioned;
  for (const auto& [name, path] : files) {
    if (down_names.count(name)) continue;
    if (!parse_versioned_name(name)) {
      unversioned.push_back(name);
      continue;
    }
    todo.emplace_back(name, path);
  }
  out.migrations = load_all();
  if (!unversioned.empty()) {
    Error e(
        fmt::format("{} file(s) in {} have no version prefix (<digits>_<name>.sql): {}",
                    unversioned.size(), project.display(source.dir), fmt::join(unversioned, ", ")),
        ExitCode::config);
    e.hint =
        "rename them with a version prefix, or list every file in run order under [migrations] "
        "order in strata.toml";
    throw e;
  }
  std::stable_sort(out.migrations.begin(), out.migrations.end(),
                   [](const Migration& a, const Migration& b) {
                     return compare_versions(a.version, b.version) < 0;
                   });
  for (size_t i = 1; i < out.migrations.size(); ++i) {
    const Migration& a = out.migrations[i - 1];
    const Migration& b = out.migrations[i];
    auto digits = [](const std::string& v) {
      size_t nz = v.find_first_not_of('0');
      return nz == std::string::npos ? std::string("0") : v.substr(nz);
    };
    if (digits(a.version) == digits(b.version)) {
      Error e(fmt::format("duplicate migration version {}: {} and {}", a.version, a.display_path,
                          b.display_path),
              ExitCode::config);
      e.hint =
          "give one of them a new version (rename the file); versions identify migrations in the "
          "history";
      throw e;
    }
  }
  return out;
}

std::string next_version(const std::vector<Migration>& existing, const std::string& utc_timestamp) {
  if (existing.empty()) return utc_timestamp;
  const std::string& last = existing.back().version;
  bool sequential = last.size() < 8 && std::all_of(last.begin(), last.end(), ::isdigit);
  if (!sequential) {
    // Never go backwards: a timestamp not after the newest version gets newest + 1.
    if (compare_versions(utc_timestamp, last) > 0) return utc_timestamp;
    // Widen an 8- or 12-digit date to 14 digits first, so the result sorts after it.
    std::string widened = last.size() < 14 ? last + std::string(14 - last.size(), '0') : last;
    return std::to_string(std::stoull(widened) + 1);
  }
  unsigned long long next = std::stoull(last) + 1;
  std::string s = std::to_string(next);
  if (s.size() < last.size()) s.insert(0, last.size() - s.size(), '0');
  return s;
}

}  // namespace strata
