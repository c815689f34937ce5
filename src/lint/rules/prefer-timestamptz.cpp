// Rule prefer-timestamptz: prefer timestamptz over timestamp without time zone.
#include <fmt/format.h>

#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

class PreferTimestamptz : public Rule {
 public:
  const char* id() const override { return "prefer-timestamptz"; }
  Severity default_severity() const override { return Severity::warning; }
  const char* summary() const override {
    return "prefer timestamptz over timestamp without time zone";
  }
  void check(const LintStatement& st, LintContext& ctx, std::vector<Diagnostic>& out) override {
    for_each_column_type(st, [&](const std::string& column, const PgQuery__TypeName* t) {
      std::string type = ast::type_name(t);
      if (!(type == "timestamp")) return;
      report(ctx, out, LintContext::at(st, t->location),
             fmt::format("column `{}` is `{}` without time zone: values lose their offset and "
                         "shift with the session time zone",
                         column, ast::display_type(type)),
             "use timestamptz");
    });
  }
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::PreferTimestamptz)
