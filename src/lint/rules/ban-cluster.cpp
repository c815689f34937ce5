// Rule ban-cluster: CLUSTER rewrites the table in index order under an ACCESS EXCLUSIVE lock.
#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

class BanCluster : public Rule {
 public:
  const char* id() const override { return "ban-cluster"; }
  Severity default_severity() const override { return Severity::warning; }
  const char* summary() const override { return "CLUSTER locks the table while it rewrites it"; }
  void check(const LintStatement& st, LintContext& ctx, std::vector<Diagnostic>& out) override {
    if (st.node->node_case != PG_QUERY__NODE__NODE_CLUSTER_STMT) return;
    report(ctx, out, st.start, "CLUSTER rewrites the table under an ACCESS EXCLUSIVE lock",
           "run it (or pg_repack) by hand in a maintenance window, not in a migration");
  }
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::BanCluster)
