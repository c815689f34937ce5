// Building ApplyOptions from the project configuration.
#include "ops/apply_options.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cctype>
#include <map>

namespace strata {

namespace {

std::string literal(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out.push_back('\'');
    out.push_back(c);
  }
  return out + "'";
}

// A privilege list as [grants] takes it: words, commas and blanks ("SELECT, INSERT", "ALL").
void check_privileges(const std::string& entry, const std::string& privs) {
  bool ok = !privs.empty() && privs.find_first_not_of(" ") != std::string::npos;
  for (char c : privs)
    if (!(std::isalpha(static_cast<unsigned char>(c)) || c == ' ' || c == ',' || c == '_'))
      ok = false;
  if (!ok) {
    Error e(
        fmt::format("strata.toml [grants] {}: \"{}\" is not a list of privileges", entry, privs),
        ExitCode::config);
    e.hint = "write privilege names separated by commas, e.g. \"SELECT, INSERT\" or \"ALL\"";
    throw e;
  }
}

// The GRANT wrapped so that a failure names the [grants] entry it came from, not the migration
// file it ran after: the server's SQLSTATE is kept.
std::string named_grant(const std::string& entry, const std::string& grant) {
  std::string body = fmt::format(
      "BEGIN {}; EXCEPTION WHEN OTHERS THEN RAISE EXCEPTION USING ERRCODE = SQLSTATE, MESSAGE = "
      "{} || SQLERRM, HINT = {}; END",
      grant,
      literal(
          fmt::format("strata.toml [grants] {}: {} failed after this migration: ", entry, grant)),
      literal("fix or remove that entry in strata.toml (the migration itself is fine)"));
  return "DO " + literal(body);
}

}  // namespace

namespace {

// Each [grants] entry ("usage", "tables.<role>", ...) with its GRANT statement.
std::vector<std::pair<std::string, std::string>> grant_entries(const Project& project) {
  std::vector<std::pair<std::string, std::string>> out;
  const GrantConfig& g = project.grants;
  if (g.empty()) return out;
  std::string schema = quote_ident(g.schema);
  auto roles = [](const std::vector<std::string>& rs) {
    std::vector<std::string> q;
    for (const auto& r : rs) q.push_back(quote_ident(r));
    return fmt::format("{}", fmt::join(q, ", "));
  };
  if (!g.usage.empty())
    out.emplace_back("usage",
                     fmt::format("GRANT USAGE ON SCHEMA {} TO {}", schema, roles(g.usage)));
  auto add = [&](const char* kind, const char* objects,
                 const std::vector<std::pair<std::string, std::string>>& entries) {
    for (const auto& [role, privs] : entries) {
      std::string entry = fmt::format("{}.{}", kind, role);
      check_privileges(entry, privs);
      out.emplace_back(entry, fmt::format("GRANT {} ON ALL {} IN SCHEMA {} TO {}", privs, objects,
                                          schema, quote_ident(role)));
    }
  };
  add("tables", "TABLES", g.tables);
  add("sequences", "SEQUENCES", g.sequences);
  add("functions", "FUNCTIONS", g.functions);
  return out;
}

}  // namespace

std::vector<std::string> grant_statements(const Project& project) {
  std::vector<std::string> out;
  for (const auto& [entry, grant] : grant_entries(project)) out.push_back(grant);
  return out;
}

ApplyOptions apply_options_for(const Project& project, bool applying) {
  ApplyOptions o;
  if (!project.app.schema.empty()) o.schema = quote_ident(project.app.schema);
  if (applying) {
    for (const auto& [entry, grant] : grant_entries(project))
      o.after.push_back({named_grant(entry, grant), {}});
  }
  return o;
}

}  // namespace strata
