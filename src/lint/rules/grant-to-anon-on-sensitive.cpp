// Rule grant-to-anon-on-sensitive: GRANT ALL or write privileges (INSERT, UPDATE, DELETE,
// TRUNCATE) on tables to `anon` (or PUBLIC) lets unauthenticated API users change data wherever
// RLS does not stop them.
#include <fmt/format.h>

#include <cctype>

#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

class GrantToAnonOnSensitive : public Rule {
 public:
  const char* id() const override { return "grant-to-anon-on-sensitive"; }
  Severity default_severity() const override { return Severity::warning; }
  const char* summary() const override {
    return "do not grant ALL or write privileges on tables to anon";
  }
  void check(const LintStatement& st, LintContext& ctx, std::vector<Diagnostic>& out) override {
    if (st.node->node_case != PG_QUERY__NODE__NODE_GRANT_STMT) return;
    const auto* g = st.node->grant_stmt;
    if (!g->is_grant || g->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) return;
    std::string who;
    for (const auto& r : role_names(g->grantees, g->n_grantees))
      if (r == "anon" || r == "public") who += (who.empty() ? "" : ", ") + r;
    if (who.empty()) return;
    std::string privs;
    if (g->n_privileges == 0) privs = "ALL";
    for (size_t i = 0; i < g->n_privileges; ++i) {
      const PgQuery__Node* p = g->privileges[i];
      if (p->node_case != PG_QUERY__NODE__NODE_ACCESS_PRIV || !p->access_priv->priv_name) continue;
      std::string name = p->access_priv->priv_name;
      if (name == "insert" || name == "update" || name == "delete" || name == "truncate") {
        for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        privs += (privs.empty() ? "" : ", ") + name;
      }
    }
    if (privs.empty()) return;
    report(
        ctx, out, st.start,
        fmt::format("GRANT {} to {}: unauthenticated API users may change this data", privs, who),
        "grant anon only what it needs (usually SELECT) and rely on RLS policies for the rest");
  }
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::GrantToAnonOnSensitive)
