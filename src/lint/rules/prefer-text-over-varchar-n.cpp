// Rule prefer-text-over-varchar-n: prefer text (with a CHECK) over varchar(n).
#include <fmt/format.h>

#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

class PreferTextOverVarcharN : public Rule {
 public:
  const char* id() const override { return "prefer-text-over-varchar-n"; }
  Severity default_severity() const override { return Severity::warning; }
  const char* summary() const override { return "prefer text (with a CHECK) over varchar(n)"; }
  void check(const LintStatement& st, LintContext& ctx, std::vector<Diagnostic>& out) override {
    for_each_column_type(st, [&](const std::string& column, const PgQuery__TypeName* t) {
      std::string type = ast::type_name(t);
      if (!(type == "varchar" && t->n_typmods > 0)) return;
      report(ctx, out, LintContext::at(st, t->location),
             fmt::format("column `{}` is `{}(n)`: changing the limit later takes an exclusive "
                         "lock, and varchar(n) is no faster than text",
                         column, ast::display_type(type)),
             "use text, with a CHECK (char_length(col) <= n) constraint if a limit is needed");
    });
  }
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::PreferTextOverVarcharN)
