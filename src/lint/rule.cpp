// The rule registry: rules register a factory from their own file (STRATA_LINT_RULE).
#include "lint/rule.hpp"

#include <algorithm>

namespace strata::lint {
namespace {
std::vector<RuleInfo>& registry() {
  static std::vector<RuleInfo> r;
  return r;
}
bool sorted = false;
}  // namespace

RuleRegistrar::RuleRegistrar(std::function<std::unique_ptr<Rule>()> make) {
  std::unique_ptr<Rule> sample = make();
  registry().push_back(RuleInfo{sample->id(), sample->default_severity(), sample->summary(),
                                sample->default_enabled(), std::move(make)});
  sorted = false;
}

const std::vector<RuleInfo>& registered_rules() {
  if (!sorted) {
    std::sort(registry().begin(), registry().end(),
              [](const RuleInfo& a, const RuleInfo& b) { return a.id < b.id; });
    sorted = true;
  }
  return registry();
}

const RuleInfo* find_rule(const std::string& id) {
  for (const auto& r : registered_rules())
    if (r.id == id) return &r;
  return nullptr;
}

std::vector<std::unique_ptr<Rule>> make_rules() {
  std::vector<std::unique_ptr<Rule>> out;
  for (const auto& r : registered_rules()) out.push_back(r.make());
  return out;
}

const char* severity_name(Severity s) {
  switch (s) {
    case Severity::error:
      return "error";
    case Severity::warning:
      return "warning";
    case Severity::info:
      return "info";
  }
  return "warning";
}

bool parse_severity(std::string_view s, Severity& out) {
  if (s == "error")
    out = Severity::error;
  else if (s == "warning")
    out = Severity::warning;
  else if (s == "info")
    out = Severity::info;
  else
    return false;
  return true;
}

bool has_at_least(const std::vector<Diagnostic>& diags, Severity threshold) {
  for (const auto& d : diags)
    if (d.severity >= threshold) return true;
  return false;
}

bool has_errors(const std::vector<Diagnostic>& diags) {
  return has_at_least(diags, Severity::error);
}

}  // namespace strata::lint
