// Apply engine: each file means what psql would make it mean. SET ROLE / SET SESSION
// AUTHORIZATION never reach strata's history rows or the next file; a file's own BEGIN ...
// COMMIT ends its SET LOCAL / set_config(..., true) at that COMMIT; a DO block that COMMITs gets
// the hint to run the file outside a transaction.
#include "engine_helpers.hpp"

using namespace strata::testing;

namespace {

class EngineSession : public DbTest {
 protected:
  // Cluster-wide roles, created once per test binary.
  void roles() {
    auto c = connect();
    c.exec(
        "DO $$ BEGIN "
        "IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'eng_owner') THEN CREATE ROLE "
        "eng_owner NOLOGIN; END IF; "
        "IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'eng_deployer') THEN CREATE ROLE "
        "eng_deployer LOGIN; END IF; "
        "IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'eng_super') THEN CREATE ROLE "
        "eng_super SUPERUSER NOLOGIN; END IF; "
        "IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'eng_low') THEN CREATE ROLE "
        "eng_low NOLOGIN; END IF; END $$");
    c.exec("GRANT eng_owner TO eng_deployer");
  }
};

// set-role-breaks-history: a login role switches to a NOLOGIN owner role that has no rights on
// strata's schema; the history is still written, by the login role.
TEST_F(EngineSession, SetRoleToAnOwnerRoleStillWritesTheHistory) {
  roles();
  auto c = connect();
  c.exec(fmt::format("ALTER DATABASE {} OWNER TO eng_deployer", dbname));
  c.exec("ALTER SCHEMA public OWNER TO eng_owner");
  write("supabase/migrations/001_orders.sql",
        "set role eng_owner;\ncreate table orders (id int);\n");
  write("supabase/migrations/002_items.sql", "set role eng_owner;\ncreate table items (id int);\n");
  std::string deployer_url = url;
  deployer_url.replace(deployer_url.find("postgres@"), 9, "eng_deployer@");
  auto r = strata({"up", "--db-url", deployer_url, "--workdir", project.string()}, false);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(query_value("select string_agg(distinct pg_get_userbyid(relowner), ',') from pg_class "
                        "where relname in ('orders', 'items')"),
            "eng_owner");
  EXPECT_EQ(query_value("select string_agg(distinct applied_by, ',') from strata.migrations"),
            "eng_deployer");
}

// set-role-leaks: a role switched to in one file never reaches the next file.
TEST_F(EngineSession, RoleSetInOneFileNeverLeaksIntoTheNext) {
  roles();
  write("supabase/migrations/001_a.sql", "set role eng_super;\ncreate table r1 (id int);\n");
  write("supabase/migrations/002_b.sql",
        "set session authorization eng_super;\ncreate table r2 (id int);\n");
  write("supabase/migrations/003_c.sql", "create table r3 (id int);\n");
  auto r = strata({"up"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(query_value("select pg_get_userbyid(relowner) from pg_class where relname = 'r1'"),
            "eng_super");
  EXPECT_EQ(query_value("select pg_get_userbyid(relowner) from pg_class where relname = 'r3'"),
            "postgres");
  EXPECT_EQ(query_value("select string_agg(distinct applied_by, ',') from strata.migrations"),
            "postgres");
  EXPECT_EQ(query_value("select string_agg(distinct by_user, ',') from strata.events"), "postgres");
}

// notx-set-role: a low-privilege role in a non-transactional file; strata's progress rows are
// written on its own session, as itself.
TEST_F(EngineSession, NonTransactionalFileWithSetRoleRunsAndIsRecorded) {
  roles();
  write("supabase/migrations/001_as_api_user.sql",
        "-- strata:no-transaction\nset role eng_low;\nselect current_user;\nreset role;\n"
        "begin;\nset local role eng_low;\nselect 1;\ncommit;\n");
  write("supabase/migrations/002_next.sql", "create table after_role (id int);\n");
  auto r = strata({"up"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(query_value("select count(*) from strata.migrations where success"), "2");
  EXPECT_EQ(
      query_value("select pg_get_userbyid(relowner) from pg_class where relname = 'after_role'"),
      "postgres");
}

// begin-commit-folding: SET LOCAL and set_config(..., true) end at the file's own COMMIT (as in
// psql), while a plain SET inside the block lasts, also as in psql.
TEST_F(EngineSession, FileOwnCommitEndsSetLocalAsInPsql) {
  roles();
  write("supabase/migrations/001_fixtures.sql",
        "create schema private;\ncreate table private.audit (id int);\n"
        "create function simulate_login() returns void language sql as "
        "$$ select set_config('role', 'eng_low', true) $$;\n"
        "begin;\nselect simulate_login();\nselect current_user;\nend;\n"
        "insert into private.audit values (1);\n"
        "begin;\nset local statement_timeout = '1ms';\ncommit;\nselect pg_sleep(0.05);\n"
        "begin;\nset search_path = private, public;\ncommit;\ncreate table in_private (id int);\n");
  auto r = strata({"up"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(query_value("select count(*) from private.audit"), "1");
  EXPECT_EQ(query_value("select to_regclass('private.in_private') is not null"), "t");
  auto dry = strata({"up", "--dry-run"});
  EXPECT_EQ(dry.exit_code, 0) << dry.output;
}

// do-block-commit: the error says how to run such a file.
TEST_F(EngineSession, DoBlockThatCommitsGetsTheNoTransactionHint) {
  write("supabase/migrations/001_t.sql", "create table t (id int);\n");
  write("supabase/migrations/002_backfill.sql",
        "do $$ begin insert into t values (1); commit; insert into t values (2); end $$;\n");
  auto r = strata({"up"});
  EXPECT_EQ(r.exit_code, 5) << r.output;
  EXPECT_NE(r.output.find("-- strata:no-transaction"), std::string::npos) << r.output;
  write("supabase/migrations/002_backfill.sql",
        "-- strata:no-transaction\n"
        "do $$ begin insert into t values (1); commit; insert into t values (2); end $$;\n");
  r = strata({"up"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(query_value("select count(*) from t"), "2");
}

// reset-drops-before-layout-check: a layout error stops `db reset` before anything is dropped.
TEST_F(EngineSession, ResetChecksTheFilesBeforeDroppingAnything) {
  write("supabase/migrations/20240101000000_init.sql", "create table notes (id int, body text);\n");
  ASSERT_EQ(strata({"up"}).exit_code, 0);
  auto c = connect();
  c.exec("insert into notes values (1, 'x')");
  // Two files with one version: a layout error found before anything is dropped.
  write("supabase/migrations/20240101000000_add_flag.sql",
        "alter table notes add column flag bool;\n");
  auto r = strata({"db", "reset", "--force", "--no-seed"});
  EXPECT_EQ(r.exit_code, 8) << r.output;
  EXPECT_EQ(r.output.find("Dropping"), std::string::npos) << r.output;
  EXPECT_EQ(query_value("select count(*) from notes"), "1");
  std::filesystem::remove(project / "supabase/migrations/20240101000000_add_flag.sql");
  write("supabase/migrations/20240102000000_bad.sql", "create table b (id int);\nrollback;\n");
  r = strata({"db", "reset", "--force", "--no-seed"});
  EXPECT_EQ(r.exit_code, 8) << r.output;
  EXPECT_EQ(query_value("select count(*) from notes"), "1");
}

}  // namespace
