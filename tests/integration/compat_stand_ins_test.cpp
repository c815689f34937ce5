// The stand-ins for Supabase-only extensions (tests/fixtures/supabase-stand-ins/<case>/): each
// case's migrations apply on a database that has the stand-ins, print the documented line, and
// its check.sql proves the stand-in behaves as docs/local-database.md says. Plus: a database
// without the stand-ins fails as before with the hint, and the [app] schema is created.
#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "fixture.hpp"

namespace fs = std::filesystem;

namespace {

using strata::testing::DbTest;

fs::path cases_dir() {
  return fs::path(STRATA_FIXTURES) / "supabase-stand-ins";
}

std::vector<std::string> case_names() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(cases_dir()))
    if (e.is_directory()) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> lines_of(const fs::path& p) {
  std::vector<std::string> out;
  std::ifstream in(p);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

class StandIn : public DbTest, public ::testing::WithParamInterface<std::string> {};

TEST_P(StandIn, AppliesAndBehavesAsDocumented) {
  fs::path dir = cases_dir() / GetParam();
  copy_tree(dir);
  auto install = strata({"compat", "install", "--stand-ins"});
  ASSERT_EQ(install.exit_code, 0) << install.output;
  EXPECT_NE(install.output.find("Installed the stand-ins"), std::string::npos) << install.output;
  auto up = strata({"up"});
  ASSERT_EQ(up.exit_code, 0) << up.output;
  for (const auto& line : lines_of(dir / "expect_output.txt"))
    EXPECT_NE(up.output.find(line), std::string::npos) << "missing: " << line << "\n" << up.output;
  // One line per stood-in CREATE EXTENSION, not more.
  size_t lines = 0;
  for (size_t p = up.output.find("strata installed its stand-in"); p != std::string::npos;
       p = up.output.find("strata installed its stand-in", p + 1))
    ++lines;
  EXPECT_EQ(lines, lines_of(dir / "expect_output.txt").size()) << up.output;
  expect_check(project / "check.sql", "all ok");
  // Applied once, recorded like any migration; a second run has nothing to do.
  auto again = strata({"up"});
  EXPECT_EQ(again.exit_code, 0) << again.output;
  EXPECT_EQ(again.output.find("stand-in"), std::string::npos) << again.output;
}

INSTANTIATE_TEST_SUITE_P(Cases, StandIn, ::testing::ValuesIn(case_names()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

class StandIns : public DbTest {};

TEST_F(StandIns, InstallIsIdempotentAndPreinstallsThePlatformSchemas) {
  write("supabase/migrations/.keep", "");
  auto first = strata({"compat", "install", "--stand-ins"});
  ASSERT_EQ(first.exit_code, 0) << first.output;
  auto second = strata({"compat", "install", "--stand-ins"});
  ASSERT_EQ(second.exit_code, 0) << second.output;
  EXPECT_NE(second.output.find("Stand-ins already current"), std::string::npos) << second.output;
  // What a Supabase project has without any CREATE EXTENSION.
  for (const char* fn :
       {"net.http_post(text,jsonb,jsonb,jsonb,integer)", "supabase_functions.http_request()",
        "vault.create_secret(text,text,text,uuid)", "realtime.send(jsonb,text,text,boolean)",
        "realtime.topic()", "graphql_public.graphql(text,text,jsonb,jsonb)"})
    EXPECT_EQ(query_value(fmt::format("select to_regprocedure('{}') is not null", fn)), "t") << fn;
  // The rest only when a migration asks for it.
  EXPECT_EQ(query_value("select to_regnamespace('pgmq') is null"), "t");
  // Reinstalling over a used database keeps its data.
  auto conn = connect();
  conn.exec("select vault.create_secret('kept', 'k')");
  ASSERT_EQ(strata({"compat", "install", "--stand-ins"}).exit_code, 0);
  EXPECT_EQ(query_value("select decrypted_secret from vault.decrypted_secrets where name = 'k'"),
            "kept");
}

// The stand-ins' schemas are the platform's: db dump leaves them out, db diff does not see
// them and builds its shadow database without printing the stand-in notices.
TEST_F(StandIns, StandInSchemasAreNotTheUsersAndDiffIsQuiet) {
  copy_tree(cases_dir() / "pgmq_queue");
  ASSERT_EQ(strata({"compat", "install", "--stand-ins"}).exit_code, 0);
  auto up = strata({"up"});
  ASSERT_EQ(up.exit_code, 0) << up.output;
  ASSERT_EQ(query_value("select to_regclass('pgmq.q_emails') is not null"), "t");
  auto dump = strata({"db", "dump", "--schema-only"});
  ASSERT_EQ(dump.exit_code, 0) << dump.output;
  EXPECT_EQ(dump.output.find("pgmq.q_emails"), std::string::npos) << dump.output;
  auto diff = strata({"db", "diff"});
  EXPECT_EQ(diff.exit_code, 0) << diff.output;
  EXPECT_EQ(diff.output.find("stand-in"), std::string::npos) << diff.output;
  EXPECT_EQ(diff.output.find("pgmq"), std::string::npos) << diff.output;
}

TEST_F(StandIns, WithoutStandInsCreateExtensionFailsWithTheHint) {
  // A remote database: the compat layer perhaps, never the stand-ins unless asked.
  write(
      "supabase/migrations/20240101000000_net.sql",
      "create table t (id int);\ncreate extension if not exists pg_net with schema extensions;\n");
  ASSERT_EQ(strata({"compat", "install"}).exit_code, 0);
  auto up = strata({"up"});
  EXPECT_EQ(up.exit_code, 5) << up.output;
  EXPECT_NE(up.output.find("20240101000000_net.sql:2:1"), std::string::npos) << up.output;
  EXPECT_NE(up.output.find("extension \"pg_net\" is not installed"), std::string::npos)
      << up.output;
  EXPECT_NE(up.output.find("strata compat install --stand-ins"), std::string::npos) << up.output;
  EXPECT_EQ(query_value("select to_regclass('public.t') is null"), "t");  // rolled back
  EXPECT_EQ(query_value("select to_regnamespace('net') is null"), "t");
}

TEST_F(StandIns, ExtensionsNobodyCanProvideStopWithOneClearError) {
  ASSERT_EQ(strata({"compat", "install", "--stand-ins"}).exit_code, 0);
  write("supabase/migrations/20240101000000_vector.sql",
        "create extension if not exists vector with schema extensions;\n");
  auto up = strata({"up"});
  EXPECT_EQ(up.exit_code, 5) << up.output;
  EXPECT_NE(up.output.find("extension \"vector\" is not installed"), std::string::npos);
  EXPECT_NE(up.output.find("no Debian 12 package"), std::string::npos) << up.output;
  EXPECT_EQ(up.output.find("apt-get install postgresql-15-pgvector"), std::string::npos);
  // wrappers: CREATE EXTENSION succeeds, the foreign data wrapper itself cannot.
  write("supabase/migrations/20240101000000_vector.sql", "select 1;\n");
  write("supabase/migrations/20240102000000_stripe.sql",
        "create extension if not exists wrappers with schema extensions;\n"
        "create foreign data wrapper stripe_wrapper handler stripe_fdw_handler validator "
        "stripe_fdw_validator;\n");
  auto fdw = strata({"up"});
  EXPECT_EQ(fdw.exit_code, 5) << fdw.output;
  EXPECT_NE(fdw.output.find("20240102000000_stripe.sql:2"), std::string::npos) << fdw.output;
  EXPECT_NE(fdw.output.find("Supabase's wrappers extension"), std::string::npos) << fdw.output;
}

TEST_F(StandIns, RealExtensionsAreNeverStoodIn) {
  // pgtap is on this server (scripts/deps.sh): CREATE EXTENSION runs for real.
  ASSERT_EQ(strata({"compat", "install", "--stand-ins"}).exit_code, 0);
  write("supabase/migrations/20240101000000_tap.sql", "create extension if not exists pgtap;\n");
  auto up = strata({"up"});
  ASSERT_EQ(up.exit_code, 0) << up.output;
  EXPECT_EQ(up.output.find("stand-in"), std::string::npos) << up.output;
  EXPECT_EQ(query_value("select count(*) from pg_extension where extname = 'pgtap'"), "1");
}

// Case app-schema-missing: `[app] schema` is created when it does not exist.
TEST_F(StandIns, AppSchemaIsCreatedWhenMissing) {
  write("strata.toml", "[app]\nname = \"billing-sync\"\nschema = \"billing\"\n");
  write("migrations/0000_initial_migration.sql", "SELECT 1;\n");
  write("migrations/0001_products.sql",
        "CREATE TABLE IF NOT EXISTS \"billing\".\"products\" (id text PRIMARY KEY);\n");
  auto up = strata({"up"});
  ASSERT_EQ(up.exit_code, 0) << up.output;
  EXPECT_NE(up.output.find("Created schema billing ([app] schema)"), std::string::npos)
      << up.output;
  EXPECT_EQ(query_value("select to_regclass('billing.products') is not null"), "t");
  auto again = strata({"up"});
  EXPECT_EQ(again.exit_code, 0) << again.output;
  EXPECT_EQ(again.output.find("Created schema"), std::string::npos) << again.output;
}

// `strata test` runs real pgTAP files (postgresql-15-pgtap, installed by scripts/deps.sh).
TEST_F(StandIns, TestRunsRealPgtapFiles) {
  write("supabase/migrations/20240101000000_t.sql", "create table public.t (v int);\n");
  ASSERT_EQ(strata({"up"}).exit_code, 0);
  write("supabase/tests/a_pass.test.sql",
        "begin;\nselect plan(2);\nselect has_table('public', 't', 'table t');\n"
        "select is((select count(*)::int from public.t), 0, 'empty');\nselect * from finish();\n"
        "rollback;\n");
  write("supabase/tests/b_fail.test.sql",
        "begin;\nselect plan(1);\nselect is(1 + 1, 3, 'arithmetic is broken');\n"
        "select * from finish();\nrollback;\n");
  auto r = strata({"test", "db"});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("\nok 1 - supabase/tests/a_pass.test.sql"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("\n    ok 1 - table t\n    ok 2 - empty"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("not ok 2 - supabase/tests/b_fail.test.sql"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("not ok 1 - arithmetic is broken"), std::string::npos) << r.output;
  write("supabase/tests/b_fail.test.sql", "select 1;\n");
  auto fixed = strata({"test", "db"});
  EXPECT_EQ(fixed.exit_code, 0) << fixed.output;
}

}  // namespace
