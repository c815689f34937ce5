// Rule prefer-identity-over-serial: prefer identity columns over serial.
#include <fmt/format.h>

#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

class PreferIdentityOverSerial : public Rule {
 public:
  const char* id() const override { return "prefer-identity-over-serial"; }
  Severity default_severity() const override { return Severity::warning; }
  const char* summary() const override { return "prefer identity columns over serial"; }
  void check(const LintStatement& st, LintContext& ctx, std::vector<Diagnostic>& out) override {
    for_each_column_type(st, [&](const std::string& column, const PgQuery__TypeName* t) {
      std::string type = ast::type_name(t);
      if (!(type == "serial" || type == "serial4" || type == "bigserial" || type == "serial8" ||
            type == "smallserial" || type == "serial2"))
        return;
      report(ctx, out, LintContext::at(st, t->location),
             fmt::format("column `{}` is `{}`: serial creates a loosely owned sequence with its "
                         "own privileges",
                         column, ast::display_type(type)),
             "use bigint generated always as identity");
    });
  }
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::PreferIdentityOverSerial)
