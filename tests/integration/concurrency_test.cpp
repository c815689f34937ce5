// Integration tests: concurrent runs are serialised, and a run killed at any moment leaves a
// history that agrees with the schema and a rerun that finishes the job.
#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <random>
#include <thread>

#include "fixture.hpp"

using namespace strata::testing;

namespace {

class Concurrency : public DbTest {
 protected:
  void many_migrations(int n) {
    for (int i = 1; i <= n; ++i) {
      write(fmt::format("supabase/migrations/{:04d}_m{}.sql", i, i),
            fmt::format(
                "create table m{0} (id bigint generated always as identity primary key, v text);\n"
                "insert into m{0} (v) select 'row ' || g from generate_series(1, 20) g;\n"
                "create index m{0}_v on m{0} (v);\n",
                i));
    }
  }
  pid_t spawn(const std::vector<std::string>& args) {
    pid_t pid = fork();
    if (pid == 0) {
      int devnull = open("/dev/null", O_WRONLY);
      dup2(devnull, 1);
      dup2(devnull, 2);
      std::vector<std::string> all = {STRATA_BIN};
      all.insert(all.end(), args.begin(), args.end());
      all.insert(all.end(), {"--db-url", url, "--workdir", project.string()});
      std::vector<char*> argv;
      for (auto& a : all) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    return pid;
  }
  // Every history row has its table; every table has its history row.
  void expect_history_matches_schema() {
    EXPECT_EQ(query_value("select count(*) from strata.migrations m where to_regclass('m' || "
                          "ltrim(m.version, '0')) "
                          "is null"),
              "0");
    EXPECT_EQ(query_value("select count(*) from pg_tables t where schemaname = 'public' and "
                          "tablename ~ '^m[0-9]+$' "
                          "and not exists (select 1 from strata.migrations m where 'm' || "
                          "ltrim(m.version, '0') = "
                          "t.tablename)"),
              "0");
  }
};

TEST_F(Concurrency, SixteenProcessesApplyEveryMigrationExactlyOnce) {
  many_migrations(30);
  std::vector<pid_t> pids;
  for (int i = 0; i < 16; ++i) pids.push_back(spawn({"up"}));
  int failures = 0;
  for (pid_t p : pids) {
    int status = 0;
    waitpid(p, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) ++failures;
  }
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(query_value("select count(*) from strata.migrations"), "30");
  EXPECT_EQ(query_value("select count(*) from strata.events where action = 'apply'"), "30");
  EXPECT_EQ(query_value("select count(*) from m17"), "20");
  expect_history_matches_schema();
}

TEST_F(Concurrency, KillNineAtRandomMomentsNeverBreaksTheHistory) {
  many_migrations(200);
  std::mt19937 rng(12345);
  std::uniform_int_distribution<int> delay_ms(5, 400);
  int kills = 0;
  for (int round = 0; round < 20; ++round) {
    pid_t p = spawn({"up"});
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    if (kill(p, SIGKILL) == 0) ++kills;
    int status = 0;
    waitpid(p, &status, 0);
    // The server notices the dead client; wait until its backend is gone so the lock is free.
    for (int i = 0; i < 100; ++i) {
      if (query_value("select count(*) from pg_stat_activity where application_name like 'strata%' "
                      "and pid <> pg_backend_pid()") == "0")
        break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    expect_history_matches_schema();
    if (HasFailure()) break;
  }
  EXPECT_GT(kills, 0);
  auto r = strata({"up"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(query_value("select count(*) from strata.migrations"), "200");
  expect_history_matches_schema();
}

}  // namespace
