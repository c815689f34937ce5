// Rule require-concurrent-index-creation: CREATE INDEX without CONCURRENTLY on an existing table
// blocks every write to it while the index builds.
#include <fmt/format.h>

#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

class RequireConcurrentIndexCreation : public Rule {
 public:
  const char* id() const override { return "require-concurrent-index-creation"; }
  Severity default_severity() const override { return Severity::warning; }
  const char* summary() const override {
    return "CREATE INDEX on an existing table must use CONCURRENTLY";
  }
  void check(const LintStatement& st, LintContext& ctx, std::vector<Diagnostic>& out) override {
    if (st.node->node_case != PG_QUERY__NODE__NODE_INDEX_STMT) return;
    const auto* is = st.node->index_stmt;
    std::string table = ast::qualified(is->relation);
    if (is->concurrent || ctx.is_new_table(table)) return;
    report(ctx, out, st.start,
           fmt::format("CREATE INDEX without CONCURRENTLY blocks writes to `{}` while it builds",
                       table),
           "use CREATE INDEX CONCURRENTLY (strata then runs this file outside a transaction)");
  }
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::RequireConcurrentIndexCreation)
