// Integration tests for `strata doctor` against the suite's real PostgreSQL 15: a healthy project,
// a migration needing an extension the server cannot install, an unreachable target (password
// redacted), no project at all, and the history check before and after `strata up`.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "fixture.hpp"

using namespace strata::testing;
using strata::run_process;

namespace {

class Doctor : public DbTest {
 protected:
  // stdout only (stderr dropped), so the JSON parses.
  strata::ProcessResult json_run(std::vector<std::string> args) {
    std::vector<std::string> argv = {"/bin/sh", "-c", "exec \"$@\" 2>/dev/null", "sh", STRATA_BIN};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv);
  }
  nlohmann::json check(const nlohmann::json& j, const std::string& name) {
    for (const auto& c : j["checks"])
      if (c["name"] == name) return c;
    ADD_FAILURE() << "no check " << name << " in " << j.dump(2);
    return {};
  }
};

TEST_F(Doctor, HealthyProjectReportsWhatItSees) {
  write("supabase/migrations/001_init.sql",
        "create extension if not exists pgcrypto;\ncreate table a (id int);\n");
  auto r = json_run({"doctor", "--output", "json", "--db-url", url, "--workdir", project.string()});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto j = nlohmann::json::parse(r.output);
  EXPECT_EQ(j["healthy"], true);
  EXPECT_EQ(j["project"]["kind"], "supabase");
  ASSERT_EQ(j["project"]["sources"].size(), 1u);
  EXPECT_EQ(j["project"]["sources"][0]["files"], 1);
  EXPECT_EQ(j["project"]["sources"][0]["dir"], "supabase/migrations");
  EXPECT_EQ(j["target"]["connected"], true);
  EXPECT_EQ(j["target"]["from"], "--db-url");
  EXPECT_EQ(j["target"]["server_version"].get<std::string>().substr(0, 3), "15.");
  EXPECT_EQ(j["extensions"]["from"], "pg_available_extensions");
  auto avail = j["extensions"]["available"].get<std::vector<std::string>>();
  EXPECT_NE(std::find(avail.begin(), avail.end(), "pgcrypto"), avail.end());
  EXPECT_TRUE(j["extensions"]["missing"].empty());
  EXPECT_EQ(j["postgres"]["server_binaries_version"].get<std::string>().substr(0, 3), "15.");
  EXPECT_EQ(j["history"]["exists"], false);
  EXPECT_EQ(check(j, "history")["level"], "warn");
  EXPECT_NE(check(j, "history")["advice"].get<std::string>().find("strata up"), std::string::npos);

  ASSERT_EQ(strata({"up"}).exit_code, 0);
  auto after = nlohmann::json::parse(
      json_run({"doctor", "--json", "--db-url", url, "--workdir", project.string()}).output);
  EXPECT_EQ(after["history"]["exists"], true);
  EXPECT_EQ(after["history"]["supabase_exists"], true);
  EXPECT_EQ(check(after, "history")["level"], "ok");

  auto text = strata({"doctor"});
  EXPECT_EQ(text.exit_code, 0) << text.output;
  EXPECT_NE(text.output.find("connection"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("Healthy"), std::string::npos) << text.output;
  EXPECT_EQ(text.output.find("\033["), std::string::npos);  // not a terminal: no colour
}

TEST_F(Doctor, ExtensionTheServerCannotInstallIsAProblemWithAdvice) {
  write("supabase/migrations/001_init.sql", "create extension \"strata_no_such_ext\";\n");
  auto r = json_run({"doctor", "--output", "json", "--db-url", url, "--workdir", project.string()});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  auto j = nlohmann::json::parse(r.output);
  EXPECT_EQ(j["healthy"], false);
  EXPECT_EQ(j["extensions"]["missing"], nlohmann::json::array({"strata_no_such_ext"}));
  auto c = check(j, "extensions");
  EXPECT_EQ(c["level"], "problem");
  EXPECT_FALSE(c["advice"].get<std::string>().empty());
  auto text = strata({"doctor"});
  EXPECT_EQ(text.exit_code, 1);
  EXPECT_NE(text.output.find("-> "), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("1 problem(s)"), std::string::npos) << text.output;
}

TEST_F(Doctor, UnreachableTargetIsAProblemAndThePasswordNeverShows) {
  write("supabase/migrations/001_init.sql", "create table a (id int);\n");
  auto r = run_process({STRATA_BIN, "doctor", "--workdir", project.string(), "--db-url",
                        "postgresql://someone:sekret-pw@127.0.0.1:1/nothing?connect_timeout=2"});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_EQ(r.output.find("sekret-pw"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("problem"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("connection"), std::string::npos) << r.output;
}

TEST_F(Doctor, NoProjectIsAProblemWithAdvice) {
  auto r =
      json_run({"doctor", "--json", "--db-url", url, "--workdir", (project / "nowhere").string()});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  auto j = nlohmann::json::parse(r.output);
  auto c = check(j, "project");
  EXPECT_EQ(c["level"], "problem");
  EXPECT_FALSE(c["advice"].get<std::string>().empty());
  EXPECT_EQ(j["target"]["connected"], true);  // the rest is still reported
}

}  // namespace
