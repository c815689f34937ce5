// Rule create-or-replace-function: CREATE FUNCTION without OR REPLACE fails when the function
// exists; later migrations that change it must use CREATE OR REPLACE anyway.
#include <fmt/format.h>

#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

class CreateOrReplaceFunction : public Rule {
 public:
  const char* id() const override { return "create-or-replace-function"; }
  Severity default_severity() const override { return Severity::info; }
  const char* summary() const override { return "write CREATE OR REPLACE FUNCTION"; }
  void check(const LintStatement& st, LintContext& ctx, std::vector<Diagnostic>& out) override {
    if (st.node->node_case != PG_QUERY__NODE__NODE_CREATE_FUNCTION_STMT) return;
    const auto* cf = st.node->create_function_stmt;
    if (cf->replace) return;
    const char* kind = cf->is_procedure ? "PROCEDURE" : "FUNCTION";
    report(ctx, out, st.start,
           fmt::format("CREATE {} `{}` without OR REPLACE fails if it already exists", kind,
                       ast::dotted(cf->funcname, cf->n_funcname)),
           fmt::format("write CREATE OR REPLACE {}", kind));
  }
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::CreateOrReplaceFunction)
