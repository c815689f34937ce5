// Integration tests: applying migrations against a real PostgreSQL, through the strata binary.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "fixture.hpp"

using namespace strata::testing;

namespace {

class Apply : public DbTest {
 protected:
  void three_migrations() {
    write("supabase/migrations/20250101000000_a.sql", "create table a (id int primary key);\n");
    write("supabase/migrations/20250102000000_b.sql",
          "create table b (id int primary key, a_id int references a(id));\ncreate index b_a on b "
          "(a_id);\n");
    write("supabase/migrations/20250103_c.sql",
          "create table c (id int);\ninsert into c values (1), (2);\n");
  }
  nlohmann::json status_json() {
    auto r = strata({"status", "--json"});
    return nlohmann::json::parse(r.output);
  }
};

TEST_F(Apply, AppliesInVersionOrderRecordsHistoryAndRerunIsANoop) {
  three_migrations();
  auto r = strata({"up"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("Applied 3 migration(s)"), std::string::npos) << r.output;
  EXPECT_EQ(query_value("select count(*) from c"), "2");
  EXPECT_EQ(
      query_value(
          "select string_agg(version, ',' order by applied_at, version) from strata.migrations"),
      "20250101000000,20250102000000,20250103");
  EXPECT_EQ(
      query_value(
          "select bool_and(success and statements_applied = statements_total and checksum like "
          "'sha256:%' and applied_by = current_user and transactional) from strata.migrations"),
      "t");
  // Supabase CLI's table kept in step, with the statements.
  EXPECT_EQ(query_value("select count(*) from supabase_migrations.schema_migrations"), "3");
  EXPECT_EQ(
      query_value(
          "select array_length(statements, 1) from supabase_migrations.schema_migrations where "
          "version = '20250102000000'"),
      "2");
  std::string before = snapshot();
  auto again = strata({"up"});
  EXPECT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("nothing to apply"), std::string::npos);
  EXPECT_EQ(snapshot(), before);
  auto st = strata({"status"});
  EXPECT_EQ(st.exit_code, 0) << st.output;
  EXPECT_EQ(query_value("select count(*) from strata.events where action = 'apply'"), "3");
}

TEST_F(Apply, ToStopsAtAVersionAndStatusReportsPending) {
  three_migrations();
  auto r = strata({"up", "--to", "20250102000000"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(query_value("select to_regclass('public.c') is null"), "t");
  auto st = strata({"status", "--json"});
  EXPECT_EQ(st.exit_code, 3);  // pending
  auto j = nlohmann::json::parse(st.output);
  auto& ms = j["sources"][0]["migrations"];
  ASSERT_EQ(ms.size(), 3u);
  EXPECT_EQ(ms[0]["state"], "applied");
  EXPECT_EQ(ms[2]["state"], "pending");
  EXPECT_EQ(j["summary"]["pending"], 1);
  EXPECT_TRUE(ms[0].contains("applied_at"));
  EXPECT_TRUE(ms[0].contains("execution_ms"));
}

TEST_F(Apply, DryRunPrintsTheSqlAndTouchesNothing) {
  three_migrations();
  ASSERT_EQ(strata({"up", "--to", "20250101000000"}).exit_code, 0);
  std::string before = snapshot();
  auto r = strata({"up", "--dry-run"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("-- supabase/migrations/20250102000000_b.sql (in a transaction)"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("create index b_a on b (a_id);"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("nothing was changed"), std::string::npos);
  EXPECT_EQ(snapshot(), before);
  // On a database strata never touched, a dry run creates no history tables either.
  auto admin = connect();
  admin.exec("drop schema strata cascade; drop schema supabase_migrations cascade; drop table a");
  std::string fresh = snapshot();
  ASSERT_EQ(strata({"up", "--dry-run"}).exit_code, 0);
  EXPECT_EQ(snapshot(), fresh);
}

TEST_F(Apply, FailureReportsFileLineColumnAndKeepsEarlierMigrations) {
  write("supabase/migrations/001_ok.sql", "create table ok (id int);\n");
  write("supabase/migrations/002_bad.sql",
        "create table t1 (id int);\n"
        "-- a comment\n"
        "insert into t1 values (1);\n"
        "select id,\n"
        "       nosuchcolumn from t1;\n"
        "create table t2 (id int);\n");
  write("supabase/migrations/003_after.sql", "create table after_bad (id int);\n");
  auto r = strata({"up"});
  EXPECT_EQ(r.exit_code, 5) << r.output;
  EXPECT_NE(r.output.find("supabase/migrations/002_bad.sql:5:8"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("column \"nosuchcolumn\" does not exist"), std::string::npos);
  EXPECT_NE(r.output.find("SQLSTATE 42703"), std::string::npos);
  // 001 committed; 002 rolled back entirely; 003 never ran.
  EXPECT_EQ(query_value("select to_regclass('ok') is not null"), "t");
  EXPECT_EQ(query_value("select to_regclass('t1') is null and to_regclass('after_bad') is null"),
            "t");
  EXPECT_EQ(query_value("select string_agg(version, ',') from strata.migrations"), "001");
  EXPECT_EQ(
      query_value("select count(*) from strata.events where action = 'fail' and version = '002'"),
      "1");
}

TEST_F(Apply, OwnBeginCommitIsFoldedIntoOneTransactionAndRecordedOnce) {
  write("supabase/migrations/20260322_create_favorites.sql",
        "BEGIN;\ncreate table if not exists fav (id int);\ncreate index if not exists fav_id on "
        "fav (id);\nCOMMIT;\n");
  auto r = strata({"up"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(query_value("select count(*) from strata.migrations where version = '20260322'"), "1");
  EXPECT_EQ(query_value("select to_regclass('fav_id') is not null"), "t");
  auto dry = strata({"up", "--dry-run"});
  EXPECT_EQ(dry.exit_code, 0);
}

TEST_F(Apply, NonTransactionalMigrationResumesAfterLastGoodStatement) {
  write("supabase/migrations/001_t.sql", "create table t (a int, b int);\n");
  write("supabase/migrations/002_idx.sql",
        "create index concurrently t_a on t (a);\n"
        "create index concurrently t_c on t (c);\n"
        "create index concurrently t_b on t (b);\n");
  auto r = strata({"up"});
  EXPECT_EQ(r.exit_code, 5) << r.output;
  EXPECT_NE(r.output.find("002_idx.sql:2:"), std::string::npos) << r.output;
  EXPECT_EQ(query_value("select format('%s/%s/%s/%s', statements_applied, statements_total, "
                        "success, transactional) "
                        "from strata.migrations where version = '002'"),
            "1/3/f/f");
  auto st = strata({"status"});
  EXPECT_EQ(st.exit_code, 4);
  EXPECT_NE(st.output.find("partial 1/3"), std::string::npos) << st.output;
  // Fix the cause by hand; the rerun must not re-run statement 1 (it would fail: t_a exists).
  connect().exec("alter table t add column c int");
  auto again = strata({"up"});
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_EQ(query_value("select count(*) from pg_indexes where tablename = 't'"), "3");
  EXPECT_EQ(query_value("select success from strata.migrations where version = '002'"), "t");
}

TEST_F(Apply, ChangedPartialMigrationIsRefused) {
  write("supabase/migrations/001_idx.sql",
        "create table t (a int);\ncreate index concurrently t_x on t (x);\n");
  ASSERT_EQ(strata({"up"}).exit_code, 5);
  // A statement that already ran changed (a fixed failed statement alone resumes: engine tests).
  write("supabase/migrations/001_idx.sql",
        "create table t (a int, b int);\ncreate index concurrently t_a on t (a);\n");
  auto r = strata({"up"});
  EXPECT_EQ(r.exit_code, 4) << r.output;
  EXPECT_NE(r.output.find("stopped part-way"), std::string::npos) << r.output;
}

TEST_F(Apply, UnparseableFileIsSentWholeAndTheServerJudges) {
  // Not parseable by libpg_query (a typo): sent whole, the server reports the position.
  write("supabase/migrations/001_bad.sql", "create table m (id int);\ncreat table n (id int);\n");
  auto r = strata({"up"});
  EXPECT_EQ(r.exit_code, 5) << r.output;
  EXPECT_NE(r.output.find("001_bad.sql:2:1"), std::string::npos) << r.output;
  EXPECT_EQ(query_value("select to_regclass('m') is null"), "t");
  EXPECT_EQ(query_value("select count(*) from strata.migrations"), "0");
}

TEST_F(Apply, PsqlMetaCommandIsRefusedBeforeAnythingRuns) {
  write("supabase/migrations/001_meta.sql", "create table m (id int);\n\\echo hello\n");
  auto r = strata({"up"});
  EXPECT_EQ(r.exit_code, 8) << r.output;
  EXPECT_NE(r.output.find("001_meta.sql:2:1: psql meta-command \\echo"), std::string::npos)
      << r.output;
  EXPECT_EQ(query_value("select to_regclass('m') is null"), "t");
}

TEST_F(Apply, EmptyFileIsARecordedNoOp) {
  write("supabase/migrations/001_a.sql", "create table a (id int);\n");
  write("supabase/migrations/002_empty.sql", "-- TODO\n");
  auto r = strata({"up"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(query_value("select count(*) from strata.migrations where success"), "2");
}

TEST_F(Apply, ModifiedAppliedFileIsDetectedAndBlocksUp) {
  write("supabase/migrations/001_a.sql", "create table a (id int);\n");
  ASSERT_EQ(strata({"up"}).exit_code, 0);
  write("supabase/migrations/001_a.sql", "create table a (id bigint);\n");
  write("supabase/migrations/002_b.sql", "create table b (id int);\n");
  auto st = strata({"status", "--json"});
  EXPECT_EQ(st.exit_code, 4);
  EXPECT_EQ(nlohmann::json::parse(st.output)["sources"][0]["migrations"][0]["state"], "modified");
  auto r = strata({"up"});
  EXPECT_EQ(r.exit_code, 4) << r.output;
  EXPECT_NE(r.output.find("changed since they ran"), std::string::npos);
  EXPECT_EQ(query_value("select to_regclass('b') is null"), "t");
  auto v = strata({"validate"});
  EXPECT_EQ(v.exit_code, 4);
  EXPECT_NE(v.output.find("modified since it was applied"), std::string::npos) << v.output;
  // CRLF line endings alone are not a modification.
  write("supabase/migrations/001_a.sql", "create table a (id int);\r\n");
  EXPECT_EQ(strata({"validate"}).exit_code, 3);  // clean, 002 pending
}

TEST_F(Apply, OutOfOrderNeedsIncludeAll) {
  write("supabase/migrations/20250101_a.sql", "create table a (id int);\n");
  write("supabase/migrations/20250301_c.sql", "create table c (id int);\n");
  ASSERT_EQ(strata({"up"}).exit_code, 0);
  write("supabase/migrations/20250201_b.sql", "create table b (id int);\n");
  auto st = strata({"status"});
  EXPECT_EQ(st.exit_code, 4);
  EXPECT_NE(st.output.find("out-of-order"), std::string::npos);
  auto r = strata({"up"});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_NE(r.output.find("20250201_b.sql"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("--include-all"), std::string::npos);
  ASSERT_EQ(strata({"up", "--include-all"}).exit_code, 0);
  EXPECT_EQ(query_value("select to_regclass('b') is not null"), "t");
}

TEST_F(Apply, MissingLocalFileIsReportedAndRepairable) {
  write("supabase/migrations/001_a.sql", "create table a (id int);\n");
  write("supabase/migrations/002_b.sql", "create table b (id int);\n");
  ASSERT_EQ(strata({"up"}).exit_code, 0);
  std::filesystem::remove(project / "supabase/migrations/002_b.sql");
  auto st = strata({"status", "--json"});
  EXPECT_EQ(st.exit_code, 4);
  EXPECT_EQ(nlohmann::json::parse(st.output)["summary"]["missing"], 1);
  EXPECT_EQ(strata({"up"}).exit_code, 4);
  auto rep = strata({"repair", "--status", "reverted", "002"});
  ASSERT_EQ(rep.exit_code, 0) << rep.output;
  EXPECT_EQ(strata({"status"}).exit_code, 0);
  EXPECT_EQ(query_value(
                "select count(*) from supabase_migrations.schema_migrations where version = '002'"),
            "0");
}

TEST_F(Apply, SingleTransactionRollsBackTheWholeRun) {
  write("supabase/migrations/001_a.sql", "create table a (id int);\n");
  write("supabase/migrations/002_bad.sql", "create table b (id nosuchtype);\n");
  auto r = strata({"up", "--single-transaction"});
  EXPECT_EQ(r.exit_code, 5) << r.output;
  EXPECT_EQ(query_value("select to_regclass('a') is null"), "t");
  EXPECT_EQ(query_value("select count(*) from strata.migrations"), "0");
  write("supabase/migrations/002_bad.sql", "create table b (id int);\n");
  ASSERT_EQ(strata({"up", "--single-transaction"}).exit_code, 0);
  EXPECT_EQ(query_value("select count(*) from strata.migrations"), "2");
}

TEST_F(Apply, DuplicateVersionsAreRefusedNamingBothFiles) {
  write("supabase/migrations/001_a.sql", "create table a (id int);\n");
  write("supabase/migrations/1_b.sql", "create table b (id int);\n");
  auto r = strata({"up"});
  EXPECT_EQ(r.exit_code, 8);
  EXPECT_NE(r.output.find("001_a.sql"), std::string::npos);
  EXPECT_NE(r.output.find("1_b.sql"), std::string::npos);
  EXPECT_EQ(query_value("select to_regclass('a') is null"), "t");
}

TEST_F(Apply, MissingDirectoryAndUnreachableServerAreClearErrorsWithoutPasswords) {
  auto r = strata({"up"});
  EXPECT_EQ(r.exit_code, 8) << r.output;
  EXPECT_NE(r.output.find("does not exist"), std::string::npos);
  write("supabase/migrations/001_a.sql", "create table a (id int);\n");
  auto bad = strata({"up", "--db-url", "postgresql://app:TopSecret99@127.0.0.1:1/db", "--workdir",
                     project.string()},
                    false);
  EXPECT_EQ(bad.exit_code, 6) << bad.output;
  EXPECT_EQ(bad.output.find("TopSecret99"), std::string::npos) << bad.output;
  EXPECT_NE(bad.output.find("cannot connect"), std::string::npos);
  // Wrong password over a socket with password auth is not testable with trust; a wrong database
  // is.
  auto nodb = strata({"status", "--db-url", url + "_nope", "--workdir", project.string()}, false);
  EXPECT_EQ(nodb.exit_code, 6) << nodb.output;
}

TEST_F(Apply, SequentialProjectWithStrataToml) {
  write("strata.toml",
        "[migrations]\ndir = \"db/migrations\"\n\n[history]\nschema = \"app_history\"\n");
  write("db/migrations/001_a.sql", "create table a (id int);\n");
  write("db/migrations/002_b.sql", "create table b (id int);\n");
  write("db/migrations/010_c.sql", "create table c (id int);\n");
  auto r = strata({"up"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(query_value("select string_agg(version, ',' order by id) from app_history.events"),
            "001,002,010");
  EXPECT_EQ(query_value("select to_regclass('supabase_migrations.schema_migrations') is null"),
            "t");
  auto n = strata({"new", "add_d"});
  ASSERT_EQ(n.exit_code, 0) << n.output;
  EXPECT_TRUE(std::filesystem::exists(project / "db/migrations/011_add_d.sql")) << n.output;
  auto bad = strata({"new", "Add-D"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.output.find("lowercase"), std::string::npos);
}

TEST_F(Apply, NewWritesATimestampedFileInASupabaseProject) {
  std::filesystem::create_directories(project / "supabase");
  auto n = strata({"migration", "new", "create_things"});
  ASSERT_EQ(n.exit_code, 0) << n.output;
  int count = 0;
  for (const auto& e : std::filesystem::directory_iterator(project / "supabase/migrations")) {
    std::string f = e.path().filename().string();
    EXPECT_EQ(f.size(), std::string("20261122101010_create_things.sql").size()) << f;
    EXPECT_TRUE(f.ends_with("_create_things.sql"));
    ++count;
  }
  EXPECT_EQ(count, 1);
}

}  // namespace

namespace {

class LintGate : public DbTest {};

TEST_F(LintGate, UpLintRefusesErrorsAndAppliesCleanMigrations) {
  write("supabase/migrations/001_a.sql", "create table if not exists a (id bigint primary key);\n");
  ASSERT_EQ(strata({"up"}).exit_code, 0);
  write("supabase/migrations/002_drop.sql", "drop table a;\n");
  std::string before = snapshot();
  auto r = strata({"up", "--lint"});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("002_drop.sql:1:1"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("[ban-drop-table]"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("refusing to apply"), std::string::npos) << r.output;
  EXPECT_EQ(snapshot(), before);
  write("supabase/migrations/002_drop.sql",
        "-- strata-lint-ignore ban-drop-table\ndrop table a;\n");
  auto ok = strata({"up", "--lint"});
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_EQ(query_value("select to_regclass('a') is null"), "t");
}

}  // namespace
