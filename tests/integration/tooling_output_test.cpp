// Integration tests for the output convention (docs/output.md): one test per JSON shape
// (status, up, up --targets, db status, db copy, seed; doctor's is in tooling_doctor_test.cpp),
// `--json` as the alias of `--output json`, `--quiet`, colour only on a terminal without
// NO_COLOR, and fleets printing each target's line as it finishes.
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <thread>

#include "fixture.hpp"

using namespace strata::testing;
using strata::run_process;

namespace {

class Output : public DbTest {
 protected:
  void two_migrations() {
    write("supabase/migrations/001_a.sql", "create table a (id int primary key);\n");
    write("supabase/migrations/002_b.sql", "insert into a values (1), (2);\n");
  }
};

TEST_F(Output, StatusJsonShapeAndTheJsonAlias) {
  two_migrations();
  ASSERT_EQ(strata({"up", "--to", "001"}).exit_code, 0);
  auto j = json({"status", "--output", "json"}, 3);
  ASSERT_EQ(j["sources"].size(), 1u);
  EXPECT_EQ(j["sources"][0]["source"], "default");
  const auto& m = j["sources"][0]["migrations"];
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0]["version"], "001");
  EXPECT_EQ(m[0]["state"], "applied");
  EXPECT_TRUE(m[0]["execution_ms"].is_number_integer());
  EXPECT_EQ(m[0]["checksum"].get<std::string>().rfind("sha256:", 0), 0u);
  EXPECT_EQ(m[1]["state"], "pending");
  EXPECT_EQ(j["summary"]["applied"], 1);
  EXPECT_EQ(j["summary"]["pending"], 1);
  EXPECT_EQ(json({"status", "--json"}, 3), j);
  EXPECT_EQ(strata_stdout({"status", "--output", "yaml"}).exit_code, 2);
}

TEST_F(Output, UpJsonShape) {
  two_migrations();
  auto j = json({"up", "--output", "json"});
  ASSERT_EQ(j["applied"].size(), 2u);
  EXPECT_EQ(j["applied"][0]["version"], "001");
  EXPECT_EQ(j["applied"][0]["name"], "a");
  EXPECT_EQ(j["applied"][0]["statements"], 1);
  EXPECT_TRUE(j["applied"][1]["execution_ms"].is_number_integer());
  EXPECT_EQ(j["sources"][0]["found"], 2);
  EXPECT_EQ(j["sources"][0]["executed"], 2);
  EXPECT_TRUE(j["total_ms"].is_number_integer());
  EXPECT_TRUE(j.contains("notified_postgrest"));
  auto again = json({"up", "--json"});
  EXPECT_TRUE(again["applied"].empty());
  EXPECT_EQ(again["sources"][0]["already_applied"], 2);
}

TEST_F(Output, FleetJsonShape) {
  two_migrations();
  connect().exec("create schema t1; create schema t2");
  write("targets.toml",
        fmt::format("[tenants]\nurl = \"{}\"\nschemas = [\"t1\", \"t2\", \"t3\"]\n", url));
  auto j = json({"up", "--targets", (project / "targets.toml").string(), "--output", "json"}, 5);
  ASSERT_EQ(j["targets"].size(), 3u);
  EXPECT_EQ(j["targets"][0]["name"], "t1");
  EXPECT_EQ(j["targets"][0]["ok"], true);
  EXPECT_EQ(j["targets"][0]["applied"], 2);
  EXPECT_EQ(j["targets"][0]["pending"], 0);
  EXPECT_EQ(j["targets"][2]["ok"], false);  // t3 does not exist
  EXPECT_NE(j["targets"][2]["error"].get<std::string>().find("t3"), std::string::npos);
  EXPECT_EQ(j["failed"], 1);
  EXPECT_TRUE(j["total_ms"].is_number_integer());
}

TEST_F(Output, FleetPrintsEachTargetAsItFinishes) {
  write("supabase/migrations/001_a.sql", "insert into gate values (1);\n");
  auto admin = strata::db::Connection::open(cluster().url("postgres"));
  std::string targets = "[targets]\n";
  for (const char* t : {"fast", "slow"}) {
    std::string db = fmt::format("{}_{}", dbname, t);
    admin.exec(fmt::format("DROP DATABASE IF EXISTS {} WITH (FORCE)", db));
    admin.exec(fmt::format("CREATE DATABASE {} TEMPLATE template0", db));
    strata::db::Connection::open(cluster().url(db)).exec("create table gate (x int)");
    targets += fmt::format("{} = \"{}\"\n", t, cluster().url(db));
  }
  write("targets.toml", targets);
  // Hold a lock on the slow target's table: its migration waits until we let go.
  auto holder = strata::db::Connection::open(cluster().url(dbname + "_slow"));
  holder.exec("begin; lock table gate in access exclusive mode");
  std::string cmd = fmt::format("'{}' up --targets '{}' --jobs 2 --workdir '{}' 2>&1", STRATA_BIN,
                                (project / "targets.toml").string(), project.string());
  FILE* pipe = popen(cmd.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  char buf[4096];
  ASSERT_NE(fgets(buf, sizeof buf, pipe), nullptr);
  std::string first = buf;
  // The first line arrives while `slow` is still blocked: fast's result, printed as it finished.
  EXPECT_EQ(first.rfind("fast", 0), 0u) << first;
  EXPECT_NE(first.find("ok"), std::string::npos) << first;
  holder.exec("commit");
  std::string rest;
  while (fgets(buf, sizeof buf, pipe)) rest += buf;
  int status = pclose(pipe);
  EXPECT_EQ(WEXITSTATUS(status), 0) << first << rest;
  EXPECT_EQ(rest.rfind("slow", 0), 0u) << rest;
  EXPECT_NE(rest.find("2 target(s), 0 failed"), std::string::npos) << rest;
  for (const char* t : {"fast", "slow"})
    admin.exec(fmt::format("DROP DATABASE IF EXISTS {}_{} WITH (FORCE)", dbname, t));
}

TEST_F(Output, DbStatusJsonShape) {
  // The project's local database was never created: state "not created", exit 1.
  auto r = run_process({"/bin/sh", "-c", "exec \"$@\" 2>/dev/null", "sh", STRATA_BIN, "db",
                        "status", "--output", "json", "--workdir", project.string()});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  auto j = nlohmann::json::parse(r.output);
  EXPECT_EQ(j["state"], "not created");
  EXPECT_TRUE(j["port"].is_number_integer());
  EXPECT_NE(j["data_dir"].get<std::string>().find("pgdata"), std::string::npos);
  EXPECT_EQ(j["url"].get<std::string>().rfind("postgresql://", 0), 0u);
  EXPECT_FALSE(j["socket_dir"].get<std::string>().empty());
}

TEST_F(Output, DbCopyJsonShape) {
  std::string other = dbname + "_to";
  auto admin = strata::db::Connection::open(cluster().url("postgres"));
  admin.exec(fmt::format("DROP DATABASE IF EXISTS {} WITH (FORCE)", other));
  admin.exec(fmt::format("CREATE DATABASE {} TEMPLATE template0", other));
  connect().exec(
      "create schema app; create table app.t (id serial primary key, v text); "
      "insert into app.t (v) values ('a'), ('b'), ('c')");
  strata::db::Connection::open(cluster().url(other))
      .exec("create schema app; create table app.t (id serial primary key, v text)");
  auto r = run_process({"/bin/sh", "-c", "exec \"$@\" 2>/dev/null", "sh", STRATA_BIN, "db", "copy",
                        "--from", url, "--to", cluster().url(other), "--schema", "app", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto j = nlohmann::json::parse(r.output);
  ASSERT_EQ(j["tables"].size(), 1u);
  EXPECT_EQ(j["tables"][0]["source_rows"], 3);
  EXPECT_EQ(j["tables"][0]["copied_rows"], 3);
  EXPECT_TRUE(j["tables"][0]["bytes"].is_number_integer());
  EXPECT_EQ(j["sequences"].size(), 1u);
  EXPECT_EQ(j["from"], url);
  admin.exec(fmt::format("DROP DATABASE IF EXISTS {} WITH (FORCE)", other));
}

TEST_F(Output, SeedJsonShape) {
  write("supabase/migrations/001_t.sql", "create table t (v text);\n");
  write("supabase/seed.sql", "insert into t values ('one');\n");
  ASSERT_EQ(strata({"up"}).exit_code, 0);
  auto j = json({"seed", "--output", "json"});
  EXPECT_EQ(j["applied"], 1);
  EXPECT_EQ(j["skipped"], 0);
  ASSERT_EQ(j["messages"].size(), 1u);
  EXPECT_NE(j["messages"][0].get<std::string>().find("supabase/seed.sql"), std::string::npos);
  auto again = json({"seed", "--json"});
  EXPECT_EQ(again["applied"], 0);
  EXPECT_EQ(again["skipped"], 1);
}

TEST_F(Output, DownJsonShape) {
  write("supabase/migrations/001_a.sql", "create table a (id int);\n");
  write("supabase/migrations/001_a.down.sql", "drop table a;\n");
  ASSERT_EQ(strata({"up"}).exit_code, 0);
  auto dry = json({"down", "--dry-run", "--output", "json"});
  EXPECT_EQ(dry["dry_run"], true);
  EXPECT_TRUE(dry["reverted"].empty());
  EXPECT_FALSE(dry["messages"].empty());
  auto j = json({"down", "--json"});
  ASSERT_EQ(j["reverted"].size(), 1u);
  EXPECT_EQ(j["reverted"][0]["version"], "001");
  EXPECT_EQ(j["reverted"][0]["name"], "a");
  EXPECT_TRUE(j["reverted"][0]["execution_ms"].is_number_integer());
  EXPECT_EQ(j["dry_run"], false);
  EXPECT_EQ(query_value("select to_regclass('a') is null"), "t");
}

TEST_F(Output, RepairAndBaselineJsonShapes) {
  two_migrations();
  auto b = json({"baseline", "001", "--output", "json"});
  EXPECT_EQ(b["version"], "001");
  EXPECT_EQ(b["marked"], 1);
  ASSERT_EQ(b["messages"].size(), 1u);
  auto r = json({"repair", "--status", "applied", "002", "--json"});
  EXPECT_EQ(r["status"], "applied");
  EXPECT_EQ(r["versions"], nlohmann::json::array({"002"}));
  EXPECT_TRUE(r["messages"].is_array());
  EXPECT_EQ(json({"status", "--json"})["summary"]["applied"], 2);
}

TEST_F(Output, QuietLeavesStdoutEmptyButKeepsJsonAndTheExitCode) {
  two_migrations();
  auto q = strata_stdout({"status", "--quiet"});
  EXPECT_EQ(q.exit_code, 3);
  EXPECT_EQ(q.output, "");
  auto up = strata_stdout({"up", "-q"});
  EXPECT_EQ(up.exit_code, 0);
  EXPECT_EQ(up.output, "");
  EXPECT_EQ(query_value("select count(*) from a"), "2");
  auto j = json({"status", "--quiet", "--output", "json"});
  EXPECT_EQ(j["summary"]["applied"], 2);
  // Errors still reach stderr.
  auto err = strata({"--quiet", "up", "--to", "999"});
  EXPECT_EQ(err.exit_code, 2);
  EXPECT_NE(err.output.find("error:"), std::string::npos) << err.output;
}

TEST_F(Output, ColourOnlyOnATerminalAndNeverWithNoColor) {
  write("supabase/migrations/001_a.sql", "create table a (id int);\n");
  // `script` gives the command a pseudo-terminal.
  std::string cmd =
      fmt::format("'{}' doctor --db-url '{}' --workdir '{}'", STRATA_BIN, url, project.string());
  auto tty = run_process({"script", "-qec", cmd, "/dev/null"});
  EXPECT_EQ(tty.exit_code, 0) << tty.output;
  EXPECT_NE(tty.output.find("\033[32m"), std::string::npos) << tty.output;
  auto no_color = run_process({"env", "NO_COLOR=1", "script", "-qec", cmd, "/dev/null"});
  EXPECT_EQ(no_color.exit_code, 0) << no_color.output;
  EXPECT_EQ(no_color.output.find("\033["), std::string::npos) << no_color.output;
  auto pipe = strata({"doctor"});
  EXPECT_EQ(pipe.output.find("\033["), std::string::npos) << pipe.output;
}

}  // namespace
