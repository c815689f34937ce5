// Rule prefer-bigint-over-int: prefer bigint over int and smallint, which can run out.
#include <fmt/format.h>

#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

class PreferBigintOverInt : public Rule {
 public:
  const char* id() const override { return "prefer-bigint-over-int"; }
  Severity default_severity() const override { return Severity::warning; }
  const char* summary() const override {
    return "prefer bigint over int and smallint, which can run out";
  }
  void check(const LintStatement& st, LintContext& ctx, std::vector<Diagnostic>& out) override {
    for_each_column_type(st, [&](const std::string& column, const PgQuery__TypeName* t) {
      std::string type = ast::type_name(t);
      if (!(type == "int4" || type == "int2" || type == "serial" || type == "serial4" ||
            type == "smallserial" || type == "serial2"))
        return;
      report(ctx, out, LintContext::at(st, t->location),
             fmt::format("column `{}` is `{}`: 32-bit and smaller integers run out (2^31 ids) and "
                         "are painful to widen later",
                         column, ast::display_type(type)),
             "use bigint (or bigint generated always as identity for ids)");
    });
  }
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::PreferBigintOverInt)
