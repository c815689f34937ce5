// `strata lint [FILES...]`: check migrations for dangerous and insecure SQL before they run.
// No files: the pending migrations (all of them without a database); --all: every migration.
// Exit 0, or 1 when a finding is at or above --fail-on (default error). See docs/commands/lint.md.
#include <fmt/format.h>

#include <iostream>
#include <optional>

#include "cli/command.hpp"
#include "lint/render.hpp"
#include "lint/rule.hpp"
#include "ops/lint.hpp"

namespace strata::cli {
namespace {

struct LintOptionsCli {
  LintRequest req;
  bool list_rules = false;
  std::string format = "text";
  std::string fail_on = "error";
};

void run(const LintOptionsCli& o, Globals& g) {
  if (o.list_rules) {
    for (const auto& r : lint::registered_rules())
      std::cout << fmt::format("{:<40} {:<8} {}{}\n", r.id, lint::severity_name(r.severity),
                               r.summary, r.default_enabled ? "" : " (opt-in)");
    return;
  }
  lint::Format format;
  // --output json (or --json) is --format json; --format also offers sarif and github.
  const std::string name = g.json() ? "json" : o.format;
  if (!lint::parse_format(name, format))
    throw Error(fmt::format("unknown --format {} (text, json, sarif, github)", name),
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
    project = g.project(o.req.files.empty());
  } catch (const Error&) {
    if (o.req.files.empty()) throw;
  }
  LintRequest req = o.req;
  req.target = lint_target(project, g.db_url, g.quiet ? std::clog : std::cerr);
  LintRun lr = run_lint(project, req);
  for (const auto& w : lr.warnings) std::cerr << "warning: " << w << "\n";
  std::cout << lint::render(lr.result, format);
  if (fail_on && lint::has_at_least(lr.result.diagnostics, *fail_on))
    g.exit_code = static_cast<int>(ExitCode::failure);
}

void setup(CLI::App& cmd, Globals& g) {
  auto o = std::make_shared<LintOptionsCli>();
  cmd.add_option("files", o->req.files,
                 "Migration files to lint (default: the pending migrations)");
  cmd.add_flag("--all", o->req.all, "Lint every migration, applied or not");
  cmd.add_flag("--list-rules", o->list_rules, "Print every rule: id, default severity, summary");
  add_output_option(cmd, g);
  cmd.add_option("--format", o->format,
                 "Output: text, json, sarif or github (json = --output json)")
      ->check(CLI::IsMember({"text", "json", "sarif", "github"}));
  cmd.add_option("--fail-on", o->fail_on,
                 "Exit 1 when a finding is at or above: error (default), warning, none")
      ->check(CLI::IsMember({"error", "warning", "none"}));
  cmd.callback([&g, o] { run(*o, g); });
}

Register lint{{"lint", "Check migrations for dangerous and insecure SQL", setup}};

}  // namespace
}  // namespace strata::cli
