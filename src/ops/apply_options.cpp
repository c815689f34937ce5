// Building ApplyOptions from the project configuration.
#include "ops/apply_options.hpp"

#include <fmt/format.h>

namespace strata {

std::vector<std::string> grant_statements(const Project& project) {
  std::vector<std::string> out;
  const GrantConfig& g = project.grants;
  if (g.empty()) return out;
  std::string schema = quote_ident(g.schema);
  auto roles = [](const std::vector<std::string>& rs) {
    std::vector<std::string> q;
    for (const auto& r : rs) q.push_back(quote_ident(r));
    return fmt::format("{}", fmt::join(q, ", "));
  };
  if (!g.usage.empty())
    out.push_back(fmt::format("GRANT USAGE ON SCHEMA {} TO {}", schema, roles(g.usage)));
  for (const auto& [role, privs] : g.tables)
    out.push_back(
        fmt::format("GRANT {} ON ALL TABLES IN SCHEMA {} TO {}", privs, schema, quote_ident(role)));
  for (const auto& [role, privs] : g.sequences)
    out.push_back(fmt::format("GRANT {} ON ALL SEQUENCES IN SCHEMA {} TO {}", privs, schema,
                              quote_ident(role)));
  for (const auto& [role, privs] : g.functions)
    out.push_back(fmt::format("GRANT {} ON ALL FUNCTIONS IN SCHEMA {} TO {}", privs, schema,
                              quote_ident(role)));
  return out;
}

ApplyOptions apply_options_for(const Project& project, const SourceConfig& source,
                               const Migration& m, const HistoryStore& store, bool applying) {
  ApplyOptions o;
  if (!project.app.schema.empty()) o.schema = quote_ident(project.app.schema);
  if (applying) {
    for (auto& g : grant_statements(project)) o.after.push_back({g, {}});
  }
  auto legacy = store.record_legacy(source, m, applying);
  o.after.insert(o.after.end(), legacy.begin(), legacy.end());
  return o;
}

}  // namespace strata
