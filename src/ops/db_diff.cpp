// Building each side of a diff (shadow databases for migrations and schema files), inspecting,
// diffing and planning.
#include "ops/db_diff.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "catalog/inspect.hpp"
#include "db/connection.hpp"
#include "ops/compat.hpp"
#include "ops/up.hpp"
#include "util/error.hpp"

namespace fs = std::filesystem;

namespace strata {

namespace {

// The same connection with another database name (URL or key=value conninfo).
std::string with_database(const std::string& conninfo, const std::string& db) {
  if (conninfo.starts_with("postgres://") || conninfo.starts_with("postgresql://")) {
    size_t scheme = conninfo.find("://") + 3;
    size_t slash = conninfo.find('/', scheme);
    size_t query = conninfo.find('?', scheme);
    if (slash == std::string::npos || (query != std::string::npos && slash > query)) {
      std::string base = conninfo.substr(0, query == std::string::npos ? conninfo.size() : query);
      return base + "/" + db + (query == std::string::npos ? "" : conninfo.substr(query));
    }
    size_t end = query == std::string::npos ? conninfo.size() : query;
    return conninfo.substr(0, slash + 1) + db + conninfo.substr(end);
  }
  return conninfo + " dbname=" + db;
}

bool is_database(const std::string& s) {
  return s.starts_with("postgres://") || s.starts_with("postgresql://") ||
         (s.find('=') != std::string::npos && !fs::exists(s));
}

// A throwaway database on the target's server; dropped by the destructor.
class Shadow {
 public:
  // `compat` / `stand_ins`: the target holds strata's compat layer / stand-ins, so the shadow
  // gets them too (migrations refer to auth.users, net.http_post, ...).
  Shadow(const std::string& conninfo, bool compat, bool stand_ins)
      : admin_(db::Connection::open(conninfo)) {
    static std::atomic<int> counter{0};
    name_ = fmt::format("strata_shadow_{}_{}", getpid(), counter++);
    try {
      admin_.exec(fmt::format("CREATE DATABASE {} TEMPLATE template0", name_));
    } catch (const db::DbError& e) {
      Error err(fmt::format("cannot create the shadow database: {}", e.what()), ExitCode::failure);
      err.hint =
          "db diff builds migrations and schema files in a throwaway database on the same "
          "server: the role needs CREATEDB";
      throw err;
    }
    url_ = with_database(conninfo, name_);
    // Building the shadow is not the user's run: the server's notices there (a stand-in
    // installed for CREATE EXTENSION, NOTICEs of the migrations) are not shown.
    admin_.exec(fmt::format("ALTER DATABASE {} SET client_min_messages = error", name_));
    if (compat || stand_ins) {
      db::Connection s = db::Connection::open(url_);
      if (compat) install_compat_layer(s);
      if (stand_ins) install_stand_ins(s);
    }
  }
  ~Shadow() {
    try {
      admin_.exec(fmt::format("DROP DATABASE IF EXISTS {} WITH (FORCE)", name_));
    } catch (...) {
    }
  }
  Shadow(const Shadow&) = delete;
  Shadow& operator=(const Shadow&) = delete;
  const std::string& url() const { return url_; }

 private:
  db::Connection admin_;
  std::string name_, url_;
};

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw Error(fmt::format("cannot read {}", p.string()), ExitCode::usage);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void apply_files(const std::string& url, const fs::path& path) {
  std::vector<fs::path> files;
  if (fs::is_directory(path)) {
    for (const auto& e : fs::recursive_directory_iterator(path))
      if (e.is_regular_file() && e.path().extension() == ".sql") files.push_back(e.path());
    std::sort(files.begin(), files.end());
  } else {
    files.push_back(path);
  }
  db::Connection c = db::Connection::open(url);
  for (const auto& f : files) {
    try {
      c.exec(read_file(f));
    } catch (const db::DbError& e) {
      Error err(fmt::format("{}: {}", f.string(), e.what()), ExitCode::migration_failed);
      err.sqlstate = e.sqlstate;
      err.hint = "the schema file must apply to an empty database";
      throw err;
    }
  }
}

}  // namespace

std::string DiffSource::label() const {
  switch (kind) {
    case Kind::migrations:
      return "migrations";
    case Kind::files:
      return value;
    case Kind::database:
      return "database";
  }
  return "";
}

DiffSource parse_diff_source(const std::string& text) {
  DiffSource s;
  s.value = text;
  if (text == "migrations") {
    s.kind = DiffSource::Kind::migrations;
  } else if (is_database(text)) {
    s.kind = DiffSource::Kind::database;
  } else {
    s.kind = DiffSource::Kind::files;
    if (!fs::exists(text)) {
      Error e(fmt::format("'{}' is neither a database URL, `migrations`, nor an existing .sql "
                          "file or folder",
                          text),
              ExitCode::usage);
      e.hint = "for example: --from migrations --to postgresql://localhost/app";
      throw e;
    }
  }
  return s;
}

DiffResult run_db_diff(const Project& project, const std::string& conninfo,
                       const DiffRequest& request) {
  DiffSource from = request.from.value_or(DiffSource{DiffSource::Kind::migrations, ""});
  DiffSource to = request.to.value_or(DiffSource{DiffSource::Kind::database, conninfo});
  if (to.kind == DiffSource::Kind::database && to.value.empty()) to.value = conninfo;
  if (from.kind == DiffSource::Kind::database && from.value.empty()) from.value = conninfo;
  auto needs_shadow = [](const DiffSource& s) { return s.kind != DiffSource::Kind::database; };
  bool compat = false, stand_ins = false;
  if (needs_shadow(from) || needs_shadow(to)) {
    db::Connection target = db::Connection::open(conninfo);
    db::Result r = target.exec(
        "SELECT to_regclass('strata_compat.layer') IS NOT NULL, "
        "to_regclass('strata_compat.stand_in') IS NOT NULL");
    compat = r.get(0, 0) == "t";
    stand_ins = r.get(0, 1) == "t";
  }
  auto inspect = [&](const DiffSource& s) -> SchemaModel {
    if (s.kind == DiffSource::Kind::database) {
      db::Connection c = db::Connection::open(s.value);
      return inspect_schema(c, request.schemas);
    }
    Shadow shadow(conninfo, compat, stand_ins);
    if (s.kind == DiffSource::Kind::migrations) {
      UpRequest up;
      up.plan.env = request.env;
      up.plan.include_all = true;
      std::ostringstream quiet;
      Project shadow_project = project;
      shadow_project.notify_postgrest = false;
      run_up(shadow_project, shadow.url(), up, quiet);
    } else {
      apply_files(shadow.url(), s.value);
    }
    db::Connection c = db::Connection::open(shadow.url());
    return inspect_schema(c, request.schemas);
  };
  DiffResult result;
  result.from = inspect(from);
  result.to = inspect(to);
  result.from_label = from.label();
  result.to_label = to.label();
  result.changes = diff_models(result.from, result.to);
  result.plan = plan_ddl(result.from, result.to, result.changes);
  return result;
}

}  // namespace strata
