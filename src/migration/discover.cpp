// Reading a migrations directory: the format of its files (configured or detected), versioned
// files ordered by version, then repeatable ones; unversioned files ordered by the configured
// list; down files paired with their up file; duplicates refused; placeholders substituted.
#include "migration/discover.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <fnmatch.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <algorithm>
#include <atomic>
#include <exception>
#include <map>
#include <set>
#include <thread>

#include "migration/formats/format.hpp"
#include "migration/placeholders.hpp"
#include "migration/version.hpp"
#include "sql/splitter.hpp"
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

// Runs work(i) for every i in [0, n) on a few threads (the calling one included) and returns
// what each call threw (nullptr when it returned), so the caller rethrows in file order: the
// same error as a sequential loop. Few items run on the calling thread alone (a thread costs
// more than reading and hashing a handful of files).
template <typename F>
std::vector<std::exception_ptr> parallel_for(size_t n, F&& work) {
  std::vector<std::exception_ptr> errors(n);
  std::atomic<size_t> next{0};
  auto loop = [&] {
    for (size_t i; (i = next.fetch_add(1, std::memory_order_relaxed)) < n;) {
      try {
        work(i);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    }
  };
  constexpr size_t per_thread = 32;  // items below which another thread does not pay off
  size_t threads = std::min<size_t>(
      {std::max(1u, std::thread::hardware_concurrency()), 8, (n + per_thread - 1) / per_thread});
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) {
    try {
      pool.emplace_back(loop);
    } catch (const std::system_error&) {
      break;  // no more threads: the ones there (and this one) do the rest
    }
  }
  loop();
  for (auto& t : pool) t.join();
  return errors;
}

void rethrow_if(const std::exception_ptr& e) {
  if (e) std::rethrow_exception(e);
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

namespace {

// `[migrations] format`, or the tool whose files these are (with a notice), else strata's own
// layout (the Supabase CLI's in supabase/migrations).
const formats::Format& choose_format(const Project& project, const SourceConfig& source,
                                     const std::map<std::string, std::string>& texts,
                                     std::string& notice) {
  if (!source.format.empty()) {
    if (const formats::Format* f = formats::find_format(source.format)) return *f;
    std::vector<std::string> names;
    for (const auto* f : formats::all_formats()) names.emplace_back(f->name());
    Error e(fmt::format("strata.toml: unknown migrations format \"{}\"", source.format),
            ExitCode::config);
    e.hint = fmt::format("use one of: {} (or remove the key to detect it)", fmt::join(names, ", "));
    throw e;
  }
  std::vector<formats::FileSample> samples;
  samples.reserve(texts.size());
  for (const auto& [file, text] : texts) samples.push_back({file, text});
  for (const formats::Format* f : formats::all_formats()) {
    std::string why = f->detect(samples);
    if (why.empty()) continue;
    notice = fmt::format(
        "{}: read as {} migrations ({}); set [migrations] format = \"{}\" in strata.toml to say "
        "so",
        project.display(source.dir), f->name(), why, f->name());
    return *f;
  }
  bool supabase_dir = project.supabase && source.dir == project.root / "supabase" / "migrations";
  return *formats::find_format(supabase_dir ? "supabase" : "strata");
}

// What the checksum covers: the file, and the files it pulls in with `\i` / `\ir`, so a
// change in an included file makes the migration "modified". A file without includes is
// checksummed as written (the same checksum as always).
std::string checksum_with_included(const std::string& text, const fs::path& path) {
  if (text.find('\\') == std::string::npos) return migration_checksum(text);
  auto included = sql::included_files(text, path);
  if (included.empty()) return migration_checksum(text);
  std::string all = text;
  for (const auto& f : included) {
    all += '\0';
    all += f.readable ? f.text : std::string("\0unreadable");
  }
  return migration_checksum(all);
}

bool is_native(const formats::Format& f) {
  return f.name() == "strata" || f.name() == "supabase";
}

}  // namespace

bool runs_last(const SourceConfig& source, const std::string& file) {
  for (const auto& glob : source.run_last)
    if (fnmatch(glob.c_str(), file.c_str(), 0) == 0) return true;
  return false;
}

DiscoveredSource discover_migrations(const Project& project, const SourceConfig& source) {
  DiscoveredSource out;
  std::map<std::string, fs::path> files;  // file name -> path (sql files in the dir)
  if (fs::is_directory(source.dir)) {
    for (const auto& entry : fs::directory_iterator(source.dir)) {
      if (!entry.is_regular_file() || entry.path().extension() != ".sql") continue;
      std::string file = entry.path().filename().string();
      // `[migrations] run_last`: matching files belong to the source's second, last part.
      if (!source.run_last.empty() && runs_last(source, file) != source.run_last_part) continue;
      files.emplace(std::move(file), entry.path());
    }
  }
  std::map<std::string, std::string> texts;  // file name -> text, read once (in parallel)
  {
    std::vector<std::pair<const fs::path*, std::string*>> slots;
    slots.reserve(files.size());
    for (const auto& [name, path] : files) slots.emplace_back(&path, &texts[name]);
    auto errors = parallel_for(slots.size(),
                               [&](size_t i) { *slots[i].second = read_file(*slots[i].first); });
    for (const auto& e : errors) rethrow_if(e);
  }
  const formats::Format& format = choose_format(project, source, texts, out.format_notice);
  const bool native = is_native(format);
  const PlaceholderSet placeholders = placeholders_for(project, format.name());

  // Down files of strata's layout: beside the up file, or in ../rollbacks/.
  std::map<std::string, fs::path> downs;  // up file name -> down path
  std::set<std::string> down_names;
  if (native || !source.order.empty()) {
    for (const auto& [name, path] : files) {
      std::string up = up_name_of_down(name);
      if (up.empty()) continue;
      if (files.count(up) || name.ends_with(".down.sql")) {
        down_names.insert(name);
        if (files.count(up))
          downs[up] = path;
        else
          out.warnings.push_back(
              fmt::format("{}: down file without an up file {}; it is never applied",
                          project.display(path), up));
      }
    }
    const fs::path rollbacks = source.dir.parent_path() / "rollbacks";
    if (fs::is_directory(rollbacks)) {
      for (const auto& entry : fs::directory_iterator(rollbacks)) {
        std::string up = up_name_of_down(entry.path().filename().string());
        if (!up.empty() && files.count(up) && !downs.count(up)) downs[up] = entry.path();
      }
    }
  }

  auto substitute = [&](Migration& m, const std::string& file) {
    if (!placeholders.active()) return;
    m.text = substitute_placeholders(placeholders, m.text, m.display_path, 1, file);
    if (m.down) {
      std::string shown = m.down->path == m.path ? m.display_path : project.display(m.down->path);
      m.down->text = substitute_placeholders(placeholders, m.down->text, shown, m.down->first_line,
                                             m.down->path.filename().string());
    }
  };

  // One Migration from one file: identity, checksum over the file as written, the format's
  // split, dev-only globs, the down file, placeholders.
  auto make = [&](const std::string& file, const fs::path& path,
                  const std::optional<formats::NameInfo>& info) {
    Migration m;
    m.source = source.name;
    m.path = path;
    m.display_path = project.display(path);
    if (info && source.order.empty()) {
      m.version = info->version;
      m.name = info->name;
      m.repeatable = info->kind == formats::FileKind::repeatable;
    } else {
      m.version = file.substr(0, file.size() - 4);
      m.name = m.version;
    }
    const std::string& text = texts.at(file);
    if (text.find('\0') != std::string::npos) {
      Error e(
          fmt::format("{} contains a NUL byte: it is not a SQL text file", project.display(path)),
          ExitCode::config);
      e.hint = "check the file's encoding (UTF-16 files must be converted to UTF-8)";
      throw e;
    }
    m.checksum = checksum_with_included(text, path);
    if (native) {
      // The file's text becomes the migration's without a copy (a 50 MB file stays 50 MB).
      m.text = std::move(texts.at(file));
      format.split(m, m.text);
    } else {
      format.split(m, text);
    }
    for (const auto& glob : source.dev_only) {
      if (m.env.empty() && fnmatch(glob.c_str(), file.c_str(), 0) == 0) m.env = "dev";
    }
    if (auto it = downs.find(file); it != downs.end() && !m.down) {
      m.down = DownScript{it->second, read_file(it->second), 1};
    }
    return m;
  };

  if (!source.order.empty()) {
    std::vector<std::pair<std::string, fs::path>> todo;  // (file name, path) in run order
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
    std::vector<Migration> made(todo.size());
    auto errors = parallel_for(todo.size(), [&](size_t i) {
      made[i] = make(todo[i].first, todo[i].second, std::nullopt);
    });
    out.migrations.reserve(todo.size());
    for (size_t i = 0; i < todo.size(); ++i) {
      rethrow_if(errors[i]);
      out.migrations.push_back(std::move(made[i]));
      substitute(out.migrations.back(), todo[i].first);
    }
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
  std::vector<std::pair<std::string, formats::NameInfo>> ups, repeatables;
  std::vector<std::pair<formats::NameInfo, fs::path>> down_files;  // by version (tool formats)
  for (const auto& [name, path] : files) {
    if (down_names.count(name)) continue;
    auto info = format.parse_name(name);
    if (!info) {
      unversioned.push_back(name);
      continue;
    }
    if (info->kind == formats::FileKind::foreign) continue;  // only .sql files are in `files`
    if (info->kind == formats::FileKind::down)
      down_files.emplace_back(*info, path);
    else if (info->kind == formats::FileKind::repeatable)
      repeatables.emplace_back(name, *info);
    else
      ups.emplace_back(name, *info);
  }
  if (!unversioned.empty()) {
    if (format.name() == "strata") {
      Error e(fmt::format("{} file(s) in {} have no version prefix (<digits>_<name>.sql): {}",
                          unversioned.size(), project.display(source.dir),
                          fmt::join(unversioned, ", ")),
              ExitCode::config);
      e.hint =
          "rename them with a version prefix, or list every file in run order under "
          "[migrations] order in strata.toml";
      throw e;
    }
    // As the tool itself does: files it would not run are skipped, with a warning.
    for (const auto& file : unversioned) {
      if (std::string note = format.skip_note(file); !note.empty()) {
        out.warnings.push_back(
            fmt::format("{}: skipped: {}", project.display(source.dir / file), note));
        continue;
      }
      out.warnings.push_back(
          format.name() == "supabase"
              ? fmt::format("{}: skipped: file name must match <timestamp>_<name>.sql, as the "
                            "Supabase CLI requires",
                            project.display(source.dir / file))
              : fmt::format("{}: skipped: not a {} migration file name",
                            project.display(source.dir / file), format.name()));
    }
  }
  // Read, checksum and split every file on a few threads; errors are rethrown in the order a
  // sequential loop would meet them (ups first, repeatables after the checks below).
  std::sort(repeatables.begin(), repeatables.end(),
            [](const auto& a, const auto& b) { return a.second.name < b.second.name; });
  std::vector<const std::pair<std::string, formats::NameInfo>*> todo;
  todo.reserve(ups.size() + repeatables.size());
  for (const auto& u : ups) todo.push_back(&u);
  for (const auto& r : repeatables) todo.push_back(&r);
  std::vector<Migration> made(todo.size());
  auto errors = parallel_for(todo.size(), [&](size_t i) {
    made[i] = make(todo[i]->first, files.at(todo[i]->first), todo[i]->second);
  });
  out.migrations.reserve(todo.size());
  for (size_t i = 0; i < ups.size(); ++i) {
    rethrow_if(errors[i]);
    out.migrations.push_back(std::move(made[i]));
  }
  // The tool's code migrations (goose `.go`): in the sequence, never run (Migration::runs_with).
  if (!native && fs::is_directory(source.dir)) {
    for (const auto& entry : fs::directory_iterator(source.dir)) {
      std::string file = entry.path().filename().string();
      if (!entry.is_regular_file() || entry.path().extension() == ".sql") continue;
      auto info = format.parse_name(file);
      if (!info || info->kind != formats::FileKind::foreign) continue;
      Migration m;
      m.source = source.name;
      m.version = info->version;
      m.name = info->name;
      m.path = entry.path();
      m.display_path = project.display(entry.path());
      m.checksum = migration_checksum(read_file(entry.path()));
      m.runs_with = std::string(format.name());
      out.migrations.push_back(std::move(m));
    }
  }
  std::stable_sort(out.migrations.begin(), out.migrations.end(),
                   [](const Migration& a, const Migration& b) {
                     return compare_versions(a.version, b.version) < 0;
                   });
  for (size_t i = 1; i < out.migrations.size(); ++i) {
    const Migration& a = out.migrations[i - 1];
    const Migration& b = out.migrations[i];
    if (same_version(a.version, b.version)) {
      Error e(fmt::format("duplicate migration version {}: {} and {}", a.version, a.display_path,
                          b.display_path),
              ExitCode::config);
      e.hint =
          "give one of them a new version (rename the file); versions identify migrations in the "
          "history";
      throw e;
    }
  }
  // Separate down files of tool formats (golang-migrate .down.sql, Flyway U files): by version.
  for (const auto& [info, path] : down_files) {
    auto it = std::find_if(
        out.migrations.begin(), out.migrations.end(),
        [&info = info](const Migration& m) { return same_version(m.version, info.version); });
    if (it == out.migrations.end()) {
      out.warnings.push_back(
          fmt::format("{}: down file without an up file of version {}; it is "
                      "never applied",
                      project.display(path), info.version));
      continue;
    }
    if (it->down && it->down->path != it->path) {
      Error e(fmt::format("two down files for version {}: {} and {}", info.version,
                          project.display(it->down->path), project.display(path)),
              ExitCode::config);
      e.hint = "keep one of them";
      throw e;
    }
    it->down = DownScript{path, texts.at(path.filename().string()), 1};
  }
  // Repeatable migrations run after every versioned one, by description (as Flyway orders them).
  for (size_t i = ups.size(); i < todo.size(); ++i) {
    rethrow_if(errors[i]);
    out.migrations.push_back(std::move(made[i]));
  }
  for (Migration& m : out.migrations) substitute(m, m.path.filename().string());
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
