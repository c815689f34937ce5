// Rule policy-permissive-true: a permissive policy with USING (true) or WITH CHECK (true) for
// anon/authenticated/public gives those roles every row. An error for writes, a warning for
// SELECT (public read is sometimes intended).
#include <fmt/format.h>

#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

bool is_true(const PgQuery__Node* n) {
  if (!n) return false;
  if (n->node_case == PG_QUERY__NODE__NODE_A_CONST)
    return n->a_const->val_case == PG_QUERY__A__CONST__VAL_BOOLVAL && n->a_const->boolval &&
           n->a_const->boolval->boolval;
  if (n->node_case == PG_QUERY__NODE__NODE_TYPE_CAST) return is_true(n->type_cast->arg);
  return false;
}

class PolicyPermissiveTrue : public Rule {
 public:
  const char* id() const override { return "policy-permissive-true"; }
  Severity default_severity() const override { return Severity::error; }
  const char* summary() const override {
    return "a USING (true) policy for anon/authenticated opens every row";
  }
  void check(const LintStatement& st, LintContext& ctx, std::vector<Diagnostic>& out) override {
    if (st.node->node_case != PG_QUERY__NODE__NODE_CREATE_POLICY_STMT) return;
    const auto* p = st.node->create_policy_stmt;
    if (!p->permissive) return;
    auto roles = role_names(p->roles, p->n_roles);
    std::string who;
    for (const auto& r : roles)
      if (r == "anon" || r == "authenticated" || r == "public")
        who += (who.empty() ? "" : ", ") + r;
    if (roles.empty()) who = "public";
    if (who.empty()) return;
    const PgQuery__Node* open = is_true(p->qual)         ? p->qual
                                : is_true(p->with_check) ? p->with_check
                                                         : nullptr;
    if (!open) return;
    std::string cmd = p->cmd_name ? p->cmd_name : "all";
    int32_t loc = open->node_case == PG_QUERY__NODE__NODE_A_CONST ? open->a_const->location : -1;
    report(ctx, out, LintContext::at(st, loc),
           fmt::format("policy `{}` on `{}` lets {} {} every row",
                       p->policy_name ? p->policy_name : "", ast::qualified(p->table), who,
                       cmd == "select" ? "read" : "read or write"),
           "restrict it, e.g. USING ((select auth.uid()) = user_id); keep USING (true) only for "
           "data meant to be public, and only FOR SELECT");
    if (cmd == "select") out.back().severity = Severity::warning;
  }
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::PolicyPermissiveTrue)
