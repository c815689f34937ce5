// Reading a targets file and running `up` on each target from a small pool of threads.
#include "ops/fleet.hpp"

#include <fmt/format.h>

#include <toml++/toml.h>
#include <atomic>
#include <chrono>
#include <mutex>
#include <sstream>
#include <thread>

#include "db/connection.hpp"
#include "ops/apply_options.hpp"
#include "util/error.hpp"
#include "util/redact.hpp"

namespace strata {
namespace {

struct Target {
  std::string name;
  std::string conninfo;
  std::string schema;  // tenant schema, or empty
};

std::vector<Target> read_targets(const std::string& file) {
  toml::table t;
  try {
    t = toml::parse_file(file);
  } catch (const toml::parse_error& e) {
    Error err(fmt::format("{}:{}:{}: cannot parse: {}", file, e.source().begin.line,
                          e.source().begin.column, e.description()),
              ExitCode::config);
    err.position = SourcePosition{file, static_cast<int>(e.source().begin.line),
                                  static_cast<int>(e.source().begin.column)};
    throw err;
  }
  std::vector<Target> out;
  if (const toml::table* targets = t["targets"].as_table()) {
    for (const auto& [name, url] : *targets) {
      auto u = url.value<std::string>();
      if (!u)
        throw Error(fmt::format("{}: [targets] {} must be a URL string", file, name.str()),
                    ExitCode::config);
      out.push_back({std::string(name.str()), *u, ""});
    }
  }
  if (const toml::table* tenants = t["tenants"].as_table()) {
    std::string url = (*tenants)["url"].value_or(std::string());
    if (url.empty()) {
      Error e(fmt::format("{}: [tenants] needs url = \"postgresql://...\"", file),
              ExitCode::config);
      e.hint = "name the database that holds the tenant schemas";
      throw e;
    }
    if (const toml::array* schemas = (*tenants)["schemas"].as_array()) {
      for (const auto& s : *schemas) {
        std::string schema = s.value_or(std::string());
        if (!schema.empty()) out.push_back({schema, url, schema});
      }
    }
  }
  if (out.empty()) {
    Error e(fmt::format("{} lists no targets", file), ExitCode::config);
    e.hint =
        "add [targets] name = \"postgresql://...\" lines, or [tenants] url = \"...\" and schemas = "
        "[...]";
    throw e;
  }
  return out;
}

}  // namespace

FleetReport run_fleet(const Project& project, const FleetRequest& request) {
  auto t0 = std::chrono::steady_clock::now();
  std::vector<Target> targets = read_targets(request.targets_file);
  FleetReport report;
  report.targets.resize(targets.size());
  std::atomic<size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex report_mutex;  // one on_result call at a time
  size_t name_width = 6;
  for (const auto& tg : targets) name_width = std::max(name_width, tg.name.size());
  auto finished = [&](const FleetTargetResult& r) {
    if (!request.on_result) return;
    std::lock_guard<std::mutex> lock(report_mutex);
    request.on_result(r, name_width);
  };
  auto worker = [&] {
    while (true) {
      size_t i = next.fetch_add(1);
      if (i >= targets.size()) return;
      const Target& tg = targets[i];
      FleetTargetResult& r = report.targets[i];
      r.name = tg.name;
      r.display = redact_secrets(tg.conninfo) + (tg.schema.empty() ? "" : " schema " + tg.schema);
      if (stop) {
        finished(r);
        continue;
      }
      r.started = true;
      Project p = project;
      if (!tg.schema.empty()) {
        // Schema per tenant: the tenant is an app of its own (search_path, history scope, lock).
        p.app.name = tg.schema;
        p.app.schema = tg.schema;
        // Each tenant keeps its own history scope, per source when there are several.
        if (p.sources.size() == 1) {
          p.sources[0].name = tg.schema;
        } else {
          for (auto& src : p.sources) src.name = tg.schema + "/" + src.name;
        }
        if (!p.grants.empty()) p.grants.schema = tg.schema;
      }
      auto start = std::chrono::steady_clock::now();
      std::ostringstream log;
      try {
        if (!tg.schema.empty()) {
          // A missing tenant schema would let unqualified objects land in public.
          auto conn = db::Connection::open(tg.conninfo);
          if (conn.exec_params("SELECT to_regnamespace($1) IS NULL", {quote_ident(tg.schema)})
                  .get(0, 0) == "t")
            throw Error(fmt::format("tenant schema {} does not exist", tg.schema),
                        ExitCode::config);
        }
        UpReport up = run_up(p, tg.conninfo, request.up, log);
        r.ok = true;
        r.applied = static_cast<int>(up.applied.size());
        r.pending = up.pending_before - r.applied;
      } catch (const std::exception& e) {
        r.error = redact_secrets(e.what());
        if (request.fail_fast) stop = true;
      }
      r.ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::steady_clock::now() - start)
                 .count();
      finished(r);
    }
  };
  int jobs = std::max(1, std::min<int>(request.jobs, static_cast<int>(targets.size())));
  std::vector<std::thread> pool;
  for (int j = 0; j < jobs; ++j) pool.emplace_back(worker);
  for (auto& th : pool) th.join();
  for (const auto& r : report.targets)
    if (!r.ok) ++report.failed;
  report.total_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  return report;
}

std::string fleet_line(const FleetTargetResult& r, size_t w) {
  std::string result = r.ok ? "ok" : (r.started ? "FAILED" : "skipped");
  std::string err = r.error.substr(0, r.error.find('\n'));
  return fmt::format("{:<{}}  {:<7}  applied {:>3}  pending {:>3}  {:>7} ms{}\n", r.name, w, result,
                     r.applied, r.ok ? std::to_string(r.pending) : "?", r.ms,
                     err.empty() ? "" : "  " + err);
}

std::string fleet_summary(const FleetReport& report) {
  return fmt::format("{} target(s), {} failed, {} ms\n", report.targets.size(), report.failed,
                     report.total_ms);
}

std::string fleet_table(const FleetReport& report) {
  size_t w = 6;
  for (const auto& r : report.targets) w = std::max(w, r.name.size());
  std::string out;
  for (const auto& r : report.targets) out += fleet_line(r, w);
  return out + fleet_summary(report);
}

nlohmann::json fleet_json(const FleetReport& report) {
  nlohmann::json j;
  j["targets"] = nlohmann::json::array();
  for (const auto& r : report.targets) {
    j["targets"].push_back({{"name", r.name},
                            {"target", r.display},
                            {"started", r.started},
                            {"ok", r.ok},
                            {"applied", r.applied},
                            {"pending", r.pending},
                            {"ms", r.ms},
                            {"error", r.error}});
  }
  j["failed"] = report.failed;
  j["total_ms"] = report.total_ms;
  return j;
}

}  // namespace strata
