// Reading strata.toml and supabase/config.toml into a Project.
#include "config/project.hpp"

#include <fmt/format.h>

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

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

// ${VAR} and ${VAR:-default} from the environment.
std::string expand_env(const std::string& in) {
  std::string out;
  size_t i = 0;
  while (i < in.size()) {
    if (in.compare(i, 2, "${") == 0) {
      size_t end = in.find('}', i);
      if (end != std::string::npos) {
        std::string body = in.substr(i + 2, end - i - 2);
        std::string def;
        if (size_t d = body.find(":-"); d != std::string::npos) {
          def = body.substr(d + 2);
          body = body.substr(0, d);
        }
        const char* v = std::getenv(body.c_str());
        out += (v && *v) ? v : def;
        i = end + 1;
        continue;
      }
    }
    out += in[i++];
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> role_privileges(const toml::node* node) {
  std::vector<std::pair<std::string, std::string>> out;
  if (const toml::table* t = node ? node->as_table() : nullptr) {
    for (const auto& [role, privs] : *t)
      out.emplace_back(std::string(role.str()), privs.value_or(std::string()));
  }
  return out;
}

std::vector<fs::path> subdirs(const fs::path& dir) {
  std::vector<fs::path> out;
  if (fs::is_directory(dir))
    for (const auto& e : fs::directory_iterator(dir))
      if (e.is_directory()) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// Seed 003's tiers: the active theme's migrations, the active plugins' (in the order the theme
// lists them), then entity migrations of the theme and of those plugins.
void add_content_sources(Project& p, const toml::table& contents, const fs::path& file,
                         bool legacy) {
  fs::path base = p.root / expand_env(contents["dir"].value_or(std::string("contents")));
  std::string theme = expand_env(contents["active_theme"].value_or(std::string("default")));
  if (!fs::is_directory(base / "themes" / theme)) {
    Error e(fmt::format("{}: active theme '{}' has no folder {}", file.string(), theme,
                        p.display(base / "themes" / theme)),
            ExitCode::config);
    e.hint = "set the theme's environment variable or [contents] active_theme to an existing theme";
    throw e;
  }
  std::vector<std::string> plugins;
  if (const toml::node* list = contents["plugins"][theme].node())
    plugins = string_list(list, file, "contents.plugins");
  auto add = [&](std::string name, std::string tier, fs::path dir, LegacyTracking lt) {
    if (!fs::is_directory(dir)) return;
    for (const auto& other : p.sources) {
      if (other.name == name) {
        Error e(fmt::format("{}: two migration sources are both named {} ({} and {})",
                            file.string(), name, p.display(other.dir), p.display(dir)),
                ExitCode::config);
        e.hint =
            "entity names must be unique across the active theme and plugins: rename one entity "
            "folder";
        throw e;
      }
    }
    SourceConfig s;
    s.name = std::move(name);
    s.tier = std::move(tier);
    s.dir = dir.lexically_normal();
    if (legacy) s.legacy = std::move(lt);
    p.sources.push_back(std::move(s));
  };
  add("theme:" + theme, "content", base / "themes" / theme / "migrations",
      {"content", "theme", theme, ""});
  for (const auto& plugin : plugins)
    add("plugin:" + plugin, "content", base / "plugins" / plugin / "migrations",
        {"content", "plugin", plugin, ""});
  for (const auto& e : subdirs(base / "themes" / theme / "entities")) {
    std::string entity = e.filename().string();
    add("entity:" + entity, "entity", e / "migrations", {"entity", "theme", theme, entity});
  }
  for (const auto& plugin : plugins) {
    for (const auto& e : subdirs(base / "plugins" / plugin / "entities")) {
      std::string entity = e.filename().string();
      add("entity:" + entity, "entity", e / "migrations", {"entity", "plugin", plugin, entity});
    }
  }
}

// `history_table` (another tool's table of a source): "schema.name" of plain identifiers,
// lower-cased as PostgreSQL folds them; a bare name is in public.
std::string history_table_name(const std::string& v, const fs::path& file, const char* key) {
  std::string out;
  for (char c : v) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto ident = [](std::string_view s) {
    return !s.empty() && !std::isdigit(static_cast<unsigned char>(s[0])) &&
           std::all_of(s.begin(), s.end(), [](char c) {
             return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
           });
  };
  size_t dot = out.find('.');
  bool ok = dot == std::string::npos ? ident(out)
                                     : ident(std::string_view(out).substr(0, dot)) &&
                                           ident(std::string_view(out).substr(dot + 1));
  if (!ok)
    throw Error(fmt::format("{}: `{}` must be a table name (\"name\" or \"schema.name\", letters, "
                            "digits and _), not \"{}\"",
                            file.string(), key, v),
                ExitCode::config);
  return dot == std::string::npos ? "public." + out : out;
}

// [migrations] format / placeholder_forms, [placeholders], [history] mirror / adopt.
void read_format_keys(Project& p, SourceConfig& src, const toml::table& t, const fs::path& file) {
  if (auto f = t["migrations"]["format"].value<std::string>()) src.format = *f == "auto" ? "" : *f;
  if (auto h = t["migrations"]["history_table"].value<std::string>())
    src.history_table = history_table_name(*h, file, "migrations.history_table");
  if (const toml::table* ph = t["placeholders"].as_table()) {
    p.placeholders.configured = true;
    for (const auto& [key, value] : *ph) {
      std::optional<std::string> v = value.value<std::string>();
      if (!v && value.is_number())
        v = value.is_integer() ? std::to_string(*value.value<int64_t>())
                               : std::to_string(*value.value<double>());
      if (!v && value.is_boolean()) v = *value.value<bool>() ? "true" : "false";
      if (!v)
        throw Error(fmt::format("{}: [placeholders] {} must be a string or a number", file.string(),
                                std::string(key.str())),
                    ExitCode::config);
      p.placeholders.values.emplace_back(std::string(key.str()), *v);
    }
  }
  if (const toml::node* forms = t["migrations"]["placeholder_forms"].node())
    p.placeholders.forms = string_list(forms, file, "migrations.placeholder_forms");
  for (const auto& form : p.placeholders.forms) {
    if (form.find("NAME") == std::string::npos || form.find("NAME") == 0)
      throw Error(fmt::format("{}: placeholder form \"{}\" needs text before NAME, and NAME where "
                              "the placeholder's name goes",
                              file.string(), form),
                  ExitCode::config);
  }
  if (const toml::node* m = t["history"]["mirror"].node())
    p.foreign_history.mirror = string_list(m, file, "history.mirror");
  if (const toml::node* a = t["history"]["adopt"].node())
    p.foreign_history.adopt = string_list(a, file, "history.adopt");
}

// [local] compat, shared_preload_libraries and settings (docs/config.md).
void read_local_server_config(Project& p, const toml::table& t, const fs::path& file) {
  if (auto compat = t["local"]["compat"].value<bool>()) p.local.compat = *compat;
  if (const toml::node* libs = t["local"]["shared_preload_libraries"].node())
    p.local.shared_preload_libraries = string_list(libs, file, "local.shared_preload_libraries");
  if (const toml::table* settings = t["local"]["settings"].as_table()) {
    for (const auto& [name, value] : *settings) {
      std::string v;
      if (auto str = value.value<std::string>())
        v = *str;
      else if (auto i = value.value<int64_t>())
        v = std::to_string(*i);
      else if (auto b = value.value<bool>())
        v = *b ? "on" : "off";
      else if (auto d = value.value<double>())
        v = fmt::format("{}", *d);
      else
        throw Error(fmt::format("{}: [local.settings] {} must be a string, number or boolean",
                                file.string(), name.str()),
                    ExitCode::config);
      p.local.settings.emplace_back(std::string(name.str()), v);
    }
  }
}

// `[migrations] run_last`: each source's matching files become a second part of that source,
// appended after every source (seed 003's runner runs sample data after all schema files).
void split_run_last(Project& p, const std::vector<std::string>& globs) {
  if (globs.empty()) return;
  std::vector<SourceConfig> last;
  for (auto& s : p.sources) {
    s.run_last = globs;
    SourceConfig tail = s;
    tail.run_last_part = true;
    last.push_back(std::move(tail));
  }
  for (auto& s : last) p.sources.push_back(std::move(s));
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
  toml::table t;
  if (fs::exists(strata_toml)) {
    t = parse_toml(strata_toml);
    if (auto s = t["history"]["schema"].value<std::string>()) {
      // An empty name would make every history statement invalid SQL (`""`), and a blank one
      // a schema nobody can see: refuse it here, where the file and line are known.
      if (s->find_first_not_of(" \t") == std::string::npos) {
        const toml::node* n = t["history"]["schema"].node();
        int line = n ? static_cast<int>(n->source().begin.line) : 0;
        int col = n ? static_cast<int>(n->source().begin.column) : 0;
        Error e(fmt::format("{}:{}:{}: [history] schema must not be empty", p.display(strata_toml),
                            line, col),
                ExitCode::config);
        e.position = SourcePosition{p.display(strata_toml), line, col};
        e.hint = "remove the key to use the default schema `strata`, or name a schema";
        throw e;
      }
      p.history_schema = *s;
    }
    if (auto d = t["migrations"]["dir"].value<std::string>()) src.dir = p.root / *d;
    if (const toml::node* order = t["migrations"]["order"].node())
      src.order = string_list(order, strata_toml, "migrations.order");
    if (const toml::node* dev = t["migrations"]["dev_only"].node())
      src.dev_only = string_list(dev, strata_toml, "migrations.dev_only");
    read_format_keys(p, src, t, strata_toml);
    if (auto port = t["local"]["port"].value<int64_t>()) p.local.port = static_cast<int>(*port);
    read_local_server_config(p, t, strata_toml);
    if (const toml::node* seeds = t["seed"]["paths"].node())
      p.seed.sql_paths = string_list(seeds, strata_toml, "seed.paths");
    if (auto enabled = t["seed"]["enabled"].value<bool>()) p.seed.enabled = *enabled;
    if (const toml::node* sp = t["schema"]["paths"].node())
      p.schema_paths = string_list(sp, strata_toml, "schema.paths");
    if (auto name = t["app"]["name"].value<std::string>()) p.app.name = *name;
    if (auto schema = t["app"]["schema"].value<std::string>()) p.app.schema = *schema;
    if (!p.app.schema.empty() && p.app.name.empty()) p.app.name = p.root.filename().string();
    if (auto notify = t["postgrest"]["notify"].value<bool>()) p.notify_postgrest = *notify;
    if (auto dir = t["backup"]["dir"].value<std::string>())
      p.backup_dir = (p.root / expand_env(*dir)).lexically_normal();
    if (const toml::table* g = t["grants"].as_table()) {
      p.grants.schema =
          (*g)["schema"].value_or(p.app.schema.empty() ? std::string("public") : p.app.schema);
      if (const toml::node* u = (*g)["usage"].node())
        p.grants.usage = string_list(u, strata_toml, "grants.usage");
      p.grants.tables = role_privileges((*g)["tables"].node());
      p.grants.sequences = role_privileges((*g)["sequences"].node());
      p.grants.functions = role_privileges((*g)["functions"].node());
    }
  }
  if (src.dir.empty()) {
    if (p.supabase)
      src.dir = p.root / "supabase" / "migrations";
    else if (!fs::is_directory(p.root / "migrations") &&
             fs::is_directory(p.root / "db" / "migrations"))
      src.dir = p.root / "db" / "migrations";  // dbmate's (and Rails') default folder
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
  if (!p.app.name.empty()) src.name = p.app.name;
  const toml::table* contents = t["contents"].as_table();
  bool legacy = contents && (*contents)["legacy_tracking"].value_or(false);
  if (contents) {
    src.name = "core";
    src.tier = "core";
    if (legacy) src.legacy.kind = "core";
  }
  p.sources.push_back(std::move(src));
  if (contents) add_content_sources(p, *contents, strata_toml, legacy);
  if (const toml::array* extra = t["sources"].as_array()) {
    for (const auto& node : *extra) {
      const toml::table* st = node.as_table();
      if (!st) continue;
      SourceConfig s;
      s.name = (*st)["name"].value_or(std::string());
      s.tier = (*st)["tier"].value_or(s.name);
      s.dir = (p.root / expand_env((*st)["dir"].value_or(std::string()))).lexically_normal();
      if (const toml::node* o = (*st)["order"].node())
        s.order = string_list(o, strata_toml, "sources.order");
      if (const toml::node* d = (*st)["dev_only"].node())
        s.dev_only = string_list(d, strata_toml, "sources.dev_only");
      s.format = (*st)["format"].value_or(std::string());
      if (s.format == "auto") s.format.clear();
      if (auto h = (*st)["history_table"].value<std::string>())
        s.history_table = history_table_name(*h, strata_toml, "sources.history_table");
      for (const auto& other : p.sources) {
        if (s.name.empty() || s.name == other.name)
          throw Error(
              fmt::format("{}: every [[sources]] entry needs a unique name", strata_toml.string()),
              ExitCode::config);
      }
      p.sources.push_back(std::move(s));
    }
  }
  if (const toml::node* last = t["migrations"]["run_last"].node())
    split_run_last(p, string_list(last, strata_toml, "migrations.run_last"));
  return p;
}

}  // namespace strata
