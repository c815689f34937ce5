// `strata validate`: check files against the history (checksums, missing, out of order,
// duplicates, unparseable files) without changing anything.
#include <fmt/format.h>

#include <iostream>

#include "cli/command.hpp"
#include "db/connection.hpp"
#include "ops/status_report.hpp"
#include "sql/splitter.hpp"

namespace strata::cli {
namespace {

void setup(CLI::App& cmd, Globals& g) {
  cmd.callback([&g] {
    Project p = g.project();
    Target t = g.target(p);
    db::Connection conn = db::Connection::open(t.conninfo);
    conn.exec("SET default_transaction_read_only = on");
    ProjectState state = load_state(p, conn);  // throws on duplicates and bad names
    int problems = 0;
    for (const auto& src : state.sources) {
      for (const auto& i : src->status.items) {
        switch (i.state) {
          case MigrationState::modified:
            std::cout << fmt::format("{}: modified since it was applied (recorded {}, file {})\n",
                                     i.migration->display_path, i.history->checksum,
                                     i.migration->checksum);
            ++problems;
            break;
          case MigrationState::missing:
            std::cout << fmt::format("{}: applied ({}), but no local file\n", i.version(),
                                     i.history->applied_at);
            ++problems;
            break;
          case MigrationState::out_of_order:
            std::cout << fmt::format("{}: pending, but older than the newest applied migration\n",
                                     i.migration->display_path);
            ++problems;
            break;
          case MigrationState::partial:
            std::cout << fmt::format("{}: stopped after {} of {} statements: {}\n",
                                     i.migration->display_path, i.history->statements_applied,
                                     i.history->statements_total, i.history->error);
            ++problems;
            break;
          default:
            break;
        }
        if (i.migration &&
            (i.state == MigrationState::pending || i.state == MigrationState::out_of_order)) {
          auto split = sql::split_statements(i.migration->text, {false, i.migration->path, 0});
          sql::check_runnable(split, i.migration->display_path);
          for (const auto& e : split.errors)
            std::cout << fmt::format(
                "{}:{}:{}: note: libpg_query cannot parse this ({}); the server will judge it\n",
                i.migration->display_path, e.line, e.column, e.message);
        }
      }
    }
    ExitCode code = status_exit_code(state);
    if (problems == 0) std::cout << "Validation passed: files agree with the history.\n";
    g.exit_code = static_cast<int>(code);
  });
}

Register validate{
    {"validate", "Check migration files against the history without changing anything", setup}};

}  // namespace
}  // namespace strata::cli
