// LintConfig: the `[lint]` table of strata.toml (see docs/lint/README.md): rules to disable or to
// enable (opt-in rules), severity overrides, excluded paths, and naming patterns.
#pragma once
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "lint/diagnostic.hpp"

namespace strata::lint {

struct LintConfig {
  std::set<std::string> disable;  // rule ids switched off
  std::set<std::string> enable;   // opt-in rules switched on
  // rule id -> severity; std::nullopt = "off"
  std::map<std::string, std::optional<Severity>> severity;
  std::vector<std::string> exclude;                    // globs matched against display paths
  std::vector<std::string> exposed_schemas{"public"};  // schemas the API exposes
  std::string file_pattern;    // naming-convention: regex a migration file name must match
  std::string object_pattern;  // naming-convention: regex new object names must match

  bool excluded(const std::string& display_path) const;
};

// Reads `[lint]` from <root>/strata.toml (defaults when the file or table is absent). Throws
// Error(ExitCode::config) for a wrong type or an unknown severity.
LintConfig load_lint_config(const std::filesystem::path& project_root);
// The same, from TOML text (for tests). `origin` names it in error messages.
LintConfig parse_lint_config(const std::string& toml_text, const std::string& origin);

}  // namespace strata::lint
