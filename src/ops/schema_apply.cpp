// Declarative schema plan and apply: schema files -> shadow database -> diff -> lint -> migration.
#include "ops/schema_apply.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>

#include "db/connection.hpp"
#include "migration/discover.hpp"
#include "ops/project_state.hpp"
#include "ops/seed.hpp"
#include "ops/up.hpp"
#include "util/error.hpp"

namespace fs = std::filesystem;

namespace strata {

std::vector<fs::path> schema_files(const Project& project) {
  if (project.schema_paths.empty()) {
    Error e("no declarative schema configured: `[schema] paths` is not set in strata.toml",
            ExitCode::config);
    e.hint = "add to strata.toml:\n  [schema]\n  paths = [\"schema/*.sql\"]";
    throw e;
  }
  // The same glob expansion as seed files, relative to the project root.
  Project globs = project;
  globs.supabase = false;
  globs.seed.sql_paths = project.schema_paths;
  auto files = seed_files(globs);
  if (files.empty()) {
    std::string list;
    for (const auto& p : project.schema_paths) list += (list.empty() ? "" : ", ") + p;
    throw Error(fmt::format("`[schema] paths` ({}) matches no file", list), ExitCode::config);
  }
  return files;
}

SchemaPlan plan_schema(const Project& project, const std::string& conninfo,
                       const std::vector<std::string>& schemas) {
  SchemaPlan plan;
  plan.files = schema_files(project);
  // db_diff builds a folder's *.sql files in name order: copy ours there with an order prefix.
  static std::atomic<int> counter{0};
  fs::path dir =
      fs::temp_directory_path() / fmt::format("strata_schema_{}_{}", getpid(), counter++);
  fs::create_directories(dir);
  struct Cleanup {
    fs::path d;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(d, ec);
    }
  } cleanup{dir};
  for (size_t i = 0; i < plan.files.size(); ++i)
    fs::copy_file(plan.files[i],
                  dir / fmt::format("{:05}_{}", i, plan.files[i].filename().string()));
  DiffRequest req;
  req.schemas = schemas;
  req.from = DiffSource{DiffSource::Kind::database, conninfo};
  req.to = DiffSource{DiffSource::Kind::files, dir.string()};
  try {
    plan.diff = run_db_diff(project, conninfo, req);
  } catch (Error& e) {
    // Name the project's file, not the temporary copy.
    std::string msg = e.what();
    for (size_t i = 0; i < plan.files.size(); ++i) {
      std::string tmp =
          (dir / fmt::format("{:05}_{}", i, plan.files[i].filename().string())).string();
      size_t at = msg.find(tmp);
      if (at != std::string::npos) {
        Error out(msg.replace(at, tmp.size(), project.display(plan.files[i])), e.code());
        out.sqlstate = e.sqlstate;
        out.hint = e.hint;
        out.detail = e.detail;
        throw out;
      }
    }
    throw;
  }
  plan.diff.to_label = "schema files";
  plan.sql = plan.diff.changes.empty() ? "" : plan.diff.plan.sql();
  if (!plan.sql.empty()) {
    lint::LintOptions lo;
    lo.config = lint::load_lint_config(project.root);
    lo.supabase = project.supabase;
    lo.pending_known = true;
    plan.lint = lint::lint_files({{"schema plan", plan.sql, "", true, false}}, lo);
  }
  return plan;
}

fs::path write_next_migration(const Project& project, const std::string& name,
                              const std::string& header, const std::string& sql) {
  if (!std::regex_match(name, std::regex("[a-z0-9_]+"))) {
    Error e(fmt::format(
                "invalid migration name '{}': use only lowercase letters, digits and underscores",
                name),
            ExitCode::usage);
    e.hint = "for example: add_profiles";
    throw e;
  }
  const SourceConfig& src = project.sources.front();
  auto existing = discover_migrations(project, src);
  std::string stamp = fmt::format(
      "{:%Y%m%d%H%M%S}",
      fmt::gmtime(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now())));
  fs::path path =
      src.dir / fmt::format("{}_{}.sql", next_version(existing.migrations, stamp), name);
  std::error_code ec;
  fs::create_directories(src.dir, ec);
  errno = 0;
  std::ofstream out(path, std::ios::binary);
  if (out) out << header << "\n" << sql;
  if (out) out.close();
  if (!out || !fs::is_regular_file(path, ec)) {
    int err = errno;
    throw Error(fmt::format("cannot write {}: {}", project.display(path),
                            err ? std::strerror(err) : "write failed"),
                ExitCode::failure);
  }
  return path;
}

SchemaApplyResult apply_schema(const Project& project, const std::string& conninfo,
                               const SchemaApplyRequest& request, std::ostream& out) {
  {
    db::Connection conn = db::Connection::open(conninfo);
    ProjectState state = load_state(project, conn);
    int pending = 0;
    for (const auto& s : state.sources) pending += s->status.count(MigrationState::pending);
    if (pending > 0) {
      Error e(fmt::format("{} migration(s) are pending: the schema plan would not account for "
                          "them",
                          pending),
              ExitCode::pending);
      e.hint = "run `strata up` first, then `strata schema apply`";
      throw e;
    }
  }
  SchemaApplyResult result;
  result.plan = plan_schema(project, conninfo, request.schemas);
  if (result.plan.sql.empty()) return result;
  if (!result.plan.diff.plan.destructive.empty() && !request.allow_destructive) {
    Error e(fmt::format("the schema plan has {} destructive step(s); nothing was applied",
                        result.plan.diff.plan.destructive.size()),
            ExitCode::usage);
    for (const auto& d : result.plan.diff.plan.destructive)
      e.detail += (e.detail.empty() ? "" : "; ") + d;
    e.hint = "review `strata schema plan`, then re-run with --allow-destructive to apply it";
    throw e;
  }
  std::string header =
      "-- Generated by `strata schema apply`: turns the database into the schema files.\n";
  for (const auto& d : result.plan.diff.plan.destructive) header += "-- DESTRUCTIVE: " + d + "\n";
  fs::path path = write_next_migration(project, request.name, header, result.plan.sql);
  result.migration = project.display(path);
  out << "Wrote " << result.migration << "\n";
  UpRequest up;
  up.plan.env = request.env;
  up.lock_timeout = request.lock_timeout;
  try {
    run_up(project, conninfo, up, out);
  } catch (...) {
    // A migration that failed (rolled back) must not stay behind as pending.
    std::error_code ec;
    fs::remove(path, ec);
    throw;
  }
  return result;
}

}  // namespace strata
