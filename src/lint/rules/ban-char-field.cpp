// Rule ban-char-field: do not use char(n).
#include <fmt/format.h>

#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

class BanCharField : public Rule {
 public:
  const char* id() const override { return "ban-char-field"; }
  Severity default_severity() const override { return Severity::warning; }
  const char* summary() const override { return "do not use char(n)"; }
  void check(const LintStatement& st, LintContext& ctx, std::vector<Diagnostic>& out) override {
    for_each_column_type(st, [&](const std::string& column, const PgQuery__TypeName* t) {
      std::string type = ast::type_name(t);
      if (!(type == "bpchar")) return;
      report(
          ctx, out, LintContext::at(st, t->location),
          fmt::format(
              "column `{}` is `{}(n)`: it pads with spaces, compares surprisingly and is no faster",
              column, ast::display_type(type)),
          "use text (or varchar) instead of char(n)");
    });
  }
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::BanCharField)
