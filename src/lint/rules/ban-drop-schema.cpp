// Rule ban-drop-schema: DROP SCHEMA removes every object in it (with CASCADE, silently).
#include <fmt/format.h>

#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

class BanDropSchema : public Rule {
 public:
  const char* id() const override { return "ban-drop-schema"; }
  Severity default_severity() const override { return Severity::error; }
  const char* summary() const override { return "DROP SCHEMA deletes every object in it"; }
  void check(const LintStatement& st, LintContext& ctx, std::vector<Diagnostic>& out) override {
    if (st.node->node_case != PG_QUERY__NODE__NODE_DROP_STMT) return;
    const auto* ds = st.node->drop_stmt;
    if (ds->remove_type != PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA) return;
    for (size_t i = 0; i < ds->n_objects; ++i) {
      report(ctx, out, st.start,
             fmt::format("DROP SCHEMA `{}` deletes {}", ast::str(ds->objects[i]),
                         ds->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE
                             ? "every object in it (CASCADE)"
                             : "it and fails if anything is left in it"),
             "drop the objects you mean to drop one by one, after their clients are gone");
    }
  }
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::BanDropSchema)
