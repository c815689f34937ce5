// Rule ban-create-domain-with-constraint: a domain's CHECK is validated against every column of
// that domain whenever it is changed later (ALTER DOMAIN scans all of them under heavy locks);
// constraints on the columns themselves are easier to change safely.
#include <fmt/format.h>

#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

class BanCreateDomainWithConstraint : public Rule {
 public:
  const char* id() const override { return "ban-create-domain-with-constraint"; }
  Severity default_severity() const override { return Severity::warning; }
  const char* summary() const override { return "put CHECK constraints on columns, not domains"; }
  void check(const LintStatement& st, LintContext& ctx, std::vector<Diagnostic>& out) override {
    if (st.node->node_case != PG_QUERY__NODE__NODE_CREATE_DOMAIN_STMT) return;
    const auto* d = st.node->create_domain_stmt;
    for (size_t i = 0; i < d->n_constraints; ++i) {
      const PgQuery__Node* c = d->constraints[i];
      if (c->node_case != PG_QUERY__NODE__NODE_CONSTRAINT ||
          c->constraint->contype != PG_QUERY__CONSTR_TYPE__CONSTR_CHECK)
        continue;
      report(ctx, out, LintContext::at(st, c->constraint->location),
             fmt::format("domain `{}` has a CHECK constraint: changing it later validates every "
                         "column of the domain under heavy locks",
                         ast::dotted(d->domainname, d->n_domainname)),
             "put the CHECK on the table columns (NOT VALID + VALIDATE when added later)");
      return;
    }
  }
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::BanCreateDomainWithConstraint)
