// Reading the `[lint]` table of strata.toml with toml++.
#include "lint/lint_config.hpp"

#include <fmt/format.h>
#include <fnmatch.h>

#include <toml++/toml.h>
#include <fstream>
#include <sstream>

#include "util/error.hpp"

namespace strata::lint {

bool LintConfig::excluded(const std::string& display_path) const {
  for (const auto& glob : exclude) {
    if (fnmatch(glob.c_str(), display_path.c_str(), 0) == 0) return true;
    // A bare file name pattern also matches in any folder.
    auto slash = display_path.rfind('/');
    if (glob.find('/') == std::string::npos && slash != std::string::npos &&
        fnmatch(glob.c_str(), display_path.c_str() + slash + 1, 0) == 0)
      return true;
  }
  return false;
}

namespace {

[[noreturn]] void bad(const std::string& origin, const std::string& what) {
  Error e(fmt::format("{}: [lint] {}", origin, what), ExitCode::config);
  e.hint = "see docs/lint/README.md for the [lint] settings";
  throw e;
}

std::vector<std::string> strings(const toml::node* node, const std::string& origin,
                                 const char* key) {
  std::vector<std::string> out;
  if (!node) return out;
  const toml::array* arr = node->as_array();
  if (!arr) bad(origin, fmt::format("`{}` must be a list of strings", key));
  for (const auto& item : *arr) {
    auto s = item.value<std::string>();
    if (!s) bad(origin, fmt::format("`{}` must be a list of strings", key));
    out.push_back(*s);
  }
  return out;
}

}  // namespace

LintConfig parse_lint_config(const std::string& toml_text, const std::string& origin) {
  LintConfig c;
  toml::table t;
  try {
    t = toml::parse(toml_text, origin);
  } catch (const toml::parse_error& e) {
    bad(origin, fmt::format("cannot parse: {}", e.description()));
  }
  const toml::table* lint = t["lint"].as_table();
  if (!lint) return c;
  for (auto& s : strings(lint->get("disable"), origin, "disable")) c.disable.insert(s);
  for (auto& s : strings(lint->get("enable"), origin, "enable")) c.enable.insert(s);
  c.exclude = strings(lint->get("exclude"), origin, "exclude");
  if (lint->get("exposed_schemas"))
    c.exposed_schemas = strings(lint->get("exposed_schemas"), origin, "exposed_schemas");
  if (auto p = (*lint)["file_pattern"].value<std::string>()) c.file_pattern = *p;
  if (auto p = (*lint)["object_pattern"].value<std::string>()) c.object_pattern = *p;
  if (const toml::node* sev = lint->get("severity")) {
    const toml::table* st = sev->as_table();
    if (!st)
      bad(origin, "`severity` must be a table of rule-id = \"error\"|\"warning\"|\"info\"|\"off\"");
    for (const auto& [key, value] : *st) {
      auto v = value.value<std::string>();
      Severity s;
      if (v && *v == "off") {
        c.severity[std::string(key.str())] = std::nullopt;
      } else if (v && parse_severity(*v, s)) {
        c.severity[std::string(key.str())] = s;
      } else {
        bad(origin, fmt::format("severity of `{}` must be \"error\", \"warning\", \"info\" or "
                                "\"off\"",
                                key.str()));
      }
    }
  }
  return c;
}

LintConfig load_lint_config(const std::filesystem::path& project_root) {
  std::filesystem::path file = project_root / "strata.toml";
  std::ifstream in(file);
  if (!in) return {};
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_lint_config(ss.str(), file.string());
}

}  // namespace strata::lint
