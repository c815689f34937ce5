// Rule version-gap: in a sequentially numbered project (001_, 002_, ...; not timestamps) a
// missing number usually means a lost or unmerged migration.
#include <fmt/format.h>

#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

bool sequential_version(const std::string& v) {
  if (v.empty() || v.size() > 6) return false;  // longer prefixes are dates/timestamps
  for (char c : v)
    if (c < '0' || c > '9') return false;
  return true;
}

class VersionGap : public Rule {
 public:
  const char* id() const override { return "version-gap"; }
  Severity default_severity() const override { return Severity::warning; }
  const char* summary() const override {
    return "sequential migration numbers should have no gaps";
  }
  void check(const LintStatement&, LintContext&, std::vector<Diagnostic>&) override {}
  void finish(LintContext& ctx, std::vector<Diagnostic>& out) override {
    const auto& files = ctx.files;
    if (files.size() < 2) return;
    for (const LintFile* f : files)
      if (!sequential_version(f->version)) return;
    for (size_t i = 1; i < files.size(); ++i) {
      long prev = std::stol(files[i - 1]->version), cur = std::stol(files[i]->version);
      if (cur <= prev + 1 || !files[i]->linted) continue;
      report_at(
          out, files[i]->path, 0,
          fmt::format("version {} follows {}: {} missing", files[i]->version, files[i - 1]->version,
                      cur == prev + 2 ? fmt::format("{} is", prev + 1)
                                      : fmt::format("{}..{} are", prev + 1, cur - 1)),
          "check for a lost or unmerged migration, or renumber this one before it is "
          "applied anywhere");
    }
  }
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::VersionGap)
