// Integration tests: down, repair, baseline, Supabase CLI history adoption, the migration lock.
#include <fmt/format.h>

#include <thread>

#include "execute/lock.hpp"
#include "fixture.hpp"

using namespace strata::testing;

namespace {

class History : public DbTest {};

TEST_F(History, DownRunsDownScriptsNewestFirstInAllThreeSpellings) {
  write("supabase/migrations/001_a.sql", "create table a (id int);\n");
  write("supabase/migrations/001_a.down.sql", "drop table a;\n");
  write("supabase/migrations/002_b.sql", "create table b (id int);\n");
  write("supabase/migrations/002_b_down.sql", "drop table b;\n");
  write("supabase/migrations/003_c.sql",
        "create table c (id int);\n-- strata:down\ndrop table c;\n");
  write("supabase/migrations/004_d.sql", "create table d (id int);\n");
  write("supabase/migrations/004_d_rollback.sql", "drop table d;\n");
  ASSERT_EQ(strata({"up"}).exit_code, 0);
  EXPECT_EQ(query_value("select count(*) from strata.migrations"),
            "4");  // down files never applied forward
  auto r = strata({"down", "--steps", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(query_value("select to_regclass('d') is null and to_regclass('c') is null and "
                        "to_regclass('b') is not null"),
            "t");
  EXPECT_EQ(query_value("select string_agg(version, ',' order by version) from strata.migrations"),
            "001,002");
  EXPECT_EQ(query_value("select string_agg(version, ',' order by version) from "
                        "supabase_migrations.schema_migrations"),
            "001,002");
  ASSERT_EQ(strata({"migration", "down", "--to", "001"}).exit_code, 0);
  EXPECT_EQ(query_value("select to_regclass('b') is null and to_regclass('a') is not null"), "t");
  EXPECT_EQ(query_value("select count(*) from strata.events where action = 'revert'"), "3");
  // Everything is pending again and re-applies.
  ASSERT_EQ(strata({"up"}).exit_code, 0);
  EXPECT_EQ(query_value("select count(*) from strata.migrations"), "4");
}

TEST_F(History, DownWithoutADownScriptStopsBeforeAnythingRuns) {
  write("supabase/migrations/001_a.sql",
        "create table a (id int);\n-- strata:down\ndrop table a;\n");
  write("supabase/migrations/002_b.sql", "create table b (id int);\n");
  ASSERT_EQ(strata({"up"}).exit_code, 0);
  std::string before = snapshot();
  auto r = strata({"down", "--steps", "2"});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("002_b.sql"), std::string::npos);
  EXPECT_NE(r.output.find("no down script"), std::string::npos);
  EXPECT_EQ(snapshot(), before);
}

TEST_F(History, FailingDownScriptRollsBackAndKeepsHistory) {
  write("supabase/migrations/001_a.sql", "create table a (id int);\n");
  write("supabase/migrations/001_a.down.sql", "drop table a;\ndrop table nosuchtable;\n");
  ASSERT_EQ(strata({"up"}).exit_code, 0);
  auto r = strata({"down"});
  EXPECT_EQ(r.exit_code, 5) << r.output;
  EXPECT_NE(r.output.find("001_a.down.sql:2:1"), std::string::npos) << r.output;
  EXPECT_EQ(query_value("select to_regclass('a') is not null"), "t");
  EXPECT_EQ(query_value("select count(*) from strata.migrations"), "1");
}

TEST_F(History, RepairMarksAppliedWithoutRunningAndRevertedWithoutUndoing) {
  write("supabase/migrations/001_a.sql", "create table a (id int);\n");
  write("supabase/migrations/002_b.sql", "create table b (id int);\n");
  auto r = strata({"migration", "repair", "--status", "applied", "002"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(query_value("select to_regclass('b') is null"), "t");  // no SQL ran
  auto up = strata({"up", "--include-all"});
  ASSERT_EQ(up.exit_code, 0) << up.output;
  EXPECT_EQ(query_value("select to_regclass('a') is not null and to_regclass('b') is null"), "t");
  EXPECT_EQ(query_value("select count(*) from strata.events where action = 'repair'"), "1");
  ASSERT_EQ(strata({"repair", "--status", "reverted", "001"}).exit_code, 0);
  EXPECT_EQ(query_value("select to_regclass('a') is not null"), "t");  // nothing undone
  EXPECT_EQ(query_value("select string_agg(version, ',') from strata.migrations"), "002");
  auto bad = strata({"repair", "--status", "applied", "999"});
  EXPECT_EQ(bad.exit_code, 2);
  // Repair also accepts an edited file's new checksum.
  write("supabase/migrations/002_b.sql", "-- reformatted\ncreate table b (id int);\n");
  EXPECT_EQ(strata({"validate"}).exit_code, 4);
  ASSERT_EQ(strata({"repair", "--status", "applied", "002"}).exit_code, 0);
  auto v = strata({"validate"});
  EXPECT_EQ(v.exit_code, 4) << v.output;  // still 001 out of order, but 002 no longer modified
  EXPECT_EQ(v.output.find("modified"), std::string::npos) << v.output;
}

TEST_F(History, BaselineAdoptsAnExistingDatabase) {
  write("supabase/migrations/001_a.sql", "create table a (id int);\n");
  write("supabase/migrations/002_b.sql", "create table b (id int);\n");
  write("supabase/migrations/003_c.sql", "create table c (id int);\n");
  connect().exec("create table a (id int); create table b (id int);");  // applied by hand
  auto r = strata({"baseline", "002"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("marked 2"), std::string::npos) << r.output;
  auto up = strata({"up"});
  ASSERT_EQ(up.exit_code, 0) << up.output;
  EXPECT_NE(up.output.find("Applied 1 migration"), std::string::npos) << up.output;
  EXPECT_EQ(query_value("select count(*) from strata.events where action = 'baseline'"), "2");
}

TEST_F(History, SupabaseCliHistoryIsAdoptedWithoutRerunning) {
  write("supabase/migrations/20250101000000_a.sql", "create table a (id int);\n");
  write("supabase/migrations/20250102000000_b.sql", "create table b (id int);\n");
  write("supabase/migrations/20250103000000_c.sql", "create table c (id int);\n");
  // What the Supabase CLI leaves behind after `supabase db push` of the first two.
  connect().exec(R"sql(
    create schema supabase_migrations;
    create table supabase_migrations.schema_migrations (version text not null primary key);
    alter table supabase_migrations.schema_migrations add column if not exists statements text[];
    alter table supabase_migrations.schema_migrations add column if not exists name text;
    create table a (id int); create table b (id int);
    insert into supabase_migrations.schema_migrations (version, statements, name) values
      ('20250101000000', '{"create table a (id int)"}', 'a'),
      ('20250102000000', '{"create table b (id int)"}', 'b');)sql");
  auto st = strata({"status", "--json"});
  EXPECT_EQ(st.exit_code, 3) << st.output;
  EXPECT_NE(st.output.find("\"origin\": \"supabase\""), std::string::npos) << st.output;
  auto r = strata({"up"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("Adopted 2"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("Applied 1 migration"), std::string::npos) << r.output;
  EXPECT_EQ(query_value("select count(*) from strata.migrations"), "3");
  EXPECT_EQ(query_value("select count(*) from supabase_migrations.schema_migrations"), "3");
  EXPECT_EQ(strata({"status"}).exit_code, 0);
  // And back: a row the Supabase CLI adds later is adopted too (alternating tools).
  write("supabase/migrations/20250104000000_d.sql", "create table d (id int);\n");
  connect().exec(
      "create table d (id int); insert into supabase_migrations.schema_migrations (version, name) "
      "values "
      "('20250104000000', 'd')");
  ASSERT_EQ(strata({"up"}).exit_code, 0);
  EXPECT_EQ(strata({"status"}).exit_code, 0);
}

TEST_F(History, LockTimeoutNamesTheHolder) {
  write("supabase/migrations/001_a.sql", "create table a (id int);\n");
  auto holder = strata::db::Connection::open(url, "other-migrator");
  long long key = strata::MigrationLock::key_for("strata/default");
  holder.exec(fmt::format("select pg_advisory_lock({})", key));
  auto r = strata({"up", "--lock-timeout", "1"});
  EXPECT_EQ(r.exit_code, 7) << r.output;
  EXPECT_NE(r.output.find(fmt::format("pid {}", holder.backend_pid())), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("other-migrator"), std::string::npos) << r.output;
  EXPECT_EQ(query_value("select to_regclass('a') is null"), "t");
  holder.exec(fmt::format("select pg_advisory_unlock({})", key));
  EXPECT_EQ(strata({"up"}).exit_code, 0);
}

}  // namespace
