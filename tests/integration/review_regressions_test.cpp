// Integration tests for faults found in review: each would fail if its fix were undone.
#include <fmt/format.h>

#include "fixture.hpp"

using namespace strata::testing;

namespace {

class Regression : public DbTest {};

TEST_F(Regression, ResumeInsideTheFilesOwnTransactionRestartsAtItsBegin) {
  connect().exec("create table flag (x int)");
  write("supabase/migrations/001_m.sql",
        "-- strata:no-transaction\n"
        "create table t (a int);\n"
        "create index concurrently t_a on t (a);\n"
        "begin;\n"
        "create table x1 (a int);\n"
        "select 1 / (select count(*) from flag);\n"
        "commit;\n");
  EXPECT_EQ(strata({"up"}).exit_code, 5);
  EXPECT_EQ(query_value("select statements_applied from strata.migrations"),
            "2");  // resumes at BEGIN
  connect().exec("insert into flag values (1)");
  auto r = strata({"up"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(query_value("select to_regclass('x1') is not null"), "t");
}

TEST_F(Regression, ResumeReplaysTheFilesSessionSettings) {
  connect().exec("create schema app2");
  write("supabase/migrations/001_m.sql",
        "set search_path = app2;\ncreate index concurrently t_a_idx on t (a);\n");
  connect().exec("create table public.t (a int)");
  EXPECT_EQ(strata({"up"}).exit_code, 5);  // app2.t does not exist yet
  connect().exec("create table app2.t (a int)");
  ASSERT_EQ(strata({"up"}).exit_code, 0);
  EXPECT_EQ(
      query_value(
          "select count(*) from pg_indexes where schemaname = 'app2' and indexname = 't_a_idx'"),
      "1");
  EXPECT_EQ(
      query_value(
          "select count(*) from pg_indexes where schemaname = 'public' and indexname = 't_a_idx'"),
      "0");
}

TEST_F(Regression, SingleTransactionDoesNotLeakSettingsBetweenFiles) {
  connect().exec("create schema other");
  write("supabase/migrations/001_a.sql", "set search_path to other;\ncreate table a1 (id int);\n");
  write("supabase/migrations/002_b.sql", "create table leak (id int);\n");
  ASSERT_EQ(strata({"up", "--single-transaction"}).exit_code, 0);
  EXPECT_EQ(
      query_value(
          "select to_regclass('public.leak') is not null and to_regclass('other.leak') is null"),
      "t");
}

TEST_F(Regression, DownOfANoTransactionMigrationRunsItsDownScript) {
  write("supabase/migrations/001_z.sql", "-- strata:no-transaction\ncreate table z (id int);\n");
  write("supabase/migrations/001_z.down.sql", "drop table z;\n");
  ASSERT_EQ(strata({"up"}).exit_code, 0);
  auto r = strata({"down"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(query_value("select to_regclass('z') is null"), "t");
}

TEST_F(Regression, TestFilesWithTheirOwnBeginRollbackRun) {
  write("supabase/migrations/001_t.sql", "create table t (v int);\n");
  ASSERT_EQ(strata({"up"}).exit_code, 0);
  write("supabase/tests/a_test.sql",
        "begin;\ninsert into t values (1);\nselect 'ok 1 - inserted';\nrollback;\n");
  auto r = strata({"test"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("ok 1 - supabase/tests/a_test.sql"), std::string::npos) << r.output;
  EXPECT_EQ(query_value("select count(*) from t"), "0");
}

TEST_F(Regression, NulByteInAMigrationIsRefused) {
  write("supabase/migrations/001_a.sql", std::string("select 1;\0select 2;\n", 20));
  auto r = strata({"up"});
  EXPECT_EQ(r.exit_code, 8) << r.output;
  EXPECT_NE(r.output.find("NUL byte"), std::string::npos) << r.output;
}

TEST_F(Regression, PasswordsWithOddCharactersNeverReachOutput) {
  write("supabase/migrations/001_a.sql", "select 1;\n");
  for (const std::string pw : {"se?cret99", "se%zzcret99", "p@ss#word99"}) {
    auto r = strata({"status", "--db-url", fmt::format("postgresql://app:{}@127.0.0.1:1/db", pw),
                     "--workdir", project.string()},
                    false);
    EXPECT_NE(r.exit_code, 0);
    EXPECT_EQ(r.output.find("cret99"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("word99"), std::string::npos) << r.output;
  }
}

TEST_F(Regression, TenantFleetFailsAMissingSchemaInsteadOfWritingToPublic) {
  write("migrations/001_items.sql", "create table customers (id int);\n");
  connect().exec("create schema t1");
  write("targets.toml", fmt::format("[tenants]\nurl = \"{}\"\nschemas = [\"t1\", \"t2\"]\n", url));
  auto r = strata({"up", "--targets", (project / "targets.toml").string()});
  EXPECT_EQ(r.exit_code, 5) << r.output;
  EXPECT_NE(r.output.find("tenant schema t2 does not exist"), std::string::npos) << r.output;
  EXPECT_EQ(query_value("select to_regclass('public.customers') is null and "
                        "to_regclass('t1.customers') is not null"),
            "t");
}

TEST_F(Regression, CopyOfAnInheritanceParentCopiesOnlyItsOwnRows) {
  auto admin = strata::db::Connection::open(cluster().url("postgres"));
  admin.exec(fmt::format("DROP DATABASE IF EXISTS {}_src WITH (FORCE)", dbname));
  admin.exec(fmt::format("CREATE DATABASE {}_src TEMPLATE template0", dbname));
  std::string src = cluster().url(dbname + "_src");
  const char* ddl =
      "create schema inh; create table inh.parent (id int); create table inh.child () inherits "
      "(inh.parent)";
  strata::db::Connection::open(src).exec(
      std::string(ddl) + "; insert into inh.parent values (1); insert into inh.child values (2)");
  connect().exec(ddl);
  auto r = strata({"db", "copy", "--from", src, "--to", url, "--schema", "inh"}, false);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(query_value("select string_agg(id::text, ',' order by id) from only inh.parent"), "1");
  EXPECT_EQ(query_value("select string_agg(id::text, ',' order by id) from inh.child"), "2");
  admin.exec(fmt::format("DROP DATABASE IF EXISTS {}_src WITH (FORCE)", dbname));
}

}  // namespace
