// Rule unparsed: statements the PostgreSQL 15 parser cannot read (newer syntax or typos) are not
// linted; the linter reports them once per file under this id.
#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

class Unparsed : public Rule {
 public:
  const char* id() const override { return "unparsed"; }
  Severity default_severity() const override { return Severity::warning; }
  const char* summary() const override {
    return "statements the parser cannot read are not linted";
  }
  void check(const LintStatement&, LintContext&, std::vector<Diagnostic>&) override {}
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::Unparsed)
