// Rule view-without-security-invoker: a view in an exposed schema runs with its owner's rights
// (usually bypassing RLS) unless created WITH (security_invoker = true) (PostgreSQL 15+).
#include <fmt/format.h>

#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

bool truthy(const PgQuery__Node* arg) {
  if (!arg) return true;  // WITH (security_invoker)
  if (arg->node_case == PG_QUERY__NODE__NODE_BOOLEAN) return arg->boolean->boolval;
  if (arg->node_case == PG_QUERY__NODE__NODE_INTEGER) return arg->integer->ival != 0;
  std::string s = ast::str(arg);
  if (arg->node_case == PG_QUERY__NODE__NODE_TYPE_NAME) s = ast::type_name(arg->type_name);
  return s == "true" || s == "on" || s == "yes" || s == "1" || s == "t";
}

class ViewWithoutSecurityInvoker : public Rule {
 public:
  const char* id() const override { return "view-without-security-invoker"; }
  Severity default_severity() const override { return Severity::warning; }
  const char* summary() const override {
    return "views in exposed schemas should use security_invoker";
  }
  void check(const LintStatement& st, LintContext& ctx, std::vector<Diagnostic>& out) override {
    if (st.node->node_case != PG_QUERY__NODE__NODE_VIEW_STMT) return;
    const auto* v = st.node->view_stmt;
    std::string name = ast::qualified(v->view);
    std::string schema = name.substr(0, name.find('.'));
    if (!ctx.exposed_schema(schema)) return;
    for (size_t i = 0; i < v->n_options; ++i) {
      const PgQuery__Node* o = v->options[i];
      if (o->node_case == PG_QUERY__NODE__NODE_DEF_ELEM && o->def_elem->defname &&
          std::string_view(o->def_elem->defname) == "security_invoker" && truthy(o->def_elem->arg))
        return;
    }
    report(ctx, out, LintContext::at(st, v->view->location),
           fmt::format("view `{}` in exposed schema `{}` runs with its owner's rights and "
                       "bypasses the RLS of the tables it reads",
                       name, schema),
           "create it `with (security_invoker = true)`, or move it out of the exposed schema");
  }
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::ViewWithoutSecurityInvoker)
