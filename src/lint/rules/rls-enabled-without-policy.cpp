// Rule rls-enabled-without-policy: RLS enabled on a table that has no policy in the migration
// set: every API request sees no rows (often an accident, sometimes intended for service-only
// tables).
#include <fmt/format.h>

#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

class RlsEnabledWithoutPolicy : public Rule {
 public:
  const char* id() const override { return "rls-enabled-without-policy"; }
  Severity default_severity() const override { return Severity::warning; }
  const char* summary() const override { return "RLS is enabled but the table has no policy"; }
  void check(const LintStatement&, LintContext&, std::vector<Diagnostic>&) override {}
  void finish(LintContext& ctx, std::vector<Diagnostic>& out) override {
    for (const auto& [name, t] : ctx.tables) {
      // Only tables whose whole history is in the set: older ones may have policies we never saw.
      if (!t.rls || !t.rls_linted || t.policies > 0 || t.created_file < 0) continue;
      report_at(out, t.rls_at.file, t.rls_at.offset,
                fmt::format("row level security is enabled on `{}` but no policy is created for "
                            "it: API roles see no rows",
                            name),
                "create policies for the roles that need access (or ignore this for "
                "service-role-only tables)");
    }
  }
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::RlsEnabledWithoutPolicy)
