// Lint unit tests: inline ignores and unused-ignore, [lint] config, unparsed statements,
// multi-file context, positions, and the output formats.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "config/project.hpp"
#include "lint/linter.hpp"
#include "lint/render.hpp"
#include "lint/rule.hpp"
#include "ops/lint.hpp"
#include "ops/project_state.hpp"
#include "util/error.hpp"

using namespace strata;
using namespace strata::lint;

namespace {

LintResult lint_one(const std::string& sql, const LintConfig& config = {}) {
  LintOptions o;
  o.config = config;
  return lint_files({{"m.sql", sql, "", true, false}}, o);
}

std::vector<std::string> ids(const LintResult& r) {
  std::vector<std::string> out;
  for (const auto& d : r.diagnostics) out.push_back(d.rule);
  return out;
}

int count(const LintResult& r, const std::string& rule) {
  int n = 0;
  for (const auto& d : r.diagnostics) n += d.rule == rule;
  return n;
}

}  // namespace

TEST(LintIgnore, NextStatementOnly) {
  LintResult r = lint_one(
      "-- strata-lint-ignore ban-drop-table, prefer-if-not-exists\n"
      "drop table a;\n"
      "drop table if exists b;\n");
  ASSERT_EQ(count(r, "ban-drop-table"), 1);
  for (const auto& d : r.diagnostics) {
    if (d.rule == "ban-drop-table") {
      EXPECT_EQ(d.line, 3);
    }
  }
  EXPECT_EQ(count(r, "unused-ignore"), 0);
}

TEST(LintIgnore, FileWideWithAndWithoutRules) {
  LintResult r = lint_one(
      "-- strata-lint-ignore-file ban-drop-table\n"
      "drop table if exists a;\n"
      "drop table if exists b;\n");
  EXPECT_EQ(count(r, "ban-drop-table"), 0);
  EXPECT_EQ(count(r, "unused-ignore"), 0);
  LintResult all = lint_one("-- strata-lint-ignore-file\ndrop table a;\n");
  EXPECT_TRUE(all.diagnostics.empty()) << render_text(all);
  LintResult none = lint_one("-- strata-lint-ignore-file\nselect 1;\n");
  EXPECT_EQ(ids(none), std::vector<std::string>{"unused-ignore"});
}

TEST(LintIgnore, BareIgnoreAndReason) {
  LintResult r = lint_one(
      "-- strata-lint-ignore\n"
      "drop table a;\n"
      "-- strata-lint-ignore ban-truncate -- the table is a cache\n"
      "truncate if_cache;\n"
      "-- strata-lint-ignore\n"
      "select 1;\n");
  EXPECT_EQ(count(r, "ban-drop-table"), 0) << render_text(r);
  EXPECT_EQ(count(r, "ban-truncate"), 0) << render_text(r);
  ASSERT_EQ(count(r, "unused-ignore"), 1) << render_text(r);
  for (const auto& d : r.diagnostics) {
    if (d.rule == "unused-ignore") {
      EXPECT_EQ(d.line, 5);
    }
  }
}

TEST(LintIgnore, UnusedAndUnknownAreReported) {
  LintResult r = lint_one(
      "-- strata-lint-ignore ban-drop-table\n"
      "select 1;\n"
      "-- strata-lint-ignore not-a-rule\n"
      "select 2;\n");
  ASSERT_EQ(count(r, "unused-ignore"), 2) << render_text(r);
  EXPECT_EQ(r.diagnostics[0].line, 1);
  EXPECT_NE(r.diagnostics[0].message.find("suppresses nothing"), std::string::npos);
  EXPECT_NE(r.diagnostics[1].message.find("not a strata lint rule"), std::string::npos);
}

TEST(LintIgnore, TrailingIgnoreAppliesToNextStatement) {
  LintResult r = lint_one("select 1; -- strata-lint-ignore ban-truncate\ntruncate t;\n");
  EXPECT_EQ(count(r, "ban-truncate"), 0) << render_text(r);
  EXPECT_EQ(count(r, "unused-ignore"), 0);
}

TEST(LintConfigTest, DisableSeverityEnableExclude) {
  LintConfig c = parse_lint_config(
      "[lint]\n"
      "disable = [\"prefer-if-not-exists\"]\n"
      "enable = [\"missing-header-comment\"]\n"
      "exclude = [\"old/*.sql\"]\n"
      "[lint.severity]\n"
      "ban-drop-table = \"warning\"\n"
      "ban-truncate = \"off\"\n",
      "strata.toml");
  LintResult r = lint_one("drop table a;\ntruncate b;\n", c);
  EXPECT_EQ(count(r, "prefer-if-not-exists"), 0);
  EXPECT_EQ(count(r, "ban-truncate"), 0);
  EXPECT_EQ(count(r, "missing-header-comment"), 1);
  ASSERT_EQ(count(r, "ban-drop-table"), 1);
  for (const auto& d : r.diagnostics) {
    if (d.rule == "ban-drop-table") {
      EXPECT_EQ(d.severity, Severity::warning);
    }
  }
  EXPECT_FALSE(has_errors(r.diagnostics));
  EXPECT_TRUE(c.excluded("old/001_a.sql"));
  EXPECT_FALSE(c.excluded("new/001_a.sql"));

  LintOptions o;
  o.config = c;
  LintResult ex = lint_files({{"old/001_a.sql", "drop table a;", "", true, false}}, o);
  EXPECT_TRUE(ex.diagnostics.empty());
  EXPECT_EQ(ex.files_linted, 0);
}

TEST(LintConfigTest, BadSeverityIsAConfigError) {
  try {
    parse_lint_config("[lint.severity]\nban-drop-table = \"fatal\"\n", "strata.toml");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::config);
    EXPECT_NE(std::string(e.what()).find("ban-drop-table"), std::string::npos);
  }
  EXPECT_THROW(parse_lint_config("[lint]\ndisable = \"x\"\n", "strata.toml"), Error);
}

TEST(LintUnparsed, ReportedOnceAndTheRestIsLinted) {
  LintResult r = lint_one(
      "select json_object('a': 1 absent on null);\n"
      "drop table a;\n"
      "select json_array(1 absent on null) is json;\n");
  EXPECT_EQ(count(r, "unparsed"), 1) << render_text(r);
  EXPECT_EQ(count(r, "ban-drop-table"), 1);
  for (const auto& d : r.diagnostics) {
    if (d.rule == "unparsed") {
      EXPECT_EQ(d.line, 1);
      EXPECT_NE(d.message.find("2 statements"), std::string::npos) << d.message;
    }
    if (d.rule == "ban-drop-table") {
      EXPECT_EQ(d.line, 2);
    }
  }
}

TEST(LintUnparsed, GarbageNeverCrashes) {
  for (const char* sql : {"", ";;;", "'unterminated", "$$ never closed", "create table (",
                          "\\connect x\nselect 1;", "/* open comment", "\xff\xfe\x00"}) {
    LintResult r = lint_one(sql);
    (void)r;
  }
  SUCCEED();
}

TEST(LintContextTest, RlsEnabledInALaterFile) {
  LintOptions o;
  LintResult r = lint_files(
      {{"001_a.sql", "create table public.notes (id bigint primary key);", "001", true, false},
       {"002_b.sql",
        "alter table notes enable row level security;\n"
        "create policy p on notes for select to authenticated using "
        "((select auth.uid()) is not null);",
        "002", true, false}},
      o);
  EXPECT_EQ(count(r, "rls-not-enabled"), 0) << render_text(r);
  EXPECT_EQ(count(r, "rls-enabled-without-policy"), 0);

  LintResult missing = lint_files(
      {{"001_a.sql", "create table public.notes (id bigint primary key);", "001", true, false},
       {"002_b.sql", "create table private.x (id bigint);", "002", true, false}},
      o);
  ASSERT_EQ(count(missing, "rls-not-enabled"), 1);
  for (const auto& d : missing.diagnostics) {
    if (d.rule != "rls-not-enabled") continue;
    EXPECT_EQ(d.file, "001_a.sql");
    EXPECT_EQ(d.column, 14);
  }
}

TEST(LintContextTest, ContextFilesAreNotReportedButTeach) {
  LintOptions o;
  LintResult r = lint_files(
      {{"001_a.sql", "create table notes (id bigint primary key);", "001", false, false},
       {"002_b.sql", "alter table notes enable row level security;", "002", true, false}},
      o);
  EXPECT_EQ(r.files_linted, 1);
  for (const auto& d : r.diagnostics) EXPECT_EQ(d.file, "002_b.sql");
  EXPECT_EQ(count(r, "rls-not-enabled"), 0);
  EXPECT_EQ(count(r, "rls-enabled-without-policy"), 1);
}

TEST(LintContextTest, NewTablesAreNotLockingProblems) {
  std::string f1 = "create table items (id bigint primary key);\n";
  std::string f2 = "alter table items add column sku text not null;\n";
  LintOptions o;
  // Same file: the table is new and empty.
  LintResult same = lint_one(f1 + f2);
  EXPECT_EQ(count(same, "adding-not-null-field"), 0);
  // Separate files, no database: each file is its own deploy, the table may have rows.
  LintResult sep =
      lint_files({{"1.sql", f1, "1", true, false}, {"2.sql", f2, "2", true, false}}, o);
  EXPECT_EQ(count(sep, "adding-not-null-field"), 1);
  // Pending set known from a database: applied together, the table is still empty.
  o.pending_known = true;
  LintResult pending =
      lint_files({{"1.sql", f1, "1", true, false}, {"2.sql", f2, "2", true, false}}, o);
  EXPECT_EQ(count(pending, "adding-not-null-field"), 0);
}

TEST(LintContextTest, CatalogFactsEscalate) {
  // No connection in unit tests: check the rule's severity escalation path through the API
  // contract instead (facts absent -> warning).
  LintResult r = lint_one("alter table t add column c int not null;");
  for (const auto& d : r.diagnostics) {
    if (d.rule == "adding-not-null-field") {
      EXPECT_EQ(d.severity, Severity::warning);
    }
  }
}

TEST(LintRender, TextHasCaretHelpAndSummary) {
  LintResult r = lint_one("select 1;\n  truncate orders;\n");
  std::string t = render_text(r);
  EXPECT_NE(t.find("m.sql:2:3: error [ban-truncate] TRUNCATE deletes every row of "
                   "`public.orders`\n  2 |   truncate orders;\n    |   ^\n  help: "),
            std::string::npos)
      << t;
  EXPECT_NE(t.find("1 error, 0 warnings in 1 file\n"), std::string::npos) << t;
}

TEST(LintRender, JsonSarifGithub) {
  LintResult r = lint_one("truncate orders;\nupdate t set a = 1;\n");
  auto j = nlohmann::json::parse(render_json(r));
  ASSERT_EQ(j["diagnostics"].size(), 2u);
  EXPECT_EQ(j["diagnostics"][0]["rule"], "ban-truncate");
  EXPECT_EQ(j["diagnostics"][0]["line"], 1);
  EXPECT_EQ(j["summary"]["errors"], 1);

  auto s = nlohmann::json::parse(render_sarif(r));
  EXPECT_EQ(s["version"], "2.1.0");
  EXPECT_TRUE(s.contains("$schema"));
  const auto& run = s["runs"][0];
  EXPECT_EQ(run["tool"]["driver"]["name"], "strata");
  EXPECT_EQ(run["tool"]["driver"]["rules"].size(), registered_rules().size());
  for (const auto& rule : run["tool"]["driver"]["rules"]) {
    EXPECT_TRUE(rule.contains("id"));
    EXPECT_TRUE(rule["shortDescription"].contains("text"));
  }
  ASSERT_EQ(run["results"].size(), 2u);
  const auto& res = run["results"][0];
  EXPECT_EQ(res["ruleId"], "ban-truncate");
  EXPECT_EQ(res["level"], "error");
  EXPECT_TRUE(res["message"].contains("text"));
  const auto& loc = res["locations"][0]["physicalLocation"];
  EXPECT_EQ(loc["artifactLocation"]["uri"], "m.sql");
  EXPECT_EQ(loc["region"]["startLine"], 1);
  EXPECT_EQ(loc["region"]["startColumn"], 1);

  std::string gh = render_github(r);
  EXPECT_EQ(gh.rfind("::error file=m.sql,line=1,col=1,title=ban-truncate::TRUNCATE", 0), 0u) << gh;
  EXPECT_NE(gh.find("\n::warning file=m.sql,line=2,col=1,title=update-or-delete-without-where::"),
            std::string::npos)
      << gh;
}

TEST(LintRules, RegistryIdsAreKebabCaseAndUnique) {
  std::set<std::string> seen;
  for (const auto& r : registered_rules()) {
    EXPECT_TRUE(seen.insert(r.id).second) << r.id;
    for (char c : r.id) {
      EXPECT_TRUE((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') << r.id;
    }
    EXPECT_FALSE(r.summary.empty()) << r.id;
  }
  EXPECT_GE(registered_rules().size(), 40u);
}

TEST(LintRender, InvalidUtf8DoesNotThrow) {
  LintResult r = lint_one("alter table orders r\x98\x91 column note to memo;\ntruncate t\xff;\n");
  EXPECT_TRUE(nlohmann::json::accept(render_json(r)));
  EXPECT_TRUE(nlohmann::json::accept(render_sarif(r)));
}

TEST(LintApi, LintPendingForUpLint) {
  namespace fs = std::filesystem;
  fs::path root = fs::temp_directory_path() / ("strata-lint-api-" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "migrations");
  std::ofstream(root / "migrations" / "001_init.sql")
      << "create table notes (id bigint primary key);\n";
  std::ofstream(root / "migrations" / "002_rls.sql")
      << "alter table notes enable row level security;\ndrop table old_notes;\n";
  std::ofstream(root / "strata.toml") << "[lint]\ndisable = [\"prefer-if-not-exists\"]\n";
  Project p = load_project(root);
  ProjectState state = load_local_state(p);  // no history: everything is pending
  LintResult r = lint_pending(p, state);
  EXPECT_EQ(r.files_linted, 2);
  EXPECT_TRUE(has_errors(r.diagnostics)) << render_text(r);
  EXPECT_EQ(count(r, "ban-drop-table"), 1);
  EXPECT_EQ(count(r, "rls-not-enabled"), 0);
  EXPECT_EQ(count(r, "prefer-if-not-exists"), 0);  // [lint] config is applied
  for (const auto& d : r.diagnostics) EXPECT_EQ(d.file.rfind("migrations/", 0), 0u) << d.file;
  fs::remove_all(root);
}
