// Status as a table and as JSON.
#include "ops/status_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "execute/executor.hpp"

namespace strata {

// The sources as the user named them: the two parts of a source split by `[migrations]
// run_last` (same name) are one entry, their items in run order.
static std::vector<std::pair<std::string, std::vector<const SourceState*>>> by_name(
    const ProjectState& state) {
  std::vector<std::pair<std::string, std::vector<const SourceState*>>> out;
  for (const auto& src : state.sources) {
    auto it = std::find_if(out.begin(), out.end(),
                           [&](const auto& e) { return e.first == src->config->name; });
    if (it == out.end()) {
      out.push_back({src->config->name, {}});
      it = out.end() - 1;
    }
    it->second.push_back(src.get());
  }
  return out;
}

// A migration whose non-transactional down script stopped part-way (HistoryRow::reverting):
// still applied, and `strata down` resumes its down script.
struct Reverting {
  int ran = 0;               // down statements that ran
  std::optional<int> total;  // the down script's statements; none when it cannot be read
  std::string error;         // what stopped it, when the server said
};

static std::optional<Reverting> reverting_of(const StatusItem& i) {
  if (!i.history || !i.history->reverting) return std::nullopt;
  Reverting r;
  r.ran = *i.history->reverting;
  r.error = i.history->revert_error;
  if (i.migration && i.migration->down) {
    // Counted as the executor counts them (the down script prepared as `strata down` runs it).
    try {
      const DownScript& down = *i.migration->down;
      Migration m = *i.migration;
      m.text = down.text;
      m.no_transaction = down.no_transaction;
      r.total =
          static_cast<int>(prepare_migration(m, down.text, m.display_path, down.first_line).size());
    } catch (const Error&) {
    }
  }
  return r;
}

static std::string reverting_text(const Reverting& r) {
  return r.total ? fmt::format("reverting {}/{}", r.ran, *r.total)
                 : fmt::format("reverting {}/?", r.ran);
}

static std::string mode_of(const StatusItem& i) {
  if (i.history) return i.history->transactional ? "tx" : "no-tx";
  if (i.migration && i.migration->no_transaction) return "no-tx";
  return "";
}

nlohmann::json status_json(const Project& project, const ProjectState& state) {
  nlohmann::json out;
  out["project"] = project.root.string();
  out["sources"] = nlohmann::json::array();
  nlohmann::json summary = {{"applied", 0}, {"pending", 0},      {"modified", 0},
                            {"missing", 0}, {"out_of_order", 0}, {"partial", 0}};
  for (const auto& entry : by_name(state)) {
    const auto& parts = entry.second;
    nlohmann::json s;
    s["source"] = entry.first;
    s["migrations"] = nlohmann::json::array();
    for (const SourceState* src : parts)
      for (const auto& i : src->status.items) {
        nlohmann::json m;
        m["version"] = i.version();
        m["name"] = i.name();
        m["state"] = state_name(i.state);
        m["file"] =
            i.migration ? nlohmann::json(i.migration->display_path) : nlohmann::json(nullptr);
        m["has_down"] = i.migration && i.migration->down.has_value();
        if (i.migration) m["checksum"] = i.migration->checksum;
        if (i.history) {
          m["applied_at"] = i.history->applied_at;
          m["applied_by"] = i.history->applied_by;
          m["execution_ms"] = i.history->execution_ms;
          m["recorded_checksum"] = i.history->checksum;
          m["transactional"] = i.history->transactional;
          m["origin"] = i.history->origin;
          if (!i.history->success) {
            m["statements_applied"] = i.history->statements_applied;
            m["statements_total"] = i.history->statements_total;
            m["error"] = i.history->error;
          }
        }
        if (auto r = reverting_of(i)) {
          m["reverting"] = {{"down_statements_ran", r->ran},
                            {"down_statements_total",
                             r->total ? nlohmann::json(*r->total) : nlohmann::json(nullptr)}};
          if (!r->error.empty()) m["reverting"]["error"] = r->error;
        }
        if (i.migration && !i.migration->env.empty()) m["env"] = i.migration->env;
        if (i.migration && !i.migration->runs_with.empty()) m["runs_with"] = i.migration->runs_with;
        std::string key = state_name(i.state);
        std::replace(key.begin(), key.end(), '-', '_');
        summary[key] = summary[key].get<int>() + 1;
        s["migrations"].push_back(std::move(m));
      }
    out["sources"].push_back(std::move(s));
  }
  out["summary"] = summary;
  return out;
}

std::string status_table(const Project& project, const ProjectState& state) {
  (void)project;
  std::string out;
  auto sources = by_name(state);
  for (const auto& entry : sources) {
    const auto& parts = entry.second;  // named: clang 14 cannot capture structured bindings
    if (sources.size() > 1) out += fmt::format("[{}]\n", entry.first);
    std::vector<const StatusItem*> items;
    for (const SourceState* src : parts)
      for (const auto& i : src->status.items) items.push_back(&i);
    size_t wv = 7, wn = 4;
    for (const StatusItem* i : items) {
      wv = std::max(wv, i->version().size());
      wn = std::max(wn, std::min<size_t>(i->name().size(), 48));
    }
    // The state column: `partial k/n` for a partial up, `reverting k/n` for a down script that
    // stopped part-way (explained under the table).
    std::vector<std::string> states;
    std::vector<std::string> notes;
    size_t ws = 12;
    for (const StatusItem* ip : items) {
      const StatusItem& i = *ip;
      std::string state_text = state_name(i.state);
      if (i.state == MigrationState::partial && i.history)
        // Another tool's failed row has no statement counts: say whose it is instead.
        state_text = i.history->origin != "strata"
                         ? fmt::format("failed ({})", i.history->origin)
                         : fmt::format("partial {}/{}", i.history->statements_applied,
                                       i.history->statements_total);
      if (auto r = reverting_of(i)) {
        if (i.state == MigrationState::applied) state_text = reverting_text(*r);
        notes.push_back(fmt::format(
            "{} is reverting: {} of {} down statements ran{}; run `strata down` to finish its "
            "down script",
            i.version(), r->ran, r->total ? std::to_string(*r->total) : "?",
            r->error.empty() ? "" : " (stopped by: " + r->error + ")"));
      }
      if (i.migration && !i.migration->runs_with.empty()) {
        state_text += " (go)";
        if (i.state != MigrationState::applied)
          notes.push_back(fmt::format(
              "{} is a {} Go migration: strata cannot run it; `strata up` stops before it (run it "
              "with {}, then `strata repair --status applied {}`)",
              i.migration->display_path, i.migration->runs_with, i.migration->runs_with,
              i.version()));
      }
      ws = std::max(ws, state_text.size());
      states.push_back(std::move(state_text));
    }
    out += fmt::format("{:<{}}  {:<{}}  {:<{}}  {:<20}  {:<12}  {:>8}\n", "VERSION", wv, "NAME", wn,
                       "STATE", ws, "APPLIED AT", "BY", "MS");
    for (size_t k = 0; k < items.size(); ++k) {
      const StatusItem& i = *items[k];
      std::string name = i.name();
      if (name.size() > 48) name.erase(45).append("...");  // in place: no gcc 12 -Warray-bounds
      out += fmt::format(
          "{:<{}}  {:<{}}  {:<{}}  {:<20}  {:<12}  {:>8}\n", i.version(), wv, name, wn, states[k],
          ws, i.history ? i.history->applied_at : "", i.history ? i.history->applied_by : "",
          i.history && i.history->origin == "strata" ? std::to_string(i.history->execution_ms)
                                                     : "");
      (void)mode_of;
    }
    auto count = [&](MigrationState st) {
      int n = 0;
      for (const SourceState* src : parts) n += src->status.count(st);
      return n;
    };
    out += fmt::format("{} applied, {} pending", count(MigrationState::applied),
                       count(MigrationState::pending));
    for (auto st : {MigrationState::modified, MigrationState::missing, MigrationState::out_of_order,
                    MigrationState::partial}) {
      if (int n = count(st)) out += fmt::format(", {} {}", n, state_name(st));
    }
    out += "\n";
    for (const auto& note : notes) out += note + "\n";
  }
  return out;
}

ExitCode status_exit_code(const ProjectState& state) {
  bool pending = false;
  for (const auto& src : state.sources) {
    if (!src->status.clean()) return ExitCode::drift;
    pending = pending || src->status.count(MigrationState::pending) > 0;
  }
  return pending ? ExitCode::pending : ExitCode::ok;
}

}  // namespace strata
