// Building each side of a diff (shadow databases for migrations and schema files), inspecting,
// diffing and planning.
#include "ops/db_diff.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "catalog/inspect.hpp"
#include "db/connection.hpp"
#include "ops/shadow.hpp"
#include "ops/up.hpp"
#include "util/error.hpp"
#include "util/file.hpp"

namespace fs = std::filesystem;

namespace strata {

namespace {

bool is_database(const std::string& s) {
  return s.starts_with("postgres://") || s.starts_with("postgresql://") ||
         (s.find('=') != std::string::npos && !fs::exists(s));
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
  ShadowExtras extras;
  if (needs_shadow(from) || needs_shadow(to)) extras = shadow_extras_of(conninfo);
  auto inspect = [&](const DiffSource& s) -> SchemaModel {
    if (s.kind == DiffSource::Kind::database) {
      db::Connection c = db::Connection::open(s.value);
      return inspect_schema(c, request.schemas);
    }
    ShadowDatabase shadow(conninfo, extras);
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
