// Rule foreign-key-without-index: a foreign key whose columns are not the leading columns of
// any index makes deletes/updates on the referenced table scan this one, and joins slow.
#include <fmt/format.h>

#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

bool covered(const std::vector<std::string>& fk, const std::vector<std::vector<std::string>>& idx) {
  for (const auto& cols : idx) {
    if (cols.size() < fk.size()) continue;
    bool ok = true;
    for (const auto& c : fk)
      if (std::find(cols.begin(), cols.begin() + static_cast<long>(fk.size()), c) ==
          cols.begin() + static_cast<long>(fk.size()))
        ok = false;
    if (ok) return true;
  }
  return false;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

class ForeignKeyWithoutIndex : public Rule {
 public:
  const char* id() const override { return "foreign-key-without-index"; }
  Severity default_severity() const override { return Severity::warning; }
  const char* summary() const override { return "index the columns of every foreign key"; }
  void check(const LintStatement&, LintContext&, std::vector<Diagnostic>&) override {}
  void finish(LintContext& ctx, std::vector<Diagnostic>& out) override {
    for (const auto& [name, t] : ctx.tables) {
      for (const auto& fk : t.foreign_keys) {
        if (covered(fk.columns, t.indexes)) continue;
        std::string cols = join(fk.columns);
        report_at(out, fk.at.file, fk.at.offset,
                  fmt::format("foreign key ({}) on `{}` has no index", cols, name),
                  // A table created in the same file is empty: no need for CONCURRENTLY.
                  fmt::format("create index {}on {} ({});",
                              t.created_at.file == fk.at.file ? "" : "concurrently ", name, cols));
      }
    }
  }
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::ForeignKeyWithoutIndex)
