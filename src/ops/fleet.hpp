// Fleets: the same project applied to many databases (or to many tenant schemas of one
// database), N at a time, each with its own lock and history; one failing never touches another.
#pragma once
#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <vector>

#include "config/project.hpp"
#include "ops/up.hpp"

namespace strata {

struct FleetTargetResult;

struct FleetRequest {
  std::string targets_file;  // TOML: [targets] name = "url" ...; and/or [tenants] url = "...",
                             // schemas = [...]
  int jobs = 1;
  bool fail_fast = false;
  UpRequest up;
  // Called once per target as soon as it finishes (or is skipped), in finishing order, one call
  // at a time (under a lock), from the worker thread; name_width = the longest target name.
  std::function<void(const FleetTargetResult&, size_t name_width)> on_result;
};

struct FleetTargetResult {
  std::string name;
  std::string display;  // redacted URL (+ schema)
  bool started = false;
  bool ok = false;
  int applied = 0;
  int pending = 0;  // still pending after the run
  long long ms = 0;
  std::string error;
};

struct FleetReport {
  std::vector<FleetTargetResult> targets;
  int failed = 0;
  long long total_ms = 0;
};

FleetReport run_fleet(const Project& project, const FleetRequest& request);
// One target's result as a line: `<name>  ok|FAILED|skipped  applied N  pending N  <ms> ms  error`.
std::string fleet_line(const FleetTargetResult& result, size_t name_width);
// `N target(s), F failed, T ms`.
std::string fleet_summary(const FleetReport& report);
// Every line and the summary (for a report printed at the end).
std::string fleet_table(const FleetReport& report);
nlohmann::json fleet_json(const FleetReport& report);

}  // namespace strata
