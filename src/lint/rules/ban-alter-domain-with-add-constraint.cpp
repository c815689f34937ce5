// Rule ban-alter-domain-with-add-constraint: ALTER DOMAIN ... ADD CONSTRAINT checks every column
// that uses the domain, in every table, while holding locks on them.
#include <fmt/format.h>

#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

class BanAlterDomainWithAddConstraint : public Rule {
 public:
  const char* id() const override { return "ban-alter-domain-with-add-constraint"; }
  Severity default_severity() const override { return Severity::warning; }
  const char* summary() const override {
    return "ALTER DOMAIN ADD CONSTRAINT scans every column of the domain";
  }
  void check(const LintStatement& st, LintContext& ctx, std::vector<Diagnostic>& out) override {
    if (st.node->node_case != PG_QUERY__NODE__NODE_ALTER_DOMAIN_STMT) return;
    const auto* d = st.node->alter_domain_stmt;
    if (!d->subtype || std::string_view(d->subtype) != "C") return;  // 'C' = ADD CONSTRAINT
    if (d->def && d->def->node_case == PG_QUERY__NODE__NODE_CONSTRAINT &&
        d->def->constraint->skip_validation)
      return;
    report(ctx, out, st.start,
           fmt::format("ALTER DOMAIN `{}` ADD CONSTRAINT validates every column that uses the "
                       "domain while locking their tables",
                       ast::dotted(d->type_name, d->n_type_name)),
           "add it NOT VALID and VALIDATE CONSTRAINT separately, or constrain the columns instead");
  }
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::BanAlterDomainWithAddConstraint)
