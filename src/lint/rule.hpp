// Rule: the interface every lint rule implements, and the registry rules add themselves to.
// Adding a rule = one file src/lint/rules/<rule-id>.cpp ending in STRATA_LINT_RULE(ClassName),
// fixtures in tests/fixtures/lint/<rule-id>/ and a page docs/lint/<rule-id>.md.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "lint/context.hpp"
#include "lint/diagnostic.hpp"

namespace strata::lint {

class Rule {
 public:
  virtual ~Rule() = default;
  virtual const char* id() const = 0;
  virtual Severity default_severity() const = 0;
  virtual const char* summary() const = 0;
  // Opt-in rules run only when listed in `[lint] enable`.
  virtual bool default_enabled() const { return true; }
  // Called for each parsed statement of each linted file, before the context learns from it.
  virtual void check(const LintStatement& st, LintContext& ctx, std::vector<Diagnostic>& out) = 0;
  // Called once per linted file before its statements (file-level checks).
  virtual void begin_file(LintContext& /*ctx*/, std::vector<Diagnostic>& /*out*/) {}
  // Called once after the whole set (set-level checks such as RLS).
  virtual void finish(LintContext& /*ctx*/, std::vector<Diagnostic>& /*out*/) {}

 protected:
  // A finding of this rule at a byte offset of the current file.
  void report(const LintContext& ctx, std::vector<Diagnostic>& out, size_t offset,
              std::string message, std::string help) const {
    report_at(out, ctx.file().path, offset, std::move(message), std::move(help));
  }
  void report_at(std::vector<Diagnostic>& out, const std::string& file, size_t offset,
                 std::string message, std::string help) const {
    Diagnostic d;
    d.rule = id();
    d.severity = default_severity();
    d.message = std::move(message);
    d.help = std::move(help);
    d.file = file;
    d.offset = offset;
    out.push_back(std::move(d));
  }
};

struct RuleInfo {
  std::string id;
  Severity severity;
  std::string summary;
  bool default_enabled;
  std::function<std::unique_ptr<Rule>()> make;
};

// Every registered rule, sorted by id.
const std::vector<RuleInfo>& registered_rules();
const RuleInfo* find_rule(const std::string& id);
// Fresh instances of every rule (rules may keep per-run state).
std::vector<std::unique_ptr<Rule>> make_rules();

struct RuleRegistrar {
  explicit RuleRegistrar(std::function<std::unique_ptr<Rule>()> make);
};

}  // namespace strata::lint

#define STRATA_LINT_CONCAT2(a, b) a##b
#define STRATA_LINT_CONCAT(a, b) STRATA_LINT_CONCAT2(a, b)
#define STRATA_LINT_RULE(Class)                                                         \
  namespace {                                                                           \
  const ::strata::lint::RuleRegistrar STRATA_LINT_CONCAT(registrar_, __LINE__){         \
      [] { return std::unique_ptr<::strata::lint::Rule>(std::make_unique<Class>()); }}; \
  }
