// Fleets: the same project applied to many databases (or to many tenant schemas of one
// database), N at a time, each with its own lock and history; one failing never touches another.
#pragma once
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "config/project.hpp"
#include "ops/up.hpp"

namespace strata {

struct FleetRequest {
  std::string targets_file;  // TOML: [targets] name = "url" ...; and/or [tenants] url = "...",
                             // schemas = [...]
  int jobs = 1;
  bool fail_fast = false;
  UpRequest up;
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
std::string fleet_table(const FleetReport& report);
nlohmann::json fleet_json(const FleetReport& report);

}  // namespace strata
