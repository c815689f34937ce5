// Up and down planning rules (see docs/commands/up.md and down.md).
#include "plan/plan.hpp"

#include <fmt/format.h>

#include "sql/splitter.hpp"
#include "util/error.hpp"

namespace strata {

namespace {
// A partial migration may resume after its file changed when every statement that already ran
// is unchanged (compared by statement_hash, as recorded when each ran); the statements after
// them (the one that failed, and the rest) may differ.
bool applied_prefix_unchanged(const Migration& m, const HistoryRow& h) {
  if (h.statement_hashes.size() != static_cast<size_t>(h.statements_applied)) return false;
  sql::SplitFile split = sql::split_statements(m.text);
  if (!split.parsed || split.statements.size() < h.statement_hashes.size()) return false;
  for (size_t i = 0; i < h.statement_hashes.size(); ++i)
    if (statement_hash(split.statements[i].text) != h.statement_hashes[i]) return false;
  return true;
}

std::string list_items(const Status& st, MigrationState s) {
  std::vector<std::string> names;
  for (const auto& i : st.items) {
    if (i.state == s)
      names.push_back(i.migration ? i.migration->display_path : i.version() + "_" + i.name());
  }
  return fmt::format("{}", fmt::join(names, ", "));
}
}  // namespace

UpPlan plan_up(const Status& status, const UpOptions& options) {
  if (status.count(MigrationState::modified)) {
    Error e(fmt::format("refusing to apply: applied migration(s) changed since they ran: {}",
                        list_items(status, MigrationState::modified)),
            ExitCode::drift);
    e.hint =
        "restore the file as it was applied (git checkout), or accept its new text with "
        "`strata repair --status applied <version>` if the change is cosmetic";
    throw e;
  }
  if (status.count(MigrationState::missing)) {
    std::vector<std::string> v;
    for (const auto& i : status.items)
      if (i.state == MigrationState::missing) v.push_back(i.version());
    Error e(fmt::format(
                "refusing to apply: the database has applied migration(s) with no local file: {}",
                fmt::join(v, ", ")),
            ExitCode::drift);
    e.hint = fmt::format(
        "pull the missing files, or mark them reverted with `strata repair --status reverted {}`",
        fmt::join(v, " "));
    throw e;
  }
  if (status.count(MigrationState::out_of_order) && !options.include_all) {
    Error e(fmt::format(
                "refusing to apply: migration(s) older than the newest applied one are pending: {}",
                list_items(status, MigrationState::out_of_order)),
            ExitCode::drift);
    e.hint =
        "apply them anyway with `strata up --include-all`, or renumber them after the newest "
        "applied version";
    throw e;
  }
  if (options.to) {
    bool found = false;
    for (const auto& i : status.items) found = found || i.version() == *options.to;
    if (!found)
      throw Error(fmt::format("--to {}: no migration has that version", *options.to),
                  ExitCode::usage);
  }
  UpPlan plan;
  for (const auto& item : status.items) {
    if (item.history && item.history->origin != "strata" && item.migration)
      plan.adopt.push_back(&item);
    bool runnable = item.state == MigrationState::pending ||
                    item.state == MigrationState::out_of_order ||
                    item.state == MigrationState::partial;
    if (runnable && !item.migration->runs_with.empty()) {
      // A goose Go migration: strata cannot run it, and never skips it. Nothing runs.
      std::string before;
      for (const auto& i : status.items) {
        if (&i == &item) break;
        if (i.migration) before = i.version();
      }
      Error e(fmt::format("{} is a {} Go migration: strata cannot run it, and it is pending",
                          item.migration->display_path, item.migration->runs_with),
              ExitCode::config);
      e.hint = fmt::format(
          "{}run it with {} (e.g. `goose up-by-one`), then record it with `strata repair "
          "--status applied {}` and run `strata up` again; nothing was applied",
          before.empty()
              ? ""
              : fmt::format("apply what comes before it with `strata up --to {}`, ", before),
          item.migration->runs_with, item.version());
      throw e;
    }
    if (runnable) {
      if (!item.migration->env.empty() && item.migration->env != options.env) {
        plan.skipped_env.push_back(item.migration);
      } else {
        UpStep step{item.migration, 0};
        if (item.state == MigrationState::partial) {
          if (item.history->origin != "strata") {
            // Another tool's failed/dirty row (golang-migrate's `dirty`): it never says how far
            // the file got, so nothing of it is run again without the user's word.
            Error e(fmt::format("{} is recorded as failed part-way by {} ({}): strata cannot tell "
                                "which of its statements already ran",
                                item.migration->display_path, item.history->origin,
                                item.history->origin == "golang-migrate" ? "dirty" : "partial"),
                    ExitCode::drift);
            e.hint =
                "check the database by hand, then run `strata repair --status "
                "applied|reverted " +
                item.version() + "`";
            throw e;
          }
          if (item.history->checksum != item.migration->checksum &&
              !applied_prefix_unchanged(*item.migration, *item.history)) {
            Error e(fmt::format("{} stopped part-way ({} of {} statements) and {}",
                                item.migration->display_path, item.history->statements_applied,
                                item.history->statements_total,
                                item.history->statement_hashes.empty()
                                    ? "has changed since; strata cannot tell which statements "
                                      "already ran"
                                    : "statements that already ran have changed since"),
                    ExitCode::drift);
            e.hint =
                "restore the file as it was, or fix the database by hand and run "
                "`strata repair --status applied|reverted " +
                item.version() + "`";
            throw e;
          }
          step.resume_from = item.history->statements_applied;
        }
        plan.steps.push_back(step);
      }
    }
    if (options.to && item.version() == *options.to) break;
  }
  return plan;
}

std::vector<const StatusItem*> plan_down(const Status& status, const DownOptions& options) {
  std::vector<const StatusItem*> applied;
  for (const auto& i : status.items) {
    if (i.migration && i.migration->repeatable) continue;  // Flyway `R__`: no down migration
    if (i.state == MigrationState::applied || i.state == MigrationState::modified ||
        i.state == MigrationState::partial || i.state == MigrationState::missing)
      applied.push_back(&i);
  }
  std::vector<const StatusItem*> out;
  if (options.to) {
    bool found = false;
    for (const auto& i : status.items) found = found || i.version() == *options.to;
    if (!found)
      throw Error(fmt::format("--to {}: no migration has that version", *options.to),
                  ExitCode::usage);
    bool is_applied = false;
    for (const auto* i : applied) is_applied = is_applied || i->version() == *options.to;
    if (!is_applied) {
      Error e(
          fmt::format("--to {}: that migration is not applied, so there is nothing to roll back to",
                      *options.to),
          ExitCode::usage);
      e.hint = "use --steps N, or --to with an applied version (`strata status` lists them)";
      throw e;
    }
    for (auto it = applied.rbegin(); it != applied.rend(); ++it) {
      if ((*it)->version() == *options.to) break;
      out.push_back(*it);
    }
  } else {
    for (auto it = applied.rbegin();
         it != applied.rend() && static_cast<int>(out.size()) < options.steps; ++it)
      out.push_back(*it);
  }
  for (const auto* item : out) {
    if (!item->migration) {
      Error e(fmt::format("cannot roll back {}: its file is missing locally", item->version()),
              ExitCode::drift);
      e.hint = "restore the file and its down script, or use `strata repair --status reverted " +
               item->version() + "`";
      throw e;
    }
    if (!item->migration->runs_with.empty()) {
      Error e(fmt::format("cannot roll back {}: it is a {} Go migration, which strata cannot run",
                          item->migration->display_path, item->migration->runs_with),
              ExitCode::failure);
      e.hint = fmt::format(
          "roll it back with {} (`goose down`), then `strata repair --status reverted {}`; "
          "nothing was rolled back",
          item->migration->runs_with, item->version());
      throw e;
    }
    if (!item->migration->down) {
      Error e(
          fmt::format("cannot roll back {}: it has no down script", item->migration->display_path),
          ExitCode::failure);
      std::string stem = item->migration->path.stem().string();
      if (stem.ends_with(".up")) stem.resize(stem.size() - 3);  // golang-migrate's 1_x.up.sql
      e.hint = fmt::format(
          "write {0}.down.sql beside it (or a `-- strata:down` section); nothing was rolled back",
          stem);
      throw e;
    }
  }
  return out;
}

}  // namespace strata
