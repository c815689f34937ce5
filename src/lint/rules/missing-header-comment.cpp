// Rule missing-header-comment (opt-in): a migration should start with a comment saying what it
// does and why (seed checklist). Enable with `[lint] enable = ["missing-header-comment"]`.
#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

class MissingHeaderComment : public Rule {
 public:
  const char* id() const override { return "missing-header-comment"; }
  Severity default_severity() const override { return Severity::info; }
  const char* summary() const override { return "a migration starts with a comment saying why"; }
  bool default_enabled() const override { return false; }
  void begin_file(LintContext& ctx, std::vector<Diagnostic>& out) override {
    std::string_view text = ctx.file().text;
    size_t p = text.find_first_not_of(" \t\r\n");
    if (p == std::string_view::npos) return;
    if (text.substr(p, 2) == "--" || text.substr(p, 2) == "/*") return;
    report(ctx, out, p, "the migration does not start with a comment",
           "begin the file with `-- <what this migration does and why>`");
  }
  void check(const LintStatement&, LintContext&, std::vector<Diagnostic>&) override {}
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::MissingHeaderComment)
