// Reading strata.toml and supabase/config.toml into a Project.
#include "config/project.hpp"

#include <fmt/format.h>

#include <toml++/toml.h>

#include "util/error.hpp"

namespace fs = std::filesystem;

namespace strata {

std::string Project::display(const fs::path& p) const {
  // A prefix strip, not fs::relative: that resolves every path component (slow for 1000s of files).
  const std::string& s = p.native();
  const std::string& r = root.native();
  if (s.size() > r.size() + 1 && s.compare(0, r.size(), r) == 0 && s[r.size()] == '/')
    return s.substr(r.size() + 1);
  return s;
}

namespace {

toml::table parse_toml(const fs::path& file) {
  try {
    return toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    Error err(fmt::format("{}:{}:{}: cannot parse: {}", file.string(), e.source().begin.line,
                          e.source().begin.column, e.description()),
              ExitCode::config);
    err.position = SourcePosition{file.string(), static_cast<int>(e.source().begin.line),
                                  static_cast<int>(e.source().begin.column)};
    err.hint = "fix the TOML syntax at that position (see docs/config.md)";
    throw err;
  }
}

std::vector<std::string> string_list(const toml::node* node, const fs::path& file,
                                     const char* key) {
  std::vector<std::string> out;
  if (!node) return out;
  const toml::array* arr = node->as_array();
  if (!arr)
    throw Error(fmt::format("{}: `{}` must be a list of strings", file.string(), key),
                ExitCode::config);
  for (const auto& item : *arr) {
    auto s = item.value<std::string>();
    if (!s)
      throw Error(fmt::format("{}: `{}` must be a list of strings", file.string(), key),
                  ExitCode::config);
    out.push_back(*s);
  }
  return out;
}

void read_supabase_config(Project& p, const fs::path& file) {
  toml::table t = parse_toml(file);
  if (auto port = t["db"]["port"].value<int64_t>()) p.local.port = static_cast<int>(*port);
  if (auto major = t["db"]["major_version"].value<int64_t>()) {
    p.local.major_version = static_cast<int>(*major);
    if (*major != 15) {
      p.warnings.push_back(
          fmt::format("{}: [db] major_version = {}, but strata's local database is PostgreSQL 15",
                      p.display(file), *major));
    }
  }
  if (auto enabled = t["db"]["seed"]["enabled"].value<bool>()) p.seed.enabled = *enabled;
  if (const toml::node* paths = t["db"]["seed"]["sql_paths"].node())
    p.seed.sql_paths = string_list(paths, file, "db.seed.sql_paths");
  if (auto enabled = t["db"]["migrations"]["enabled"].value<bool>())
    p.migrations_enabled = *enabled;
}

}  // namespace

Project load_project(const fs::path& root_in, bool require_migrations_dir) {
  Project p;
  std::error_code ec;
  p.root = fs::absolute(root_in, ec).lexically_normal();
  if (p.root.has_relative_path() && p.root.filename().empty()) p.root = p.root.parent_path();
  if (!fs::is_directory(p.root)) {
    Error e(fmt::format("project directory {} does not exist", p.root.string()), ExitCode::config);
    e.hint = "pass --workdir with the folder that holds supabase/ or strata.toml";
    throw e;
  }
  p.supabase = fs::is_directory(p.root / "supabase");
  if (p.supabase) p.seed.sql_paths = {"./seed.sql"};
  const fs::path supa_config = p.root / "supabase" / "config.toml";
  if (fs::exists(supa_config)) read_supabase_config(p, supa_config);

  const fs::path strata_toml = p.root / "strata.toml";
  SourceConfig src;
  if (fs::exists(strata_toml)) {
    toml::table t = parse_toml(strata_toml);
    if (auto s = t["history"]["schema"].value<std::string>()) p.history_schema = *s;
    if (auto d = t["migrations"]["dir"].value<std::string>()) src.dir = p.root / *d;
    if (const toml::node* order = t["migrations"]["order"].node())
      src.order = string_list(order, strata_toml, "migrations.order");
    if (const toml::node* dev = t["migrations"]["dev_only"].node())
      src.dev_only = string_list(dev, strata_toml, "migrations.dev_only");
    if (auto port = t["local"]["port"].value<int64_t>()) p.local.port = static_cast<int>(*port);
    if (const toml::node* seeds = t["seed"]["paths"].node())
      p.seed.sql_paths = string_list(seeds, strata_toml, "seed.paths");
    if (auto enabled = t["seed"]["enabled"].value<bool>()) p.seed.enabled = *enabled;
  }
  if (src.dir.empty()) {
    if (p.supabase)
      src.dir = p.root / "supabase" / "migrations";
    else
      src.dir = p.root / "migrations";
  }
  src.dir = src.dir.lexically_normal();
  if (require_migrations_dir && !fs::is_directory(src.dir)) {
    Error e(fmt::format("migrations directory {} does not exist", p.display(src.dir)),
            ExitCode::config);
    e.hint = "create it with `strata new <name>`, or set [migrations] dir in strata.toml";
    throw e;
  }
  p.sources.push_back(std::move(src));
  return p;
}

}  // namespace strata
