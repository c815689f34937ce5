// Integration tests: other tools' migration files (tests/fixtures/formats/<tool>/) applied and
// rolled back as that tool would: goose and dbmate sections, golang-migrate pairs, Flyway
// versions, undo and repeatable files with placeholders, node-pg-migrate, postgres-migrations,
// graphile-migrate, datetime prefixes and files the Supabase CLI skips.
#include <fmt/format.h>

#include <fstream>

#include "fixture.hpp"

using namespace strata::testing;

namespace {

const std::filesystem::path kFormats = std::filesystem::path(STRATA_FIXTURES) / "formats";

class Formats : public DbTest {
 protected:
  void use(const std::string& tool) { copy_tree(kFormats / tool); }
  std::string versions(const std::string& source = "default") const {
    return query_value(fmt::format(
        "select coalesce(string_agg(version, ',' order by applied_at, version), '') from "
        "strata.migrations where source = '{}'",
        source));
  }
};

// Case goose-down-forward: the Down section used to run forward right after the Up section.
TEST_F(Formats, GooseDownSectionNeverRunsForwardAndIsTheDownMigration) {
  use("goose");
  auto r = strata({"up"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("read as goose migrations"), std::string::npos) << r.output;
  EXPECT_EQ(exists("public.items"), "t");
  EXPECT_EQ(query_value("select item_count()"), "0");  // StatementBegin/End body intact
  EXPECT_EQ(exists("public.items_id_idx"), "t");       // NO TRANSACTION: CONCURRENTLY worked
  EXPECT_EQ(history("version = '20240103000000'", "transactional"), "false");
  auto down = strata({"down", "--steps", "2"});
  ASSERT_EQ(down.exit_code, 0) << down.output;
  EXPECT_EQ(exists("public.items_id_idx"), "f");
  EXPECT_EQ(query_value("select count(*) from pg_proc where proname = 'item_count'"), "0");
  EXPECT_EQ(exists("public.items"), "t");
  ASSERT_EQ(strata({"down"}).exit_code, 0);
  EXPECT_EQ(exists("public.items"), "f");
  EXPECT_EQ(versions(), "");
}

TEST_F(Formats, GooseDryRunShowsOnlyTheUpSection) {
  use("goose");
  auto r = strata({"up", "--dry-run"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("CREATE TABLE items"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("DROP TABLE items"), std::string::npos) << r.output;
}

TEST_F(Formats, GooseDownBeforeUpIsRefusedWithFileAndLine) {
  write("migrations/001_x.sql", "-- +goose Down\nDROP TABLE x;\n-- +goose Up\nCREATE TABLE x();\n");
  auto r = strata({"up"});
  EXPECT_EQ(r.exit_code, 8) << r.output;
  EXPECT_NE(r.output.find("migrations/001_x.sql:1:"), std::string::npos) << r.output;
  EXPECT_EQ(query_value("select to_regclass('strata.migrations') is null"), "t");
}

TEST_F(Formats, ExplicitStrataFormatRefusesAnotherToolsDownMarker) {
  write("strata.toml", "[migrations]\nformat = \"strata\"\n");
  write("migrations/001_x.sql", "-- +goose Up\nCREATE TABLE x();\n-- +goose Down\nDROP TABLE x;\n");
  auto r = strata({"up"});
  EXPECT_EQ(r.exit_code, 8) << r.output;
  EXPECT_NE(r.output.find("001_x.sql:3:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("format = \"goose\""), std::string::npos) << r.output;
  EXPECT_EQ(exists("public.x"), "f");
}

TEST_F(Formats, UnknownFormatNameListsTheKnownOnes) {
  write("strata.toml", "[migrations]\nformat = \"liquibase\"\n");
  write("migrations/001_x.sql", "CREATE TABLE x();\n");
  auto r = strata({"status"});
  EXPECT_EQ(r.exit_code, 8) << r.output;
  EXPECT_NE(r.output.find("goose, dbmate"), std::string::npos) << r.output;
}

TEST_F(Formats, DbmateBlocksAndTransactionFalse) {
  use("dbmate");
  auto r = strata({"up"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(exists("public.users"), "t");
  EXPECT_EQ(exists("public.users_email_idx"), "t");
  EXPECT_EQ(history("true", "transactional"), "true,false");
  ASSERT_EQ(strata({"down", "--steps", "2"}).exit_code, 0);
  EXPECT_EQ(exists("public.users"), "f");
}

TEST_F(Formats, DbmateDownWithoutUpIsRefused) {
  write("strata.toml", "[migrations]\nformat = \"dbmate\"\n");
  write("migrations/001_x.sql", "-- migrate:down\ndrop table x;\n");
  auto r = strata({"up"});
  EXPECT_EQ(r.exit_code, 8) << r.output;
  EXPECT_NE(r.output.find("001_x.sql:1:"), std::string::npos) << r.output;
}

// Case up-down-pairs.
TEST_F(Formats, GolangMigratePairsApplyTheUpFileAndRollBackWithTheDownFile) {
  use("golang-migrate");
  auto r = strata({"up"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.find("down file without"), std::string::npos) << r.output;
  EXPECT_EQ(versions(), "000001,000002");
  EXPECT_EQ(history("true", "name"), "create_jobs,add_kind");
  ASSERT_EQ(strata({"down"}).exit_code, 0);
  EXPECT_EQ(query_value("select count(*) from information_schema.columns where column_name = "
                        "'kind'"),
            "0");
  ASSERT_EQ(strata({"down"}).exit_code, 0);
  EXPECT_EQ(exists("public.jobs"), "f");
}

TEST_F(Formats, FlywayVersionsUndoRepeatablesAndPlaceholders) {
  use("flyway");
  auto r = strata({"up"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  // 1 < 1.1 < 1.10 < 2, then the repeatable one; underscores read as dots.
  EXPECT_EQ(versions(), "1,1.1,1.10,2,R__people_view");
  EXPECT_EQ(exists("app.people_names"), "t");  // ${schema} substituted
  EXPECT_EQ(exists("app.people_name_idx"), "t");
  // Changing the placeholder's value leaves checksums alone: they cover the files as written.
  write("strata.toml", "[migrations]\ndir = \"sql\"\n[placeholders]\nschema = \"other\"\n");
  auto st = strata({"status"});
  EXPECT_EQ(st.exit_code, 0) << st.output;
  write("strata.toml", "[migrations]\ndir = \"sql\"\n[placeholders]\nschema = \"app\"\n");
  // A changed repeatable migration is applied again, after the versioned ones.
  write("sql/R__people_view.sql",
        "CREATE OR REPLACE VIEW ${schema}.people_names AS SELECT name, email FROM "
        "${schema}.people;\n");
  write("sql/V3__more.sql", "ALTER TABLE ${schema}.people ADD COLUMN city text;\n");
  write("sql/U3__more.sql", "ALTER TABLE ${schema}.people DROP COLUMN city;\n");
  auto again = strata({"up"});
  ASSERT_EQ(again.exit_code, 0) << again.output;
  auto v3 = again.output.find("V3__more.sql"), rep = again.output.find("R__people_view.sql");
  ASSERT_NE(v3, std::string::npos) << again.output;
  ASSERT_NE(rep, std::string::npos) << again.output;
  EXPECT_LT(v3, rep);
  EXPECT_EQ(query_value("select count(*) from information_schema.columns where table_name = "
                        "'people_names'"),
            "2");
  auto noop = strata({"up"});
  EXPECT_EQ(noop.output.find("R__people_view.sql"), std::string::npos) << noop.output;
  // U2 is the down migration of V2; repeatable migrations have none and are left alone.
  ASSERT_EQ(strata({"down", "--to", "1.10"}).exit_code, 0);
  EXPECT_EQ(exists("app.people_name_idx"), "f");
  EXPECT_EQ(exists("app.people"), "t");
}

TEST_F(Formats, UnknownPlaceholderIsAnErrorNamingFileAndLine) {
  write("strata.toml", "[placeholders]\nschema = \"app\"\n");
  write("migrations/001_x.sql",
        "create schema ${schema};\n\ncreate table ${schema}.t (v ${kind});\n");
  auto r = strata({"up"});
  EXPECT_EQ(r.exit_code, 8) << r.output;
  EXPECT_NE(r.output.find("migrations/001_x.sql:3:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("${kind}"), std::string::npos) << r.output;
  EXPECT_EQ(query_value("select to_regnamespace('app') is null"), "t");
}

TEST_F(Formats, ConfiguredPlaceholderFormsAreSubstituted) {
  write("strata.toml",
        "[migrations]\nplaceholder_forms = [\":NAME\", \"/* TEMPLATE: NAME */\"]\n"
        "[placeholders]\nschema = \"tenant_a\"\nrole = \"reader\"\n");
  write("migrations/001_x.sql",
        "create schema /* TEMPLATE: schema */;\n"
        "create table :schema.t (id int, note text default 'x'::text);\n"
        "create view ${schema}.v as select id::text from :schema.t;\n");
  auto r = strata({"up"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(exists("tenant_a.t"), "t");
  EXPECT_EQ(exists("tenant_a.v"), "t");
  // The checksum is over the file as written.
  EXPECT_EQ(history("true", "checksum like 'sha256:%'"), "true");
}

TEST_F(Formats, NodePgMigrateSqlSections) {
  use("node-pg-migrate");
  auto r = strata({"up"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(versions(), "1700000000000,1700000000001");
  ASSERT_EQ(strata({"down", "--steps", "2"}).exit_code, 0);
  EXPECT_EQ(exists("public.posts"), "f");
}

TEST_F(Formats, PostgresMigrationsDisableTransaction) {
  use("postgres-migrations");
  auto r = strata({"up"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(exists("public.accounts_name_idx"), "t");
  EXPECT_EQ(history("true", "transactional"), "true,false");
}

TEST_F(Formats, GraphileMigrateCommittedFiles) {
  use("graphile-migrate");
  auto r = strata({"up"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(versions(), "000001,000002");
  EXPECT_EQ(query_value("select count(*) from information_schema.columns where table_name = "
                        "'topics'"),
            "3");
}

// Case datetime-prefix: YYYYMMDD_HHMMSS_name.sql are 14-digit versions, not duplicates.
TEST_F(Formats, DatetimePrefixesAreOneVersion) {
  use("datetime-prefix");
  auto r = strata({"up"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(versions(), "20251003121412,20251003121500");
  EXPECT_EQ(exists("public.notes_id_idx"), "t");
}

TEST_F(Formats, HyphenAndBareVersionPrefixes) {
  write("migrations/0001-create-a.sql", "create table a (id int);\n");
  write("migrations/0002.sql", "create table b (id int);\n");
  auto r = strata({"up"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(versions(), "0001,0002");
  EXPECT_EQ(history("true", "name"), "create-a,0002");
}

// Case untimestamped-file: the Supabase CLI skips such files with a warning; so does strata.
TEST_F(Formats, SupabaseSkipsFilesWithoutATimestampWithAWarning) {
  use("untimestamped");
  auto r = strata({"up"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("local_20240102000000_dev_only.sql: skipped"), std::string::npos)
      << r.output;
  EXPECT_EQ(versions(), "20240101000000");
  EXPECT_EQ(query_value("select count(*) from information_schema.columns where column_name = "
                        "'dev_flag'"),
            "0");
}

}  // namespace

namespace {

// Case tier-sample-data: `run_last` files run after every tier, in their own source's history.
TEST_F(Formats, RunLastSampleDataRunsAfterEveryTier) {
  use("tier-sample-data");
  auto r = strata({"up"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  size_t users = r.output.find("001_users.sql"), demo = r.output.find("090_demo_users.sql"),
         pages = r.output.find("001_pages_table.sql"),
         sample = r.output.find("093_pages_sample_data.sql (");
  ASSERT_NE(sample, std::string::npos) << r.output;
  EXPECT_LT(users, demo);
  EXPECT_LT(demo, pages);
  EXPECT_LT(pages, sample);
  EXPECT_EQ(history("version = '093'", "source"), "theme:default");
  EXPECT_EQ(query_value("select count(*) from public._content_migrations"), "2");
  auto st = strata({"status"});
  EXPECT_EQ(st.exit_code, 0) << st.output;
  EXPECT_EQ(st.output.find("missing"), std::string::npos) << st.output;
  auto again = strata({"up"});
  EXPECT_EQ(again.exit_code, 0) << again.output;
  EXPECT_EQ(again.output.find("Applied"), std::string::npos) << again.output;
}

// A source split by run_last is one source in `status`: one header, each file once.
TEST_F(Formats, RunLastSourcesAreListedOnceInStatus) {
  use("tier-sample-data");
  ASSERT_EQ(strata({"up"}).exit_code, 0);
  auto st = strata({"status"});
  ASSERT_EQ(st.exit_code, 0) << st.output;
  auto count = [&](const std::string& what) {
    size_t n = 0;
    for (size_t p = st.output.find(what); p != std::string::npos; p = st.output.find(what, p + 1))
      ++n;
    return n;
  };
  EXPECT_EQ(count("[core]"), 1u) << st.output;
  EXPECT_EQ(count("[theme:default]"), 1u) << st.output;
  EXPECT_EQ(count("pages_sample_data"), 1u) << st.output;
  EXPECT_NE(st.output.find("2 applied, 0 pending"), std::string::npos) << st.output;  // theme
  auto js = strata({"status", "--output", "json"});
  size_t sources = 0;
  for (size_t p = js.output.find("\"source\": \"theme:default\""); p != std::string::npos;
       p = js.output.find("\"source\": \"theme:default\"", p + 1))
    ++sources;
  EXPECT_EQ(sources, 1u) << js.output;
}

}  // namespace
