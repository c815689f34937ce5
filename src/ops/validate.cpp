// run_validate and validate_json (see validate.hpp).
#include "ops/validate.hpp"

#include <fmt/format.h>

#include "db/connection.hpp"
#include "ops/project_state.hpp"
#include "ops/status_report.hpp"
#include "sql/splitter.hpp"

namespace strata {

ValidateReport run_validate(const Project& project, const std::string& conninfo) {
  db::Connection conn = db::Connection::open(conninfo);
  conn.exec("SET default_transaction_read_only = on");
  ProjectState state = load_state(project, conn);  // throws on duplicates and bad names
  ValidateReport report;
  for (const auto& src : state.sources) {
    for (const auto& i : src->status.items) {
      ValidateProblem p{state_name(i.state), i.version(),
                        i.migration ? i.migration->display_path : "", ""};
      switch (i.state) {
        case MigrationState::modified:
          p.message = fmt::format("{}: modified since it was applied (recorded {}, file {})",
                                  p.file, i.history->checksum, i.migration->checksum);
          break;
        case MigrationState::missing:
          p.message =
              fmt::format("{}: applied ({}), but no local file", p.version, i.history->applied_at);
          break;
        case MigrationState::out_of_order:
          p.message =
              fmt::format("{}: pending, but older than the newest applied migration", p.file);
          break;
        case MigrationState::partial:
          p.message = fmt::format("{}: stopped after {} of {} statements: {}", p.file,
                                  i.history->statements_applied, i.history->statements_total,
                                  i.history->error);
          break;
        default:
          break;
      }
      if (!p.message.empty()) report.problems.push_back(std::move(p));
      if (i.migration &&
          (i.state == MigrationState::pending || i.state == MigrationState::out_of_order)) {
        auto split = sql::split_statements(i.migration->text, {false, i.migration->path, 0});
        sql::check_runnable(split, i.migration->display_path);
        for (const auto& e : split.errors)
          report.notes.push_back(
              {i.migration->display_path, e.line, e.column,
               fmt::format("{}:{}:{}: note: libpg_query cannot parse this ({}); the server will "
                           "judge it",
                           i.migration->display_path, e.line, e.column, e.message)});
      }
    }
  }
  report.exit_code = status_exit_code(state);
  return report;
}

nlohmann::json validate_json(const ValidateReport& r) {
  nlohmann::json j;
  j["ok"] = r.problems.empty();
  j["problems"] = nlohmann::json::array();
  for (const auto& p : r.problems)
    j["problems"].push_back({{"state", p.state},
                             {"version", p.version},
                             {"file", p.file.empty() ? nlohmann::json() : nlohmann::json(p.file)},
                             {"message", p.message}});
  j["notes"] = nlohmann::json::array();
  for (const auto& n : r.notes)
    j["notes"].push_back(
        {{"file", n.file}, {"line", n.line}, {"column", n.column}, {"message", n.message}});
  return j;
}

}  // namespace strata
