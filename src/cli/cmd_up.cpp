// `strata up` (aliases `migration up`, `db push`): apply pending migrations in version order.
#include <fmt/format.h>

#include <iostream>

#include "cli/command.hpp"
#include "db/connection.hpp"
#include "ops/seed.hpp"
#include "ops/up.hpp"

namespace strata::cli {
namespace {

void setup(CLI::App& cmd, Globals& g) {
  auto req = std::make_shared<UpRequest>();
  auto to = std::make_shared<std::string>();
  auto seed = std::make_shared<bool>(false);
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
  cmd.callback([&g, req, to, seed] {
    Project p = g.project();
    Target t = g.target(p);
    if (!to->empty()) req->plan.to = *to;
    if (req->plan.env.empty() && t.local) req->plan.env = "dev";
    req->lock_timeout = g.lock_timeout();
    UpReport r = run_up(p, t.conninfo, *req, std::cout);
    if (req->dry_run) {
      std::cout << fmt::format(
          "-- dry run: {} migration(s) would be applied to {}; nothing was changed\n",
          r.pending_before, t.display);
    } else if (r.applied.empty()) {
      std::cout << "Database is up to date: nothing to apply.\n";
    } else {
      std::cout << fmt::format("Applied {} migration(s) in {} ms.\n", r.applied.size(), r.total_ms);
    }
    if (r.skipped_env) {
      std::cout << fmt::format("Left out {} dev-only migration(s) (use --env dev).\n",
                               r.skipped_env);
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
