// Rule ban-truncate: TRUNCATE deletes every row under an ACCESS EXCLUSIVE lock.
#include <fmt/format.h>

#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

class BanTruncate : public Rule {
 public:
  const char* id() const override { return "ban-truncate"; }
  Severity default_severity() const override { return Severity::error; }
  const char* summary() const override { return "TRUNCATE deletes every row"; }
  void check(const LintStatement& st, LintContext& ctx, std::vector<Diagnostic>& out) override {
    if (st.node->node_case != PG_QUERY__NODE__NODE_TRUNCATE_STMT) return;
    const auto* ts = st.node->truncate_stmt;
    std::string names;
    for (size_t i = 0; i < ts->n_relations; ++i) {
      if (ts->relations[i]->node_case != PG_QUERY__NODE__NODE_RANGE_VAR) continue;
      std::string t = ast::qualified(ts->relations[i]->range_var);
      if (ctx.is_new_table(t)) continue;
      names += (names.empty() ? "`" : ", `") + t + "`";
    }
    if (names.empty()) return;
    report(ctx, out, st.start, fmt::format("TRUNCATE deletes every row of {}", names),
           "delete data in a script you run on purpose, not in a schema migration");
  }
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::BanTruncate)
