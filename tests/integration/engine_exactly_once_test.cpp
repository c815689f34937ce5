// Apply engine: exactly once, whatever dies. A killed run's statement that the server finishes
// after the kill is never run again; a statement strata cannot settle stops "in doubt" (exit 9)
// until `strata repair --in-doubt` says what happened; a lost lock stops the run (exit 7); a lost
// connection is exit 6; a partial migration resumes after its failed statement was fixed.
#include "engine_helpers.hpp"

using namespace strata::testing;

namespace {

class EngineExactlyOnce : public DbTest {
 protected:
  void acct_project(const std::string& bonus) {
    write("supabase/migrations/001_acct.sql",
          "create table acct (id int primary key, balance int not null);\n"
          "insert into acct values (1, 100);\n"
          "create table counter (n int not null);\ninsert into counter values (0);\n");
    write("supabase/migrations/002_bonus.sql", bonus);
  }
  std::filesystem::path log(const std::string& name) const { return project / (name + ".log"); }
  // Turns 002's history row into what a run killed while statement 1 was in flight leaves.
  void fake_in_flight(const std::string& xid, const std::string& kind) {
    auto c = connect();
    c.exec_params(
        "UPDATE strata.migrations SET statements_applied = 0, statement_hashes = '{}', "
        "success = false, in_flight = jsonb_build_object('from', 0, 'to', 1, 'pid', 1, 'xid', "
        "$1::text, 'kind', $2::text, 'line', 2, 'statement', 'the statement', 'hashes', "
        "to_jsonb(ARRAY[statement_hashes[1]])) WHERE version = '002'",
        {xid, kind});
  }
};

// kill-notx-double-apply: kill -9 during a slow non-transactional UPDATE, rerun at once.
TEST_F(EngineExactlyOnce, KilledNonTransactionalUpdateIsAppliedOnce) {
  acct_project(
      "-- strata:no-transaction\n"
      "update acct set balance = balance + 10 where pg_sleep(1.2) is not null;\n"
      "create table marker (id int);\n");
  auto admin = connect();
  pid_t p = spawn_strata({"up"}, url, project, log("run1"));
  ASSERT_TRUE(wait_until(admin,
                         "select exists (select 1 from pg_stat_activity where query like "
                         "'%update acct%' and state = 'active' and pid <> pg_backend_pid())"));
  kill(p, SIGKILL);
  wait_exit(p);
  auto r = strata({"up"});  // what a CI retry does: at once
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(query_value("select balance from acct"), "110");
  EXPECT_EQ(query_value("select to_regclass('marker') is not null"), "t");
  EXPECT_EQ(query_value("select success from strata.migrations where version = '002'"), "t");
}

// The killed run's statement committed (its transaction says so): counted done, not re-run.
TEST_F(EngineExactlyOnce, InFlightStatementWhoseTransactionCommittedIsNotRunAgain) {
  acct_project(
      "-- strata:no-transaction\nupdate acct set balance = balance + 10;\n"
      "create table marker (id int);\n");
  auto c = connect();
  c.exec("create table marker (id int)");  // 002 stops at statement 2: partial 1/2
  ASSERT_EQ(strata({"up"}).exit_code, 5);
  c.exec("drop table marker");
  std::string xid = c.exec("begin; select pg_current_xact_id()::text").get(0, 0);
  c.exec("commit");
  fake_in_flight(xid, "UpdateStmt");
  auto r = strata({"up"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("had completed"), std::string::npos) << r.output;
  EXPECT_EQ(query_value("select balance from acct"), "110");  // once
  EXPECT_EQ(query_value("select to_regclass('marker') is not null"), "t");
}

// Its transaction rolled back: the statement did not happen and runs (once) now.
TEST_F(EngineExactlyOnce, InFlightStatementWhoseTransactionAbortedRunsAgain) {
  acct_project(
      "-- strata:no-transaction\nupdate acct set balance = balance + 10;\n"
      "create table marker (id int);\n");
  auto c = connect();
  c.exec("create table marker (id int)");
  ASSERT_EQ(strata({"up"}).exit_code, 5);
  c.exec("drop table marker");
  c.exec("update acct set balance = 100");  // as if the first UPDATE never committed
  std::string xid = c.exec("begin; select pg_current_xact_id()::text").get(0, 0);
  c.exec("rollback");
  fake_in_flight(xid, "UpdateStmt");
  auto r = strata({"up"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("had not completed"), std::string::npos) << r.output;
  EXPECT_EQ(query_value("select balance from acct"), "110");
}

// A DO block (it may COMMIT itself, so strata cannot run it in a transaction of its own) in
// flight when the run died: in doubt, exit 9, never re-run silently; repair settles it.
TEST_F(EngineExactlyOnce, InDoubtStatementStopsUntilRepairSaysItRan) {
  acct_project(
      "-- strata:no-transaction\ndo $$ begin update counter set n = n + 1; end $$;\n"
      "create table marker (id int);\n");
  auto c = connect();
  c.exec("create table marker (id int)");
  ASSERT_EQ(strata({"up"}).exit_code, 5);
  c.exec("drop table marker");
  fake_in_flight("", "DoStmt");
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto r = strata({"up"});
    EXPECT_EQ(r.exit_code, 9) << r.output;
    EXPECT_NE(r.output.find("002_bonus.sql:2: in doubt"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("strata repair --in-doubt ran 002"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("strata repair --in-doubt not-run 002"), std::string::npos) << r.output;
  }
  EXPECT_EQ(query_value("select n from counter"), "1");
  auto rep = strata({"repair", "--in-doubt", "ran", "002"});
  ASSERT_EQ(rep.exit_code, 0) << rep.output;
  auto r = strata({"up"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(query_value("select n from counter"), "1");
  EXPECT_EQ(query_value("select to_regclass('marker') is not null"), "t");
  EXPECT_EQ(strata({"repair", "--in-doubt", "ran", "002"}).exit_code, 2);  // nothing in doubt
}

TEST_F(EngineExactlyOnce, InDoubtStatementRunsAgainWhenRepairSaysItDidNot) {
  acct_project(
      "-- strata:no-transaction\ndo $$ begin update counter set n = n + 1; end $$;\n"
      "create table marker (id int);\n");
  auto c = connect();
  c.exec("create table marker (id int)");
  ASSERT_EQ(strata({"up"}).exit_code, 5);
  c.exec("drop table marker; update counter set n = 0");
  fake_in_flight("", "DoStmt");
  ASSERT_EQ(strata({"up"}).exit_code, 9);
  ASSERT_EQ(strata({"repair", "--in-doubt", "not-run", "002"}).exit_code, 0);
  auto r = strata({"up"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(query_value("select n from counter"), "1");
}

// kill-cic-rerun-stuck: CREATE INDEX CONCURRENTLY killed while it waits; the server cancels it
// (client_connection_check_interval) and leaves an invalid index: the rerun drops and rebuilds
// it instead of failing forever with "already exists".
TEST_F(EngineExactlyOnce, KilledConcurrentIndexIsRebuiltNotStuck) {
  write("supabase/migrations/001_items.sql",
        "create table items (id int, v int);\ninsert into items values (1, 1);\n");
  write("supabase/migrations/002_cic.sql", "create index concurrently items_v_idx on items (v);\n");
  ASSERT_EQ(strata({"up", "--to", "001"}).exit_code, 0);
  auto blocker = connect();
  blocker.exec("begin; insert into items values (2, 2)");  // CIC waits for this transaction
  auto admin = connect();
  pid_t p = spawn_strata({"up"}, url, project, log("run1"));
  ASSERT_TRUE(wait_until(admin,
                         "select exists (select 1 from pg_stat_activity where query like "
                         "'%create index concurrently%' and wait_event_type = 'Lock')"));
  kill(p, SIGKILL);
  wait_exit(p);
  pid_t rerun = spawn_strata({"up"}, url, project, log("run2"));
  // The killed run's backend is cancelled within client_connection_check_interval.
  EXPECT_TRUE(wait_until(admin,
                         "select not exists (select 1 from pg_stat_activity where query like "
                         "'%create index concurrently%' and wait_event_type = 'Lock' and "
                         "application_name = 'strata' and backend_start < now() - "
                         "interval '0.5 s')",
                         4000));
  sleep_ms(300);
  blocker.exec("commit");
  int code = wait_exit(rerun);
  std::string out = read_file(log("run2"));
  EXPECT_EQ(code, 0) << out;
  EXPECT_EQ(query_value("select indisvalid from pg_index where indexrelid = "
                        "'items_v_idx'::regclass"),
            "t");
  EXPECT_EQ(query_value("select success from strata.migrations where version = '002'"), "t");
}

// lock-session-lost, non-transactional: the holder notices before its next statement (exit 7);
// the second run waits for the first one's backend and applies the UPDATE exactly once.
TEST_F(EngineExactlyOnce, LostLockSessionStopsTheRunAndNothingRunsTwice) {
  acct_project(
      "-- strata:no-transaction\n"
      "update acct set balance = balance + 10 where pg_sleep(1) is not null;\n"
      "create table marker (id int);\n");
  auto admin = connect();
  pid_t p1 = spawn_strata({"up"}, url, project, log("run1"));
  ASSERT_TRUE(wait_until(admin,
                         "select exists (select 1 from pg_stat_activity where query like "
                         "'%update acct%' and state = 'active' and pid <> pg_backend_pid())"));
  ASSERT_EQ(terminate_app(admin, dbname, "strata-lock"), 1);
  sleep_ms(100);
  pid_t p2 = spawn_strata({"up"}, url, project, log("run2"));
  int c1 = wait_exit(p1), c2 = wait_exit(p2);
  std::string o1 = read_file(log("run1")), o2 = read_file(log("run2"));
  EXPECT_EQ(c1, 7) << o1;
  EXPECT_NE(o1.find("lost the migration lock"), std::string::npos) << o1;
  EXPECT_EQ(c2, 0) << o2;
  EXPECT_EQ(query_value("select balance from acct"), "110");
  EXPECT_EQ(query_value("select success from strata.migrations where version = '002'"), "t");
}

// Transactional: the lock is checked just before COMMIT; nothing of the file commits.
TEST_F(EngineExactlyOnce, LostLockSessionBeforeCommitCommitsNothing) {
  acct_project("update acct set balance = balance + 10 where pg_sleep(0.8) is not null;\n");
  auto admin = connect();
  pid_t p1 = spawn_strata({"up"}, url, project, log("run1"));
  ASSERT_TRUE(wait_until(admin,
                         "select exists (select 1 from pg_stat_activity where query like "
                         "'%update acct%' and state = 'active' and pid <> pg_backend_pid())"));
  ASSERT_EQ(terminate_app(admin, dbname, "strata-lock"), 1);
  int c1 = wait_exit(p1);
  std::string o1 = read_file(log("run1"));
  EXPECT_EQ(c1, 7) << o1;
  EXPECT_NE(o1.find("lost the migration lock"), std::string::npos) << o1;
  EXPECT_NE(o1.find("nothing of it was committed"), std::string::npos) << o1;
  EXPECT_EQ(query_value("select balance from acct"), "100");
  EXPECT_EQ(query_value("select count(*) from strata.migrations where version = '002'"), "0");
  auto r = strata({"up"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(query_value("select balance from acct"), "110");
}

// conn-lost-exit-code: the migration session terminated mid-file is exit 6, in both modes.
TEST_F(EngineExactlyOnce, ConnectionLostDuringAMigrationIsExitSix) {
  for (std::string directive : {"", "-- strata:no-transaction\n"}) {
    SCOPED_TRACE(directive.empty() ? "transactional" : "no-transaction");
    auto c = connect();
    c.exec(
        "drop schema if exists strata cascade; drop schema if exists supabase_migrations cascade; "
        "drop table if exists a, a2, slow; create table slow (s float); insert into slow "
        "values (3)");
    write("supabase/migrations/001_a.sql",
          directive +
              "create table a (id int);\nselect pg_sleep((select s from slow));\n"
              "create table a2 (id int);\n");
    pid_t p = spawn_strata({"up"}, url, project, log("run"));
    ASSERT_TRUE(wait_until(
        c,
        "select exists (select 1 from pg_stat_activity where query like "
        "'%pg_sleep((select s%' and application_name = 'strata' and pid <> pg_backend_pid())"));
    EXPECT_EQ(terminate_app(c, dbname, "strata"), 1);
    c.exec("update slow set s = 0");
    int code = wait_exit(p);
    std::string out = read_file(log("run"));
    EXPECT_EQ(code, 6) << out;
    EXPECT_NE(out.find("connection lost while running supabase/migrations/001_a.sql"),
              std::string::npos)
        << out;
    auto r = strata({"up"});
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(query_value("select to_regclass('a2') is not null"), "t");
  }
}

// partial-resume-after-fix: the failed statement was fixed, the ones that ran are unchanged.
TEST_F(EngineExactlyOnce, PartialMigrationResumesAfterItsFailedStatementWasFixed) {
  write("supabase/migrations/001_tbl.sql",
        "create table orders (id int, customer text, total int);\n");
  const std::string head =
      "-- strata:no-transaction\n"
      "create table order_notes (id int, body text);\n"
      "create index concurrently orders_customer on orders (customer);\n"
      "create index concurrently orders_total on orders (total);\n";
  const std::string tail = "create index concurrently notes_id on order_notes (id);\n";
  write("supabase/migrations/002_idx.sql",
        head + "create index concurrently orders_x on orders (no_such_column);\n" + tail);
  auto r = strata({"up"});
  ASSERT_EQ(r.exit_code, 5) << r.output;
  EXPECT_NE(r.output.find("002_idx.sql:5:"), std::string::npos) << r.output;
  write("supabase/migrations/002_idx.sql",
        head + "create index concurrently orders_x on orders (customer, total);\n" + tail);
  r = strata({"up"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(query_value("select count(*) from pg_indexes where indexname in ('orders_customer', "
                        "'orders_total', 'orders_x', 'notes_id')"),
            "4");
  EXPECT_EQ(query_value("select success from strata.migrations where version = '002'"), "t");
}

TEST_F(EngineExactlyOnce, PartialMigrationWhoseAppliedStatementChangedIsRefused) {
  write("supabase/migrations/001_idx.sql",
        "-- strata:no-transaction\ncreate table t (a int);\n"
        "create index concurrently t_x on t (x);\n");
  ASSERT_EQ(strata({"up"}).exit_code, 5);
  write("supabase/migrations/001_idx.sql",
        "-- strata:no-transaction\ncreate table t (a int, b int);\n"
        "create index concurrently t_a on t (a);\n");
  auto r = strata({"up"});
  EXPECT_EQ(r.exit_code, 4) << r.output;
  EXPECT_NE(r.output.find("statements that already ran have changed"), std::string::npos)
      << r.output;
}

// --single-transaction says "Applied" only once the COMMIT went through.
TEST_F(EngineExactlyOnce, SingleTransactionSaysAppliedOnlyAfterTheCommit) {
  write("supabase/migrations/001_a.sql",
        "create table p (id int primary key);\n"
        "create table c (p int references p deferrable initially deferred);\n"
        "insert into c values (42);\n");  // fails at COMMIT
  auto r = strata({"up", "--single-transaction"});
  EXPECT_EQ(r.exit_code, 5) << r.output;
  EXPECT_EQ(r.output.find("Applied supabase"), std::string::npos) << r.output;
  EXPECT_EQ(query_value("select to_regclass('p') is null"), "t");
  write("supabase/migrations/001_a.sql", "create table p (id int primary key);\n");
  r = strata({"up", "--single-transaction"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("Applied supabase/migrations/001_a.sql"), std::string::npos) << r.output;
}

}  // namespace
