// Loading files and history for every source of a project.
#include "ops/project_state.hpp"

#include "migration/discover.hpp"

namespace strata {

HistoryStore history_store_for(const Project& project) {
  return HistoryStore(project.history_schema, project.supabase);
}

static ProjectState load(const Project& project, db::Connection* conn) {
  ProjectState st;
  HistoryStore store = history_store_for(project);
  for (const auto& src : project.sources) {
    auto s = std::make_unique<SourceState>();
    s->config = &src;
    DiscoveredSource d = discover_migrations(project, src);
    s->migrations = std::move(d.migrations);
    s->warnings = std::move(d.warnings);
    if (conn) s->history = store.load(*conn, src.name);
    s->status = compute_status(s->migrations, s->history);
    st.sources.push_back(std::move(s));
  }
  return st;
}

ProjectState load_state(const Project& project, db::Connection& conn) {
  return load(project, &conn);
}
ProjectState load_local_state(const Project& project) {
  return load(project, nullptr);
}

}  // namespace strata
