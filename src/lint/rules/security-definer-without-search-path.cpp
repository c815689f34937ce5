// Rule security-definer-without-search-path: a SECURITY DEFINER function without its own
// `SET search_path` resolves names with the caller's search_path, so a caller can make it run
// their objects with the owner's rights.
#include <fmt/format.h>

#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

class SecurityDefinerWithoutSearchPath : public Rule {
 public:
  const char* id() const override { return "security-definer-without-search-path"; }
  Severity default_severity() const override { return Severity::error; }
  const char* summary() const override { return "SECURITY DEFINER functions must SET search_path"; }
  void check(const LintStatement& st, LintContext& ctx, std::vector<Diagnostic>& out) override {
    if (st.node->node_case != PG_QUERY__NODE__NODE_CREATE_FUNCTION_STMT) return;
    const auto* cf = st.node->create_function_stmt;
    bool definer = false, search_path = false;
    int32_t loc = -1;
    for (size_t i = 0; i < cf->n_options; ++i) {
      const PgQuery__Node* o = cf->options[i];
      if (o->node_case != PG_QUERY__NODE__NODE_DEF_ELEM || !o->def_elem->defname) continue;
      std::string_view name = o->def_elem->defname;
      const PgQuery__Node* arg = o->def_elem->arg;
      if (name == "security" && arg && arg->node_case == PG_QUERY__NODE__NODE_BOOLEAN &&
          arg->boolean->boolval) {
        definer = true;
        loc = o->def_elem->location;
      }
      if (name == "set" && arg && arg->node_case == PG_QUERY__NODE__NODE_VARIABLE_SET_STMT &&
          arg->variable_set_stmt->name &&
          std::string_view(arg->variable_set_stmt->name) == "search_path")
        search_path = true;
    }
    if (!definer || search_path) return;
    report(ctx, out, LintContext::at(st, loc),
           fmt::format("SECURITY DEFINER function `{}` has no SET search_path: callers can "
                       "hijack the names it uses",
                       ast::dotted(cf->funcname, cf->n_funcname)),
           "add `set search_path = ''` and schema-qualify every name in the body");
  }
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::SecurityDefinerWithoutSearchPath)
