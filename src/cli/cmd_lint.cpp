// `strata lint [FILES...]`: check migrations for dangerous and insecure SQL before they run.
// No files: the pending migrations (all of them without a database); --all: every migration.
// Exit 0, or 1 when a finding is at or above --fail-on (default error). See docs/commands/lint.md.
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>

#include "cli/command.hpp"
#include "db/connection.hpp"
#include "lint/linter.hpp"
#include "lint/render.hpp"
#include "lint/rule.hpp"
#include "ops/project_state.hpp"

namespace fs = std::filesystem;

namespace strata::cli {
namespace {

struct LintOptionsCli {
  std::vector<std::string> files;
  bool all = false;
  bool list_rules = false;
  std::string format = "text";
  std::string fail_on = "error";
};

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw Error(fmt::format("cannot read {}", p.string()), ExitCode::usage);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

fs::path canonical_or_same(const fs::path& p) {
  std::error_code ec;
  fs::path c = fs::weakly_canonical(fs::absolute(p), ec);
  return ec ? p : c;
}

void run(const LintOptionsCli& o, Globals& g) {
  if (o.list_rules) {
    for (const auto& r : lint::registered_rules())
      std::cout << fmt::format("{:<40} {:<8} {}{}\n", r.id, lint::severity_name(r.severity),
                               r.summary, r.default_enabled ? "" : " (opt-in)");
    return;
  }
  lint::Format format;
  if (!lint::parse_format(o.format, format))
    throw Error(fmt::format("unknown --format {} (text, json, sarif, github)", o.format),
                ExitCode::usage);
  std::optional<lint::Severity> fail_on;
  if (o.fail_on != "none") {
    lint::Severity s;
    if (!lint::parse_severity(o.fail_on, s) || s == lint::Severity::info)
      throw Error(fmt::format("unknown --fail-on {} (error, warning, none)", o.fail_on),
                  ExitCode::usage);
    fail_on = s;
  }

  // The project gives context and config; plain files can be linted without one.
  std::optional<Project> project;
  try {
    project = g.project(o.files.empty());
  } catch (const Error&) {
    if (o.files.empty()) throw;
  }
  lint::LintOptions opts;
  if (project) {
    opts.config = lint::load_lint_config(project->root);
    opts.supabase = project->supabase;
  }
  std::string url = g.db_url;
  if (url.empty()) {
    if (const char* env = std::getenv("DATABASE_URL")) url = env;
  }
  std::optional<db::Connection> conn;
  if (!url.empty()) conn.emplace(db::Connection::open(url, "strata lint"));
  opts.conn = conn ? &*conn : nullptr;

  std::vector<lint::LintInput> inputs;
  std::optional<ProjectState> state;
  if (project) state = conn ? load_state(*project, *conn) : load_local_state(*project);

  std::map<fs::path, size_t> by_path;  // canonical migration path -> index in inputs
  if (state) {
    for (const auto& src : state->sources) {
      for (const auto& w : src->warnings) std::cerr << "warning: " << w << "\n";
      std::map<const Migration*, MigrationState> states;
      for (const auto& item : src->status.items)
        if (item.migration) states[item.migration] = item.state;
      for (const auto& m : src->migrations) {
        lint::LintInput in;
        in.path = m.display_path.empty() ? project->display(m.path) : m.display_path;
        in.text = m.text;
        in.version = m.version;
        in.no_transaction = m.no_transaction;
        if (!o.files.empty())
          in.lint = false;
        else if (o.all || !conn)
          in.lint = true;
        else
          in.lint = states[&m] == MigrationState::pending;
        if (!o.files.empty()) by_path[canonical_or_same(m.path)] = inputs.size();
        inputs.push_back(std::move(in));
      }
    }
  }
  if (o.files.empty() && !o.all && !conn)
    std::cerr << "strata lint: no database URL given: treating every migration as pending "
                 "(use --db-url or DATABASE_URL to lint only pending ones)\n";
  opts.pending_known = conn && o.files.empty() && !o.all;

  for (const auto& f : o.files) {
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

  lint::LintResult result = lint::lint_files(inputs, opts);
  std::cout << lint::render(result, format);
  if (fail_on && lint::has_at_least(result.diagnostics, *fail_on))
    g.exit_code = static_cast<int>(ExitCode::failure);
}

void setup(CLI::App& cmd, Globals& g) {
  auto o = std::make_shared<LintOptionsCli>();
  cmd.add_option("files", o->files, "Migration files to lint (default: the pending migrations)");
  cmd.add_flag("--all", o->all, "Lint every migration, applied or not");
  cmd.add_flag("--list-rules", o->list_rules, "Print every rule: id, default severity, summary");
  cmd.add_option("--format", o->format, "Output: text, json, sarif or github")
      ->check(CLI::IsMember({"text", "json", "sarif", "github"}));
  cmd.add_option("--fail-on", o->fail_on,
                 "Exit 1 when a finding is at or above: error (default), warning, none")
      ->check(CLI::IsMember({"error", "warning", "none"}));
  cmd.callback([&g, o] { run(*o, g); });
}

Register lint{{"lint", "Check migrations for dangerous and insecure SQL", setup}};

}  // namespace
}  // namespace strata::cli
