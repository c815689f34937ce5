// Loading files and history for every source of a project.
#include "ops/project_state.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <future>
#include <map>
#include <optional>

#include "db/conninfo.hpp"
#include "history/formats/history_format.hpp"
#include "migration/discover.hpp"
#include "migration/placeholders.hpp"
#include "util/error.hpp"

namespace strata {

HistoryStore history_store_for(const Project& project) {
  HistoryStore store(project.history_schema);
  const ForeignHistoryConfig& f = project.foreign_history;
  std::vector<const HistoryFormat*> adopt =
      f.adopt ? history_formats_named(*f.adopt, "adopt") : all_history_formats();
  std::vector<const HistoryFormat*> mirror = history_formats_named(f.mirror, "mirror");
  auto in = [](const std::vector<const HistoryFormat*>& list, const HistoryFormat* x) {
    return std::find(list.begin(), list.end(), x) != list.end();
  };
  for (const auto& src : project.sources) {
    if (src.run_last_part) continue;  // the same source as its first part: kept once
    // Tables a project keeps by its kind: seed 003's runner's for a source tracked there, the
    // Supabase CLI's for a Supabase project's own migrations.
    if (const HistoryFormat* tier = tier_runner_history(src.legacy.kind))
      store.keep(src, *tier, "", true, true);
    if (src.name == "default" && project.supabase_history())
      store.keep(src, supabase_history(), "", true, true);
    // Other tools' tables: the source's `history_table`; the tools' default tables are the first
    // source's (whatever its name: default, core, an app); other sources have none.
    std::string table = src.history_table;
    if (table.empty() && src.name != project.sources.front().name) continue;
    for (const HistoryFormat* tool : all_history_formats())
      if (in(adopt, tool) || in(mirror, tool))
        store.keep(src, *tool, table, in(adopt, tool), in(mirror, tool));
  }
  return store;
}

// Every source's files, in the project's order.
static std::vector<DiscoveredSource> discover_all(const Project& project) {
  std::vector<DiscoveredSource> out;
  out.reserve(project.sources.size());
  for (const auto& src : project.sources) out.push_back(discover_migrations(project, src));
  return out;
}

// The files of each source with its history (none without a connection) and status.
static ProjectState load(const Project& project, std::vector<DiscoveredSource> found,
                         db::Connection* conn, const HistoryStore* run_store) {
  ProjectState st;
  std::optional<HistoryStore> own;
  if (!run_store) own.emplace(history_store_for(project));
  const HistoryStore& store = run_store ? *run_store : *own;
  for (size_t i = 0; i < project.sources.size(); ++i) {
    const auto& src = project.sources[i];
    DiscoveredSource& d = found[i];
    auto s = std::make_unique<SourceState>();
    s->config = &src;
    s->migrations = std::move(d.migrations);
    s->warnings = std::move(d.warnings);
    if (conn) {
      s->history = store.load(*conn, src, s->migrations);
      for (const auto& v : store.reverted_by_tool(src.name))
        s->warnings.push_back(fmt::format(
            "{}: strata applied it, but the mirrored tool's table no longer has it (the tool "
            "reverted it): pending again",
            v));
    }
    // The detected format is news until strata has recorded a migration of this source (its
    // first `up`, which adopts what the tool applied): later runs stay quiet about it.
    bool recorded = std::any_of(s->history.begin(), s->history.end(),
                                [](const HistoryRow& h) { return h.origin == "strata"; });
    if (!d.format_notice.empty() && !recorded)
      s->warnings.insert(s->warnings.begin(), d.format_notice);
    s->status = compute_status(s->migrations, s->history);
    st.sources.push_back(std::move(s));
  }
  return st;
}

SourceState& pick_source(ProjectState& state, const std::string& name, const std::string& version) {
  std::vector<std::string> names;
  for (auto& s : state.sources) {
    names.push_back(s->config->name);
    if (!name.empty() && s->config->name == name) return *s;
  }
  if (!name.empty()) {
    Error e(fmt::format("--source {}: no such migration source", name), ExitCode::usage);
    e.hint = fmt::format("sources: {}", fmt::join(names, ", "));
    throw e;
  }
  if (state.sources.size() == 1) return *state.sources[0];
  if (!version.empty()) {
    std::vector<SourceState*> holders;
    for (auto& s : state.sources)
      for (const auto& i : s->status.items)
        if (i.version() == version) holders.push_back(s.get());
    if (holders.size() == 1) return *holders[0];
    if (holders.size() > 1) {
      Error e(fmt::format("version {} exists in several sources", version), ExitCode::usage);
      e.hint = fmt::format("name one with --source ({})", fmt::join(names, ", "));
      throw e;
    }
  }
  for (auto it = state.sources.rbegin(); it != state.sources.rend(); ++it) {
    if ((*it)->status.count(MigrationState::applied) > 0) return **it;
  }
  return *state.sources.back();
}

void refresh_history(const Project& project, ProjectState& state, db::Connection& conn,
                     const HistoryStore* run_store) {
  std::optional<HistoryStore> own;
  if (!run_store) own.emplace(history_store_for(project));
  const HistoryStore& store = run_store ? *run_store : *own;
  for (auto& s : state.sources) {
    s->history = store.load(conn, *s->config, s->migrations);
    s->status = compute_status(s->migrations, s->history);
  }
}

ProjectState load_state(const Project& project, db::Connection& conn, const HistoryStore* store) {
  Project with_target = project;  // the tools' connection placeholders (${flyway:user}, ...)
  with_target.target = Project::TargetIdentity{conn.user(), conn.database()};
  return load(project, discover_all(with_target), &conn, store);
}
ProjectState load_local_state(const Project& project) {
  return load(project, discover_all(project), nullptr, nullptr);
}

ConnectedState open_and_load_state(const Project& project, const std::string& conninfo,
                                   const HistoryStore* store) {
  // The tools' connection placeholders (${flyway:user}, ...): who libpq will log in as.
  // (A string libpq cannot parse: none; opening the connection says what is wrong with it.)
  Project with_target = project;
  try {
    auto [user, database] = db::conninfo_user_database(conninfo);
    with_target.target = Project::TargetIdentity{user, database};
  } catch (const Error&) {
  }
  std::future<std::vector<DiscoveredSource>> files;
  try {
    files = std::async(std::launch::async, [&with_target] { return discover_all(with_target); });
  } catch (const std::system_error&) {  // no thread to spare: one after the other
    files = std::async(std::launch::deferred, [&with_target] { return discover_all(with_target); });
  }
  // A connection error wins over a file error, as when the two ran in turn; either way the
  // reading has finished before this returns (the future's destructor waits for it).
  db::Connection conn = db::Connection::open(conninfo);
  ProjectState state = load(project, files.get(), &conn, store);
  return ConnectedState{std::move(conn), std::move(state)};
}

}  // namespace strata
