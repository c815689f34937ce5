// `strata doctor`: print what strata sees (PostgreSQL binaries, extensions, project, target,
// history) with a line of advice per problem. Exit 0 when healthy, 1 when a check found a
// problem (warnings do not count). The checks live in ops/doctor.
#include <fmt/format.h>

#include <iostream>

#include "cli/command.hpp"
#include "ops/doctor.hpp"

namespace strata::cli {
namespace {

void setup(CLI::App& cmd, Globals& g) {
  add_output_option(cmd, g);
  cmd.callback([&g] {
    DoctorReport r = run_doctor(g.workdir, g.db_url);
    g.exit_code = r.healthy() ? 0 : static_cast<int>(ExitCode::failure);
    if (g.json()) {
      std::cout << doctor_json(r).dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
                << "\n";
      return;
    }
    bool color = Globals::color(1);
    auto paint = [color](CheckLevel l, const std::string& text) {
      if (!color) return text;
      const char* c = l == CheckLevel::ok ? "32" : l == CheckLevel::warn ? "33" : "1;31";
      return fmt::format("\033[{}m{}\033[0m", c, text);
    };
    size_t w = 0;
    for (const auto& c : r.checks) w = std::max(w, c.name.size());
    for (const auto& c : r.checks) {
      std::cout << fmt::format("{} {:<{}}  {}\n",
                               paint(c.level, fmt::format("{:<7}", level_name(c.level))), c.name, w,
                               c.summary);
      if (!c.advice.empty()) std::cout << fmt::format("{:<7} {:<{}}  -> {}\n", "", "", w, c.advice);
    }
    int problems = 0, warnings = 0;
    for (const auto& c : r.checks) {
      problems += c.level == CheckLevel::problem;
      warnings += c.level == CheckLevel::warn;
    }
    std::cout << (problems ? fmt::format("{} problem(s), {} warning(s).\n", problems, warnings)
                           : fmt::format("Healthy ({} warning(s)).\n", warnings));
  });
}

Register doctor{{"doctor",
                 "Show what strata sees (PostgreSQL, extensions, project, target, history) and "
                 "advise",
                 setup}};

}  // namespace
}  // namespace strata::cli
