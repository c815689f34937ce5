// Apply engine fault tests: kill -9 at random moments across transactional files, CREATE INDEX
// CONCURRENTLY files and a non-transactional, non-idempotent UPDATE, each followed at once by a
// rerun (what a CI retry does). Every time: the history agrees with the schema, the UPDATE never
// runs twice (a counter), and the rerun finishes or stops "in doubt" with the repair command.
// Plus a server restart in the middle of a run.
#include <random>

#include "engine_helpers.hpp"

using namespace strata::testing;

namespace {

class EngineFault : public DbTest {
 protected:
  void mixed_project() {
    write("supabase/migrations/001_t1.sql",
          "create table t1 (id int);\ninsert into t1 select generate_series(1, 3000);\n"
          "create table counter (n int not null);\ninsert into counter values (0);\n");
    write("supabase/migrations/002_cic.sql", "create index concurrently t1_id on t1 (id);\n");
    write("supabase/migrations/003_bump.sql",
          "-- strata:no-transaction\n"
          "update counter set n = n + 1 where pg_sleep(0.03) is not null;\n"
          "create table bumped (id int);\n");
    write("supabase/migrations/004_t2.sql",
          "create table t2 (id int);\ninsert into t2 select generate_series(1, 2000);\n"
          "select pg_sleep(0.02);\n");
    write("supabase/migrations/005_cic2.sql",
          "-- strata:no-transaction\ncreate unique index concurrently t2_id on t2 (id);\n"
          "create index concurrently t2_id2 on t2 ((id * 2));\n");
    write("supabase/migrations/006_t3.sql", "create table t3 (id int);\n");
  }
  void fresh(strata::db::Connection& c) {
    c.exec(
        "drop schema if exists strata cascade; drop schema if exists supabase_migrations cascade; "
        "drop schema public cascade; create schema public");
  }
  std::string q(strata::db::Connection& c, const std::string& sql) {
    auto r = c.exec(sql);
    return r.rows() ? r.get(0, 0) : "";
  }
  // The history agrees with the schema, and the UPDATE ran at most once.
  void expect_consistent(strata::db::Connection& c, bool all_done) {
    bool history = q(c, "select to_regclass('strata.migrations') is not null") == "t";
    auto applied = [&](const std::string& v) {
      return history && q(c, "select count(*) from strata.migrations where version = '" + v +
                                 "' and success") == "1";
    };
    auto exists = [&](const std::string& rel) {
      return q(c, "select to_regclass('" + rel + "') is not null") == "t";
    };
    auto valid = [&](const std::string& idx) {
      return q(c,
               "select coalesce((select indisvalid from pg_index where indexrelid = "
               "to_regclass('" +
                   idx + "')), false)") == "t";
    };
    EXPECT_EQ(applied("001"), exists("t1"));
    EXPECT_EQ(applied("004"), exists("t2"));
    EXPECT_EQ(applied("006"), exists("t3"));
    if (applied("002")) {
      EXPECT_TRUE(valid("t1_id"));
    }
    if (applied("005")) {
      EXPECT_TRUE(valid("t2_id") && valid("t2_id2"));
    }
    if (exists("counter")) {
      std::string n = q(c, "select n from counter");
      EXPECT_TRUE(n == "0" || n == "1") << "the UPDATE ran " << n << " times";
      int ran = history ? std::stoi("0" + q(c,
                                            "select statements_applied from strata.migrations "
                                            "where version = '003'"))
                        : 0;
      if (ran >= 1 || applied("003")) {
        EXPECT_EQ(n, "1");
      }
      bool in_flight = history && q(c,
                                    "select in_flight is not null from strata.migrations "
                                    "where version = '003'") == "t";
      if (ran == 0 && !in_flight) {
        EXPECT_EQ(n, "0");
      }
      EXPECT_EQ(applied("003"), exists("bumped"));
    }
    if (all_done) {
      for (const char* v : {"001", "002", "003", "004", "005", "006"}) EXPECT_TRUE(applied(v)) << v;
      EXPECT_EQ(q(c, "select n from counter"), "1");
    }
  }
};

TEST_F(EngineFault, FiftyKillsAtRandomMomentsEachFollowedByAnImmediateRerun) {
  mixed_project();
  auto c = connect();
  std::mt19937 rng(20261129);
  std::uniform_int_distribution<int> delay_ms(0, 260);
  int finished = 0, in_doubt = 0;
  for (int round = 0; round < 50; ++round) {
    SCOPED_TRACE(fmt::format("round {}", round));
    fresh(c);
    pid_t p = spawn_strata({"up"}, url, project, project / "killed.log");
    sleep_ms(delay_ms(rng));
    kill(p, SIGKILL);
    wait_exit(p);
    auto r = strata({"up"});  // at once: the killed run's backend may still be working
    if (r.exit_code == 9) {
      ++in_doubt;
      EXPECT_NE(r.output.find("in doubt"), std::string::npos) << r.output;
      EXPECT_NE(r.output.find("strata repair --in-doubt"), std::string::npos) << r.output;
      expect_consistent(c, false);
    } else {
      EXPECT_EQ(r.exit_code, 0) << r.output;
      ++finished;
      expect_consistent(c, true);
    }
    if (HasFailure()) break;
  }
  EXPECT_EQ(finished + in_doubt, 50);
}

// A server restart mid-run (fast shutdown: the running statement is aborted): exit 6, the
// history agrees with the schema, and the next run finishes.
TEST_F(EngineFault, ServerRestartMidRunIsExitSixAndTheRerunFinishes) {
  mixed_project();
  write("supabase/migrations/007_slow.sql", "create table t7 (id int);\nselect pg_sleep(5);\n");
  {
    auto c = connect();
    pid_t p = spawn_strata({"up"}, url, project, project / "run.log");
    ASSERT_TRUE(wait_until(c,
                           "select exists (select 1 from pg_stat_activity where query like "
                           "'%pg_sleep(5)%' and pid <> pg_backend_pid())"));
    cluster().stop();
    cluster().start();
    int code = wait_exit(p);
    EXPECT_EQ(code, 6) << read_file(project / "run.log");
  }
  auto c = connect();
  expect_consistent(c, false);
  EXPECT_EQ(q(c, "select to_regclass('t7') is null"), "t");
  write("supabase/migrations/007_slow.sql", "create table t7 (id int);\n");
  ASSERT_EQ(strata({"repair", "--status", "reverted", "007"}).exit_code, 2);  // never recorded
  auto r = strata({"up"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  expect_consistent(c, true);
}

}  // namespace
