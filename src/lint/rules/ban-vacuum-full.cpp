// Rule ban-vacuum-full: VACUUM FULL rewrites the table under an ACCESS EXCLUSIVE lock for as long
// as the copy takes, and cannot run inside a migration's transaction.
#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

class BanVacuumFull : public Rule {
 public:
  const char* id() const override { return "ban-vacuum-full"; }
  Severity default_severity() const override { return Severity::warning; }
  const char* summary() const override {
    return "VACUUM FULL locks the table while it rewrites it";
  }
  void check(const LintStatement& st, LintContext& ctx, std::vector<Diagnostic>& out) override {
    if (st.node->node_case != PG_QUERY__NODE__NODE_VACUUM_STMT) return;
    const auto* vs = st.node->vacuum_stmt;
    for (size_t i = 0; i < vs->n_options; ++i) {
      const PgQuery__Node* o = vs->options[i];
      if (o->node_case == PG_QUERY__NODE__NODE_DEF_ELEM && o->def_elem->defname &&
          std::string_view(o->def_elem->defname) == "full") {
        report(ctx, out, st.start, "VACUUM FULL rewrites the table under an ACCESS EXCLUSIVE lock",
               "use plain VACUUM, or pg_repack to reclaim space online, outside migrations");
        return;
      }
    }
  }
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::BanVacuumFull)
