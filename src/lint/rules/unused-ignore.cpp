// Rule unused-ignore: a `-- strata-lint-ignore` comment that suppresses nothing (or names an
// unknown rule); the linter reports it under this id.
#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

class UnusedIgnore : public Rule {
 public:
  const char* id() const override { return "unused-ignore"; }
  Severity default_severity() const override { return Severity::warning; }
  const char* summary() const override { return "an ignore comment that suppresses nothing"; }
  void check(const LintStatement&, LintContext&, std::vector<Diagnostic>&) override {}
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::UnusedIgnore)
