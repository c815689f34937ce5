// The lint operation (see ops/lint.hpp): inputs from the project and the history, catalog facts.
#include "ops/lint.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <map>

#include "db/connection.hpp"
#include "ops/project_state.hpp"
#include "util/error.hpp"
#include "util/file.hpp"

namespace fs = std::filesystem;

namespace strata {
namespace {

fs::path canonical_or_same(const fs::path& p) {
  std::error_code ec;
  fs::path c = fs::weakly_canonical(fs::absolute(p), ec);
  return ec ? p : c;
}

}  // namespace

lint::CatalogLookup catalog_lookup(db::Connection& conn) {
  db::Connection* c = &conn;
  return [c](const std::string& table) -> std::optional<lint::TableFacts> {
    try {
      lint::TableFacts f;
      db::Result r = c->exec_params(
          "select c.reltuples::float8::text, n.nspname, c.relname from pg_class c join "
          "pg_namespace n on n.oid = c.relnamespace where c.oid = to_regclass($1)",
          {table});
      if (r.rows() == 0) return f;
      f.exists = true;
      if (std::stod(r.get(0, 0)) > 0) {
        f.has_rows = true;
      } else {
        db::Result e = c->exec(fmt::format("select exists(select 1 from {}.{})",
                                           c->quote_identifier(r.get(0, 1)),
                                           c->quote_identifier(r.get(0, 2))));
        f.has_rows = e.rows() == 1 && e.get(0, 0) == "t";
      }
      return f;
    } catch (const std::exception&) {
      return std::nullopt;
    }
  };
}

lint::LintResult lint_pending(const Project& project, const ProjectState& state,
                              db::Connection* conn) {
  lint::LintConfig config = lint::load_lint_config(project.root);
  std::vector<const Migration*> set, targets;
  for (const auto& src : state.sources) {
    for (const auto& m : src->migrations) set.push_back(&m);
    for (const auto& item : src->status.items)
      if (item.migration && item.state == MigrationState::pending)
        targets.push_back(item.migration);
  }
  if (targets.empty()) return lint::LintResult{};
  return lint::lint_migrations(project, set, targets, config,
                               conn ? catalog_lookup(*conn) : lint::CatalogLookup{});
}

std::optional<Target> lint_target(const std::optional<Project>& project,
                                  const std::string& db_url_flag, std::ostream& log) {
  // Plain files without a project: an explicit database or none (no local one to fall back on).
  Target t = resolve_target(project ? *project : Project{}, db_url_flag, log, false);
  if (!t.local) return t;
  if (project && project_cluster(*project).running()) return t;
  return std::nullopt;
}

LintRun run_lint(const std::optional<Project>& project, const LintRequest& request) {
  LintRun run;
  lint::LintOptions opts;
  if (project) {
    opts.config = lint::load_lint_config(project->root);
    opts.supabase = project->supabase;
  }
  std::optional<db::Connection> conn;
  if (request.target) conn.emplace(db::Connection::open(request.target->conninfo, "strata-lint"));
  if (conn) opts.catalog = catalog_lookup(*conn);

  std::vector<lint::LintInput> inputs;
  std::optional<ProjectState> state;
  if (project) state = conn ? load_state(*project, *conn) : load_local_state(*project);

  std::map<fs::path, size_t> by_path;  // canonical migration path -> index in inputs
  if (state) {
    for (const auto& src : state->sources) {
      for (const auto& w : src->warnings) run.warnings.push_back(w);
      std::map<const Migration*, MigrationState> states;
      for (const auto& item : src->status.items)
        if (item.migration) states[item.migration] = item.state;
      for (const auto& m : src->migrations) {
        lint::LintInput in;
        in.path = m.display_path.empty() ? project->display(m.path) : m.display_path;
        in.text = m.text;
        in.version = m.version;
        in.no_transaction = m.no_transaction;
        if (!request.files.empty())
          in.lint = false;
        else if (request.all || !conn)
          in.lint = true;
        else
          in.lint = states[&m] == MigrationState::pending;
        if (!request.files.empty()) by_path[canonical_or_same(m.path)] = inputs.size();
        inputs.push_back(std::move(in));
      }
    }
  }
  if (request.files.empty() && !request.all && !conn) {
    // A named string, not a temporary: gcc 12 reports a false -Warray-bounds for the latter.
    static const std::string no_database =
        "no database (--db-url, DATABASE_URL, PG* variables or a running local database): "
        "treating every migration as pending";
    run.warnings.push_back(no_database);
  }
  opts.pending_known = conn && request.files.empty() && !request.all;

  for (const auto& f : request.files) {
    auto it = by_path.find(canonical_or_same(f));
    if (it != by_path.end()) {
      inputs[it->second].lint = true;
      continue;
    }
    Migration m;
    apply_directives(m, read_file(f));
    lint::LintInput in;
    in.path = project ? project->display(canonical_or_same(f)) : f;
    in.text = m.text;
    in.no_transaction = m.no_transaction;
    in.file = f;
    inputs.push_back(std::move(in));
  }
  run.result = lint::lint_files(inputs, opts);
  return run;
}

}  // namespace strata
