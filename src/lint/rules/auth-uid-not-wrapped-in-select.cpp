// Rule auth-uid-not-wrapped-in-select: auth.uid() (and auth.jwt(), auth.role(),
// current_setting()) called directly in a policy runs once per row; `(select auth.uid())` is
// evaluated once per statement (an initPlan), which is much faster on big tables.
#include <fmt/format.h>

#include <set>

#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

void find_bare_calls(const PgQuery__Node* n, std::vector<const PgQuery__FuncCall*>& out) {
  static const std::set<std::string> fns = {"auth.uid", "auth.jwt", "auth.role", "current_setting"};
  ast::walk(n, [&](const ProtobufCMessage* m) {
    if (m->descriptor == &pg_query__sub_link__descriptor) return false;  // (select ...) is fine
    if (m->descriptor == &pg_query__func_call__descriptor) {
      const auto* f = reinterpret_cast<const PgQuery__FuncCall*>(m);
      if (fns.count(ast::func_name(f))) out.push_back(f);
    }
    return true;
  });
}

class AuthUidNotWrappedInSelect : public Rule {
 public:
  const char* id() const override { return "auth-uid-not-wrapped-in-select"; }
  Severity default_severity() const override { return Severity::warning; }
  const char* summary() const override {
    return "write (select auth.uid()) in policies so it runs once, not per row";
  }
  void check(const LintStatement& st, LintContext& ctx, std::vector<Diagnostic>& out) override {
    const PgQuery__Node *qual = nullptr, *with_check = nullptr;
    if (st.node->node_case == PG_QUERY__NODE__NODE_CREATE_POLICY_STMT) {
      qual = st.node->create_policy_stmt->qual;
      with_check = st.node->create_policy_stmt->with_check;
    } else if (st.node->node_case == PG_QUERY__NODE__NODE_ALTER_POLICY_STMT) {
      qual = st.node->alter_policy_stmt->qual;
      with_check = st.node->alter_policy_stmt->with_check;
    } else {
      return;
    }
    std::vector<const PgQuery__FuncCall*> calls;
    find_bare_calls(qual, calls);
    find_bare_calls(with_check, calls);
    for (const auto* f : calls) {
      std::string name = ast::func_name(f);
      report(ctx, out, LintContext::at(st, f->location),
             fmt::format("`{}()` in a policy is evaluated for every row", name),
             fmt::format("wrap it: `(select {}())`", name));
    }
  }
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::AuthUidNotWrappedInSelect)
