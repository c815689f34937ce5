// The reset operation.
#include "ops/reset.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "catalog/user_schemas.hpp"
#include "db/connection.hpp"
#include "execute/executor.hpp"
#include "ops/compat.hpp"
#include "ops/project_state.hpp"
#include "ops/seed.hpp"
#include "ops/up.hpp"
#include "util/error.hpp"

namespace strata {

namespace {

void drop_user_schemas(db::Connection& conn, std::ostream& out) {
  // Roles, platform schemas and extension-owned schemas are kept.
  auto r = conn.exec("SELECT n.nspname FROM pg_namespace n WHERE " + user_schema_condition(true) +
                     " ORDER BY 1");
  std::vector<std::string> schemas;
  for (int i = 0; i < r.rows(); ++i) schemas.push_back(r.get(i, 0));
  out << fmt::format("Dropping schemas: {} (roles and platform schemas are kept)\n",
                     fmt::join(schemas, ", "));
  db::in_transaction(conn, [&] {
    for (const auto& s : schemas)
      conn.exec(fmt::format("DROP SCHEMA {} CASCADE", conn.quote_identifier(s)));
    conn.exec(
        "CREATE SCHEMA public AUTHORIZATION pg_database_owner; GRANT USAGE ON SCHEMA public TO "
        "PUBLIC");
  });
}

// Drops and rebuilds the database (see run_reset): the local one recreated, any other one's user
// schemas dropped; then migrations and seeds. `dropped` turns true once the database's old content
// is gone (from then on a failure leaves it half-built).
void rebuild(const Project& project, const Target& target, const ResetRequest& request,
             std::ostream& out, bool& dropped) {
  if (target.local) {
    devdb::Cluster cluster = project_cluster(project);
    cluster.start();
    const std::string& db = project.local.database;
    auto admin = db::Connection::open(cluster.url(db == "template1" ? "postgres" : "template1"),
                                      "strata-reset");
    out << fmt::format("Recreating local database {}...\n", db);
    // Until the reset has finished, every command says that it did not (see resolve_target).
    std::filesystem::path marker = reset_marker(project);
    std::filesystem::create_directories(marker.parent_path());
    std::ofstream(marker) << db << "\n";
    dropped = true;
    admin.exec(fmt::format("DROP DATABASE IF EXISTS {} WITH (FORCE)", admin.quote_identifier(db)));
    admin.exec(fmt::format("CREATE DATABASE {} TEMPLATE template0", admin.quote_identifier(db)));
    auto conn = db::Connection::open(target.conninfo);
    install_local_layers(project, conn);
  } else {
    auto conn = db::Connection::open(target.conninfo);
    bool had_layer =
        conn.exec("SELECT to_regclass('strata_compat.layer') IS NOT NULL").get(0, 0) == "t";
    drop_user_schemas(conn, out);
    dropped = true;
    if (had_layer) install_compat_layer(conn, true);
  }
  if (project.migrations_enabled) {
    UpRequest up;
    up.plan.to = request.version;
    up.plan.env = target.local ? "dev" : "";
    up.lock_timeout = request.lock_timeout;
    UpReport r = run_up(project, target.conninfo, up, out);
    out << fmt::format("Applied {} migration(s).\n", r.applied.size());
  }
  if (request.seed && project.seed.enabled) {
    auto conn = db::Connection::open(target.conninfo);
    run_seeds(project, conn, true, out);
  }
  if (target.local) {
    std::error_code ec;
    std::filesystem::remove(reset_marker(project), ec);
  }
}

}  // namespace

void run_reset(const Project& project, const Target& target, const ResetRequest& request,
               std::ostream& out) {
  if (!target.local && !request.force) {
    Error e(fmt::format("refusing to reset {}: it is not this project's local database",
                        target.display),
            ExitCode::usage);
    e.hint = "add --force to drop its user schemas and re-apply every migration (roles are kept)";
    throw e;
  }
  // Everything that can be checked without the database is checked before anything is
  // dropped: the layout and configuration, every file (statements, directives), --version.
  ProjectState local = load_local_state(project);
  for (const auto& src : local.sources)
    for (const auto& m : src->migrations) (void)prepare_migration(m, m.text, m.display_path);
  if (request.version) {
    bool found = false;
    for (const auto& src : local.sources)
      for (const auto& m : src->migrations) found = found || m.version == *request.version;
    if (!found) {
      Error e(fmt::format("--version {}: no migration has that version; nothing was reset",
                          *request.version),
              ExitCode::usage);
      e.hint = "`strata status` lists the versions";
      throw e;
    }
  }
  // From here the database is being rebuilt: a failure leaves it half-built, and the way out
  // (fix the cause, reset again) is part of the error, not only of the next command's warning.
  bool dropped = false;
  try {
    rebuild(project, target, request, out, dropped);
  } catch (Error& e) {
    if (!dropped) throw;
    std::string again =
        fmt::format("the {} is half-built: fix the cause, then run `strata db reset{}` again",
                    target.local ? "local database" : "database (its user schemas were dropped)",
                    target.local ? "" : " --force");
    e.hint = e.hint.empty() ? again : e.hint + "; " + again;
    throw;
  }
}

std::filesystem::path reset_marker(const Project& project) {
  return project_cluster(project).options().data_dir.parent_path() / "reset-in-progress";
}

}  // namespace strata
