// Data-driven lint tests: every registered rule has tests/fixtures/lint/<rule-id>/ with ok.sql
// (no finding from that rule), err.sql and err.expected (the exact rendered text of that rule's
// findings). Optional config.toml holds `[lint]` settings; `-- file: NAME.sql` lines split a
// fixture into several migration files. STRATA_UPDATE_FIXTURES=1 rewrites err.expected.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "lint/linter.hpp"
#include "lint/render.hpp"
#include "lint/rule.hpp"
#include "migration/migration.hpp"
#include "migration/version.hpp"

namespace fs = std::filesystem;
using namespace strata;
using namespace strata::lint;

namespace {

const fs::path kDir = fs::path(STRATA_FIXTURES) / "lint";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<LintInput> inputs_for(const std::string& rule, const std::string& name,
                                  const std::string& text) {
  std::vector<LintInput> out;
  static const std::string kMarker = "-- file: ";
  if (text.rfind(kMarker, 0) != 0) {
    Migration m;
    apply_directives(m, text);
    out.push_back({rule + "/" + name, m.text, "", true, m.no_transaction});
    return out;
  }
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    std::string file = text.substr(pos + kMarker.size(), eol - pos - kMarker.size());
    size_t next = text.find("\n" + kMarker, eol);
    std::string body =
        text.substr(eol + 1, next == std::string::npos ? std::string::npos : next - eol);
    LintInput in{rule + "/" + file, body, "", true, false};
    if (auto v = parse_versioned_name(file)) in.version = v->version;
    out.push_back(in);
    pos = next == std::string::npos ? text.size() : next + 1;
  }
  return out;
}

LintResult run_fixture(const std::string& rule, const std::string& name) {
  fs::path dir = kDir / rule;
  LintOptions o;
  if (fs::exists(dir / "config.toml"))
    o.config = parse_lint_config(slurp(dir / "config.toml"), (dir / "config.toml").string());
  LintResult r = lint_files(inputs_for(rule, name, slurp(dir / name)), o);
  std::vector<Diagnostic> mine;
  for (auto& d : r.diagnostics)
    if (d.rule == rule) mine.push_back(d);
  r.diagnostics = mine;
  return r;
}

std::vector<std::string> fixture_rules() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(kDir))
    if (e.is_directory()) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST(LintFixtures, EveryRuleHasFixturesAndEveryFixtureARule) {
  std::set<std::string> folders;
  for (const auto& f : fixture_rules()) folders.insert(f);
  ASSERT_FALSE(registered_rules().empty());
  for (const auto& r : registered_rules()) {
    EXPECT_TRUE(folders.count(r.id)) << "rule " << r.id << " has no tests/fixtures/lint folder";
    for (const char* f : {"ok.sql", "err.sql", "err.expected"})
      EXPECT_TRUE(fs::exists(kDir / r.id / f)) << r.id << "/" << f << " is missing";
    EXPECT_TRUE(
        fs::exists(fs::path(STRATA_FIXTURES) / ".." / ".." / "docs" / "lint" / (r.id + ".md")))
        << "rule " << r.id << " has no docs/lint page";
  }
  for (const auto& f : folders)
    EXPECT_TRUE(find_rule(f)) << "fixture folder " << f << " has no rule";
}

TEST(LintFixtures, OkFilesHaveNoFindingOfTheirRule) {
  for (const auto& rule : fixture_rules()) {
    if (!fs::exists(kDir / rule / "ok.sql")) continue;
    LintResult r = run_fixture(rule, "ok.sql");
    EXPECT_TRUE(r.diagnostics.empty()) << rule << "/ok.sql:\n" << render_text(r);
  }
}

TEST(LintFixtures, ErrFilesRenderAsExpected) {
  bool update = std::getenv("STRATA_UPDATE_FIXTURES") != nullptr;
  for (const auto& rule : fixture_rules()) {
    if (!fs::exists(kDir / rule / "err.sql")) continue;
    LintResult r = run_fixture(rule, "err.sql");
    std::string text = render_text(r);
    EXPECT_FALSE(r.diagnostics.empty()) << rule << "/err.sql has no finding";
    fs::path expected = kDir / rule / "err.expected";
    if (update) {
      std::ofstream(expected, std::ios::binary) << text;
      continue;
    }
    EXPECT_EQ(slurp(expected), text) << rule << "/err.expected differs";
    fs::path page = fs::path(STRATA_FIXTURES) / ".." / ".." / "docs" / "lint" / (rule + ".md");
    EXPECT_NE(slurp(page).find(text), std::string::npos)
        << "docs/lint/" << rule << ".md does not show the current err.expected: run "
        << "scripts/sync-lint-docs.py";
  }
}
