// `strata up` (aliases `migration up`, `db push`): apply pending migrations in version order;
// with --targets, the same project on a fleet of databases (see ops/fleet.hpp).
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "cli/progress.hpp"
#include "db/connection.hpp"
#include "lint/render.hpp"
#include "ops/fleet.hpp"
#include "ops/lint.hpp"
#include "ops/project_state.hpp"
#include "ops/seed.hpp"
#include "ops/up.hpp"

namespace strata::cli {
namespace {

nlohmann::json report_json(const UpReport& r) {
  nlohmann::json j;
  j["applied"] = nlohmann::json::array();
  for (const auto& a : r.applied)
    j["applied"].push_back({{"version", a.version},
                            {"name", a.name},
                            {"statements", a.statements},
                            {"execution_ms", a.execution_ms}});
  j["sources"] = nlohmann::json::array();
  for (const auto& s : r.sources)
    j["sources"].push_back({{"source", s.source},
                            {"tier", s.tier},
                            {"found", s.found},
                            {"executed", s.executed},
                            {"already_applied", s.already_applied},
                            {"left_out", s.left_out}});
  j["adopted"] = r.adopted;
  j["left_out_dev_only"] = r.skipped_env;
  j["grants"] = r.grants;
  j["notified_postgrest"] = r.notified_postgrest;
  j["total_ms"] = r.total_ms;
  j["backup"] = r.backup
                    ? nlohmann::json{{"path", std::filesystem::absolute(r.backup->file).string()},
                                     {"bytes", r.backup->bytes}}
                    : nlohmann::json(nullptr);
  return j;
}

// The per-tier summary seed 003's runner prints: found, executed, skipped.
void print_tiers(const UpReport& r) {
  if (r.sources.size() < 2) return;
  std::map<std::string, SourceSummary> tiers;
  std::vector<std::string> order;
  std::map<std::string, int> sources_per_tier;
  for (const auto& s : r.sources) {
    if (!tiers.count(s.tier)) order.push_back(s.tier);
    auto& t = tiers[s.tier];
    t.found += s.found;
    t.executed += s.executed;
    t.already_applied += s.already_applied;
    t.left_out += s.left_out;
    ++sources_per_tier[s.tier];
  }
  for (const auto& name : order) {
    const auto& t = tiers[name];
    std::cout << fmt::format("{}: {} found in {} source(s), {} executed, {} already applied{}\n",
                             name, t.found, sources_per_tier[name], t.executed, t.already_applied,
                             t.left_out ? fmt::format(", {} dev-only left out", t.left_out) : "");
  }
}

void setup(CLI::App& cmd, Globals& g) {
  auto req = std::make_shared<UpRequest>();
  auto to = std::make_shared<std::string>();
  auto seed = std::make_shared<bool>(false);
  auto fleet = std::make_shared<FleetRequest>();
  cmd.add_option("--to", *to, "Apply up to and including this version");
  cmd.add_flag("--dry-run", req->dry_run,
               "Print the SQL that would run, per migration; change nothing");
  cmd.add_flag("--include-all", req->plan.include_all,
               "Also apply pending migrations older than the newest applied one");
  cmd.add_flag("--single-transaction", req->single_transaction,
               "Apply the whole run in one transaction");
  cmd.add_option(
      "--env", req->plan.env,
      "Environment: `dev` also runs dev-only migrations (default: dev on the local database)");
  cmd.add_flag("--include-seed", *seed, "Then run seed files that have not run yet");
  add_output_option(cmd, g);
  auto lint_first = std::make_shared<bool>(false);
  cmd.add_flag("--lint", *lint_first,
               "Lint the pending migrations first; refuse to apply when lint finds errors");
  cmd.add_option("--targets", fleet->targets_file,
                 "Apply to every database listed in this TOML file");
  cmd.add_option("--jobs", fleet->jobs, "With --targets: how many targets at a time (default 1)");
  cmd.add_flag("--fail-fast", fleet->fail_fast,
               "With --targets: start no new target after a failure");
  auto progress = std::make_shared<bool>(false);
  cmd.add_flag("--progress", *progress,
               "Progress lines also when stdout/stderr is not a terminal (lock wait, each "
               "migration as it starts, each statement of a non-transactional one)");
  auto backup = std::make_shared<std::string>();
  cmd.add_option("--backup", *backup,
                 "pg_dump the affected schemas into this folder before applying anything");
  cmd.callback([&g, req, to, seed, fleet, lint_first, backup, progress] {
    const bool json = g.json();
    Project p = g.project();
    if (!to->empty()) req->plan.to = *to;
    req->lock_timeout = g.lock_timeout();
    if (!fleet->targets_file.empty()) {
      req->backup = backup_request(p, false, *backup);
      fleet->up = *req;
      if (!json)  // each target's line as soon as it finishes
        fleet->on_result = [](const FleetTargetResult& r, size_t w) {
          std::cout << fleet_line(r, w) << std::flush;
        };
      FleetReport fr = run_fleet(p, *fleet);
      std::cout << (json ? fleet_json(fr).dump(2, ' ', false,
                                               nlohmann::json::error_handler_t::replace) +
                               "\n"
                         : fleet_summary(fr));
      g.exit_code = fr.failed ? static_cast<int>(ExitCode::migration_failed) : 0;
      return;
    }
    Target t = g.target(p);
    if (req->plan.env.empty() && t.local) req->plan.env = "dev";
    req->backup = backup_request(p, t.local, *backup);
    if (*lint_first) {
      auto conn = db::Connection::open(t.conninfo);
      conn.exec("SET default_transaction_read_only = on");
      ProjectState state = load_state(p, conn);
      lint::LintResult lr = lint_pending(p, state, &conn);
      if (lint::has_errors(lr.diagnostics)) {
        std::cerr << lint::render_text(lr);
        Error e(
            "refusing to apply: lint found errors in the pending migrations (listed above); "
            "nothing was applied");
        e.hint =
            "fix them, or silence a finding with `-- strata-lint-ignore <rule-id>` (see "
            "docs/lint/README.md)";
        throw e;
      }
      if (!lr.diagnostics.empty()) std::cerr << lint::render_text(lr);
    }
    std::ostringstream quiet;
    Progress shown(*progress, g.quiet, json, req->lock_timeout);
    UpRequest run = *req;
    shown.attach(run);
    UpReport r;
    try {
      r = run_up(p, t.conninfo, run, json ? quiet : shown.out());
    } catch (...) {
      shown.finish();
      throw;
    }
    shown.finish();
    if (json) {
      std::cout << report_json(r).dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
                << "\n";
    } else {
      print_tiers(r);
      if (req->dry_run) {
        std::cout << fmt::format(
            "-- dry run: {} migration(s) would be applied to {}; nothing was changed\n",
            r.pending_before, t.display);
      } else if (r.applied.empty()) {
        std::cout << "Database is up to date: nothing to apply.\n";
      } else {
        std::cout << fmt::format("Applied {} migration(s) in {} ms.\n", r.applied.size(),
                                 r.total_ms);
        for (const auto& gr : r.grants) std::cout << "Granted after each migration: " << gr << "\n";
        if (r.notified_postgrest) std::cout << "Sent NOTIFY pgrst, 'reload schema'.\n";
      }
      if (r.skipped_env) {
        std::cout << fmt::format("Left out {} dev-only migration(s) (use --env dev).\n",
                                 r.skipped_env);
      }
    }
    if (*seed && !req->dry_run) {
      auto conn = db::Connection::open(t.conninfo);
      run_seeds(p, conn, false, std::cout);
    }
  });
}

Register up{{"up", "Apply pending migrations", setup}};
Register migration_up{{"migration up", "Same as `strata up`", setup}};
Register db_push{{"db push", "Same as `strata up` (Supabase spelling)", setup}};

}  // namespace
}  // namespace strata::cli
