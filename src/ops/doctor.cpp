// The doctor's checks: binaries, project, target, connection, extensions, history.
#include "ops/doctor.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <regex>
#include <set>

#include "config/project.hpp"
#include "db/connection.hpp"
#include "devdb/cluster.hpp"
#include "migration/discover.hpp"
#include "ops/target.hpp"
#include "util/error.hpp"
#include "util/process.hpp"
#include "util/redact.hpp"

namespace fs = std::filesystem;

namespace strata {
namespace {

// "postgres (PostgreSQL) 15.10 (Debian 15.10-0+deb12u1)" -> "15.10".
std::string version_of(const std::string& output) {
  std::smatch m;
  static const std::regex re(R"(\(PostgreSQL\) ([0-9]+(\.[0-9]+)?))");
  return std::regex_search(output, m, re) ? m[1].str() : "";
}

std::string tool_version(const fs::path& exe) {
  if (!fs::exists(exe)) return "";
  ProcessResult r = run_process({exe.string(), "--version"});
  return r.exit_code == 0 ? version_of(r.output) : "";
}

// psql from the server's bin folder, else from PATH.
fs::path find_client(const fs::path& bin_dir) {
  if (fs::exists(bin_dir / "psql")) return bin_dir / "psql";
  if (const char* path = std::getenv("PATH")) {
    std::string p = path;
    size_t start = 0;
    while (start <= p.size()) {
      size_t end = p.find(':', start);
      if (end == std::string::npos) end = p.size();
      fs::path cand = fs::path(p.substr(start, end - start)) / "psql";
      if (end > start && fs::exists(cand)) return cand;
      start = end + 1;
    }
  }
  return {};
}

// The extensions the local server binaries can install: <share>/extension/*.control, where
// <share> is /usr/share/postgresql/<major> for Debian's layout (bin in
// /usr/lib/postgresql/<major>).
std::pair<std::vector<std::string>, std::string> share_dir_extensions(const fs::path& bin_dir) {
  fs::path major = fs::path(bin_dir).parent_path().filename();
  std::vector<fs::path> candidates = {fs::path("/usr/share/postgresql") / major / "extension",
                                      bin_dir.parent_path() / "share" / "extension"};
  for (const auto& dir : candidates) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) continue;
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir, ec))
      if (e.path().extension() == ".control") names.push_back(e.path().stem().string());
    std::sort(names.begin(), names.end());
    return {names, dir.string()};
  }
  return {{}, ""};
}

// Extensions the migrations create: `create extension [if not exists] "name"`, lower-cased.
std::set<std::string> extensions_created(const Project& p) {
  static const std::regex re(
      R"re(create\s+extension\s+(if\s+not\s+exists\s+)?"?([A-Za-z0-9_\-]+)"?)re",
      std::regex::icase);
  std::set<std::string> out;
  for (const auto& src : p.sources) {
    for (const auto& m : discover_migrations(p, src).migrations) {
      for (auto it = std::sregex_iterator(m.text.begin(), m.text.end(), re);
           it != std::sregex_iterator(); ++it) {
        std::string name = (*it)[2].str();
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        out.insert(name);
      }
    }
  }
  return out;
}

void add(DoctorReport& r, std::string name, CheckLevel level, std::string summary,
         std::string advice = "") {
  r.checks.push_back({std::move(name), level, std::move(summary), std::move(advice)});
}

}  // namespace

bool DoctorReport::healthy() const {
  return std::none_of(checks.begin(), checks.end(),
                      [](const DoctorCheck& c) { return c.level == CheckLevel::problem; });
}

const char* level_name(CheckLevel level) {
  switch (level) {
    case CheckLevel::ok:
      return "ok";
    case CheckLevel::warn:
      return "warn";
    case CheckLevel::problem:
      return "problem";
  }
  return "?";
}

DoctorReport run_doctor(const fs::path& workdir, const std::string& db_url_flag) {
  DoctorReport r;

  // Where the database comes from decides whether the local server binaries matter.
  if (!db_url_flag.empty())
    r.target_origin = "--db-url";
  else if (const char* env = std::getenv("DATABASE_URL"); env && *env)
    r.target_origin = "DATABASE_URL";
  else {
    r.target_origin = "local";
    for (const char* v : {"PGHOST", "PGDATABASE", "PGSERVICE", "PGPORT", "PGUSER"})
      if (const char* e = std::getenv(v); e && *e) r.target_origin = "PG* environment";
  }
  bool local = r.target_origin == "local";

  // 1. PostgreSQL server binaries (initdb, pg_ctl, postgres) for the local database.
  fs::path bin = devdb::Cluster::bin_dir();
  r.pg_bin_dir = bin.string();
  r.server_binaries_version = tool_version(bin / "postgres");
  bool have_server = !r.server_binaries_version.empty() && fs::exists(bin / "initdb") &&
                     fs::exists(bin / "pg_ctl");
  if (have_server && r.server_binaries_version.rfind("15", 0) == 0) {
    add(r, "postgres-server", CheckLevel::ok,
        fmt::format("PostgreSQL {} server binaries in {}", r.server_binaries_version,
                    r.pg_bin_dir));
  } else if (have_server) {
    add(r, "postgres-server", local ? CheckLevel::problem : CheckLevel::warn,
        fmt::format("PostgreSQL {} server binaries in {}; the local database needs 15",
                    r.server_binaries_version, r.pg_bin_dir),
        "apt-get install postgresql-15, or set STRATA_PG_BIN to a PostgreSQL 15 bin folder");
  } else {
    add(r, "postgres-server", local ? CheckLevel::problem : CheckLevel::warn,
        fmt::format("no PostgreSQL server binaries (initdb, pg_ctl, postgres) in {}", r.pg_bin_dir),
        local ? "apt-get install postgresql-15 (the local database needs it), or pass --db-url"
              : "only needed for the local database: apt-get install postgresql-15");
  }

  // 2. Client tools (psql, pg_dump): dump/restore and scripting around strata.
  fs::path psql = find_client(bin);
  r.client_version = psql.empty() ? "" : tool_version(psql);
  if (!r.client_version.empty())
    add(r, "postgres-client", CheckLevel::ok,
        fmt::format("psql {} ({})", r.client_version, psql.string()));
  else
    add(r, "postgres-client", CheckLevel::warn, "no psql found",
        "apt-get install postgresql-client-15 for psql and pg_dump");

  // 3. The project and its sources.
  std::optional<Project> project;
  try {
    project = load_project(workdir);
    r.project_root = project->root.string();
    bool toml = fs::exists(project->root / "strata.toml");
    r.project_kind = project->supabase && toml ? "supabase+strata.toml"
                     : project->supabase       ? "supabase"
                     : toml                    ? "strata.toml"
                                               : "folder";
    int total = 0;
    for (const auto& src : project->sources) {
      DoctorSource s{src.name, project->display(src.dir), 0};
      s.files = static_cast<int>(discover_migrations(*project, src).migrations.size());
      total += s.files;
      r.sources.push_back(std::move(s));
    }
    r.history_schema = project->history_schema;
    add(r, "project", project->warnings.empty() ? CheckLevel::ok : CheckLevel::warn,
        fmt::format("{} project at {}: {} source(s), {} migration file(s){}", r.project_kind,
                    r.project_root, r.sources.size(), total,
                    project->warnings.empty() ? "" : "; " + project->warnings.front()),
        project->warnings.empty() ? "" : "see docs/config.md");
  } catch (const Error& e) {
    r.project_root = fs::absolute(workdir).lexically_normal().string();
    add(r, "project", CheckLevel::problem, redact_secrets(e.what()),
        e.hint.empty() ? "run strata from the project root or pass --workdir" : e.hint);
  }

  // 4. The target database and 5. the connection (read-only; nothing is started).
  std::string conninfo;
  bool local_stopped = false;
  if (local) {
    if (project) {
      devdb::Cluster cluster = project_cluster(*project);
      conninfo = cluster.url(project->local.database);
      r.target = conninfo;
      local_stopped = !cluster.running();
      add(r, "target", CheckLevel::ok,
          fmt::format(
              "the project's local database ({}, port {}, {})",
              project->display(cluster.options().data_dir), cluster.options().port,
              local_stopped ? (cluster.initialized() ? "stopped" : "not created yet") : "running"));
    } else {
      add(r, "target", CheckLevel::problem,
          "no --db-url, DATABASE_URL or PG* variables, and no project for a local database",
          "pass --db-url, set DATABASE_URL, or run in a project folder");
    }
  } else {
    conninfo = r.target_origin == "--db-url"       ? db_url_flag
               : r.target_origin == "DATABASE_URL" ? std::getenv("DATABASE_URL")
                                                   : "";
    r.target = conninfo.empty() ? "(PG* environment)" : redact_secrets(conninfo);
    add(r, "target", CheckLevel::ok, fmt::format("{} (from {})", r.target, r.target_origin));
  }

  std::optional<db::Connection> conn;
  if (local && local_stopped) {
    add(r, "connection", CheckLevel::warn, "the local database is not running",
        "strata db start (commands that need it start it themselves)");
  } else if (local && !project) {
    // no target: said above
  } else {
    try {
      conn.emplace(db::Connection::open(conninfo, "strata doctor"));
      conn->exec("SET default_transaction_read_only = on");
      r.connected = true;
      r.server_version = conn->exec("SHOW server_version").get(0, 0);
      r.server_version = r.server_version.substr(0, r.server_version.find(' '));
      add(r, "connection", CheckLevel::ok,
          fmt::format("connected: PostgreSQL {}", r.server_version));
    } catch (const Error& e) {
      add(r, "connection", CheckLevel::problem, redact_secrets(e.what()),
          e.hint.empty() ? "check the URL, that the server runs and accepts this user" : e.hint);
    }
  }

  // 6. Extensions: what the server can install, and whether the migrations ask for more.
  if (conn) {
    auto res = conn->exec("SELECT name FROM pg_available_extensions ORDER BY name");
    for (int i = 0; i < res.rows(); ++i) r.available_extensions.push_back(res.get(i, 0));
    r.extensions_from = "pg_available_extensions";
  } else {
    auto [names, dir] = share_dir_extensions(bin);
    r.available_extensions = std::move(names);
    r.extensions_from = dir;
  }
  if (r.extensions_from.empty()) {
    add(r, "extensions", CheckLevel::warn, "cannot tell which extensions the server can install",
        "connect to the database (--db-url) or install postgresql-15");
  } else {
    if (project) {
      try {
        for (const auto& name : extensions_created(*project))
          if (!std::binary_search(r.available_extensions.begin(), r.available_extensions.end(),
                                  name))
            r.missing_extensions.push_back(name);
      } catch (const Error&) {
        // a broken layout is already reported by the project check
      }
    }
    std::string from = r.extensions_from == "pg_available_extensions"
                           ? "pg_available_extensions"
                           : "the local server's " + r.extensions_from;
    if (r.missing_extensions.empty()) {
      add(r, "extensions", CheckLevel::ok,
          fmt::format("{} extension(s) installable (from {}); every one the migrations create is "
                      "among them",
                      r.available_extensions.size(), from));
    } else {
      std::string list;
      for (const auto& n : r.missing_extensions) list += (list.empty() ? "" : ", ") + n;
      add(r, "extensions", CheckLevel::problem,
          fmt::format("the migrations create extension(s) this server cannot install: {} (from {})",
                      list, from),
          fmt::format("install the package on the database host (apt-cache search postgresql-15 "
                      "{}), or drop the CREATE EXTENSION",
                      r.missing_extensions.front()));
    }
  }

  // 7. History tables.
  if (conn && project) {
    auto res = conn->exec_params(
        "SELECT to_regclass(format('%I.migrations', $1::text)) IS NOT NULL, "
        "to_regclass('supabase_migrations.schema_migrations') IS NOT NULL",
        {r.history_schema});
    r.history_exists = res.get(0, 0) == "t";
    r.supabase_history_exists = res.get(0, 1) == "t";
    std::string supa = r.supabase_history_exists
                           ? "; Supabase's supabase_migrations.schema_migrations exists"
                           : "";
    if (r.history_exists)
      add(r, "history", CheckLevel::ok,
          fmt::format("history table {}.migrations exists{}", r.history_schema, supa));
    else
      add(r, "history", CheckLevel::warn,
          fmt::format("no history table {}.migrations yet{}", r.history_schema, supa),
          r.supabase_history_exists
              ? "strata up adopts the rows Supabase recorded and creates it"
              : "strata up creates it (or strata baseline <version> for an existing schema)");
  }
  return r;
}

nlohmann::json doctor_json(const DoctorReport& r) {
  nlohmann::json j;
  j["healthy"] = r.healthy();
  j["checks"] = nlohmann::json::array();
  for (const auto& c : r.checks)
    j["checks"].push_back({{"name", c.name},
                           {"level", level_name(c.level)},
                           {"summary", c.summary},
                           {"advice", c.advice}});
  j["postgres"] = {{"bin_dir", r.pg_bin_dir},
                   {"server_binaries_version", r.server_binaries_version},
                   {"client_version", r.client_version}};
  nlohmann::json sources = nlohmann::json::array();
  for (const auto& s : r.sources)
    sources.push_back({{"name", s.name}, {"dir", s.dir}, {"files", s.files}});
  j["project"] = {{"root", r.project_root}, {"kind", r.project_kind}, {"sources", sources}};
  j["target"] = {{"url", r.target},
                 {"from", r.target_origin},
                 {"connected", r.connected},
                 {"server_version", r.server_version}};
  j["extensions"] = {{"from", r.extensions_from},
                     {"available", r.available_extensions},
                     {"missing", r.missing_extensions}};
  j["history"] = {{"schema", r.history_schema},
                  {"exists", r.history_exists},
                  {"supabase_exists", r.supabase_history_exists}};
  return j;
}

}  // namespace strata
