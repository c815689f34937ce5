// Rule rls-not-enabled: a table created in an API-exposed schema (`public` by default) must get
// ENABLE ROW LEVEL SECURITY somewhere in the migration set, or anyone with the anon key can read
// and write it through the Data API.
#include <fmt/format.h>

#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

class RlsNotEnabled : public Rule {
 public:
  const char* id() const override { return "rls-not-enabled"; }
  Severity default_severity() const override { return Severity::error; }
  const char* summary() const override {
    return "tables in exposed schemas must enable row level security";
  }
  void check(const LintStatement&, LintContext&, std::vector<Diagnostic>&) override {}
  void finish(LintContext& ctx, std::vector<Diagnostic>& out) override {
    for (const auto& [name, t] : ctx.tables) {
      if (!t.created_linted || t.rls) continue;
      std::string schema = name.substr(0, name.find('.'));
      if (!ctx.exposed_schema(schema)) continue;
      report_at(out, t.created_at.file, t.created_at.offset,
                fmt::format("table `{}` is in the exposed schema `{}` but row level security is "
                            "never enabled in the migration set",
                            name, schema),
                fmt::format("add `alter table {} enable row level security;` and policies for "
                            "the roles that need access",
                            name));
    }
  }
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::RlsNotEnabled)
