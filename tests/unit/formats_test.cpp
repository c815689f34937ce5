// Unit tests: each migration file format's names and up/down split, dotted and datetime
// versions, and placeholder substitution. No server.
#include <gtest/gtest.h>

#include "migration/formats/format.hpp"
#include "migration/placeholders.hpp"
#include "migration/version.hpp"
#include "util/error.hpp"

using namespace strata;
using namespace strata::formats;

namespace {

Migration split(const char* format, const std::string& text) {
  Migration m;
  m.display_path = "migrations/x.sql";
  find_format(format)->split(m, text);
  return m;
}

TEST(FormatsVersion, DottedVersionsCompareBySegment) {
  EXPECT_LT(compare_versions("1", "1.1"), 0);
  EXPECT_LT(compare_versions("1.1", "1.2"), 0);
  EXPECT_LT(compare_versions("1.2", "1.10"), 0);
  EXPECT_LT(compare_versions("1.10", "2"), 0);
  EXPECT_TRUE(same_version("1.01", "1.1"));
  EXPECT_TRUE(same_version("001", "1"));
  EXPECT_FALSE(same_version("1.1", "1.10"));
  EXPECT_LT(compare_versions("9", "10"), 0);  // unchanged for plain digits
}

TEST(FormatsVersion, StrataPrefixes) {
  auto dt = parse_prefixed_name("20251003_121500_index_notes.sql");
  ASSERT_TRUE(dt);
  EXPECT_EQ(dt->version, "20251003121500");
  EXPECT_EQ(dt->name, "index_notes");
  EXPECT_EQ(parse_prefixed_name("0001-create-a.sql")->version, "0001");
  EXPECT_EQ(parse_prefixed_name("000001.sql")->version, "000001");
  EXPECT_EQ(parse_prefixed_name("20240115_feature.sql")->version, "20240115");
  EXPECT_FALSE(parse_prefixed_name("projects.sql"));
  // The Supabase CLI's rule stays the digits before the first underscore.
  EXPECT_EQ(find_format("supabase")->parse_name("20251003_121500_x.sql")->version, "20251003");
  EXPECT_FALSE(find_format("supabase")->parse_name("local_2024_x.sql"));
}

TEST(FormatsGoose, SectionsKeepLineNumbers) {
  Migration m = split("goose",
                      "-- +goose Up\nCREATE TABLE a();\n-- +goose StatementBegin\nSELECT 1;\n-- "
                      "+goose StatementEnd\n-- +GOOSE DOWN\nDROP TABLE a;\n");
  EXPECT_EQ(m.text.find("DROP"), std::string::npos);
  EXPECT_NE(m.text.find("SELECT 1;"), std::string::npos);
  ASSERT_TRUE(m.down);
  EXPECT_EQ(m.down->text, "DROP TABLE a;\n");
  EXPECT_EQ(m.down->first_line, 7);
  EXPECT_FALSE(m.no_transaction);
  EXPECT_TRUE(split("goose", "-- +goose NO TRANSACTION\n-- +goose Up\nSELECT 1;\n").no_transaction);
}

TEST(FormatsGoose, NamesAndErrors) {
  const Format* g = find_format("goose");
  EXPECT_EQ(g->parse_name("00001_init.sql")->version, "00001");
  EXPECT_FALSE(g->parse_name("0_init.sql"));
  EXPECT_FALSE(g->parse_name("init.sql"));
  try {
    split("goose", "SELECT 1;\n-- +goose Up\nSELECT 2;\n");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("migrations/x.sql:1:"), std::string::npos) << e.what();
  }
  EXPECT_THROW(split("goose", "-- +goose Up\n-- +goose Up\n"), Error);
}

TEST(FormatsDbmate, BlocksAndOptions) {
  Migration m = split("dbmate",
                      "-- comment\n-- migrate:up transaction:false\ncreate index concurrently i "
                      "on t (a);\n\n-- migrate:down\ndrop index i;\n");
  EXPECT_TRUE(m.no_transaction);
  ASSERT_TRUE(m.down);
  EXPECT_EQ(m.down->text, "drop index i;\n");
  EXPECT_EQ(m.down->first_line, 6);
  EXPECT_EQ(m.text.find("drop"), std::string::npos);
  EXPECT_EQ(find_format("dbmate")->parse_name("20240101_x.sql")->version, "20240101");
  EXPECT_THROW(split("dbmate", "create table t();\n-- migrate:up\n-- migrate:down\n"), Error);
}

TEST(FormatsGolangMigrate, PairsByKind) {
  const Format* f = find_format("golang-migrate");
  auto up = f->parse_name("001_create_jobs.up.sql");
  auto down = f->parse_name("001_create_jobs.down.sql");
  ASSERT_TRUE(up && down);
  EXPECT_EQ(up->kind, FileKind::up);
  EXPECT_EQ(down->kind, FileKind::down);
  EXPECT_EQ(up->name, "create_jobs");
  EXPECT_FALSE(f->parse_name("001_create_jobs.sql"));
}

TEST(FormatsFlyway, VersionedUndoAndRepeatableNames) {
  const Format* f = find_format("flyway");
  EXPECT_EQ(f->parse_name("V1_1__add.sql")->version, "1.1");
  EXPECT_EQ(f->parse_name("V2.0.10__x.sql")->version, "2.0.10");
  EXPECT_EQ(f->parse_name("U2__x.sql")->kind, FileKind::down);
  auto r = f->parse_name("R__views.sql");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, FileKind::repeatable);
  EXPECT_EQ(r->version, "R__views");
  EXPECT_FALSE(f->parse_name("V1_add.sql"));
  EXPECT_FALSE(f->parse_name("Vx__add.sql"));
}

TEST(FormatsNodePgMigrate, SectionsAndNoUpMarker) {
  Migration m =
      split("node-pg-migrate", "-- Up Migration\nselect 1;\n-- Down Migration\nselect 2;\n");
  ASSERT_TRUE(m.down);
  EXPECT_EQ(m.down->text, "select 2;\n");
  EXPECT_EQ(m.text.find("select 2"), std::string::npos);
  // No up marker: the text before the down marker is the up migration, never the down SQL.
  Migration n = split("node-pg-migrate", "select 1;\n---- down migration\nselect 2;\n");
  EXPECT_EQ(n.text.find("select 2"), std::string::npos);
}

TEST(FormatsStrata, AnotherToolsDownMarkerIsRefusedOnlyWhenSqlFollows) {
  EXPECT_THROW(split("strata", "create table a();\n-- migrate:down\ndrop table a;\n"), Error);
  Migration m = split("strata", "create table a();\n-- DOWN MIGRATION\n-- drop table a;\n");
  EXPECT_NE(m.text.find("create table a"), std::string::npos);
}

TEST(FormatsDetect, EachToolIsRecognisedByItsFiles) {
  auto detect = [](const char* fmt, const std::string& file, const std::string& text) {
    return !find_format(fmt)->detect({{file, text}}).empty();
  };
  EXPECT_TRUE(detect("goose", "1_a.sql", "-- +goose Up\nselect 1;\n"));
  EXPECT_TRUE(detect("dbmate", "1_a.sql", "-- migrate:up\nselect 1;\n"));
  EXPECT_TRUE(detect("golang-migrate", "1_a.up.sql", "select 1;\n"));
  EXPECT_TRUE(detect("flyway", "V1__a.sql", "select 1;\n"));
  EXPECT_TRUE(detect("node-pg-migrate", "1_a.sql", "-- Up Migration\nselect 1;\n"));
  EXPECT_TRUE(detect("postgres-migrations", "1_a.sql",
                     "-- postgres-migrations disable-transaction\nselect 1;\n"));
  EXPECT_TRUE(detect("graphile-migrate", "000001.sql", "--! Previous: -\nselect 1;\n"));
  EXPECT_FALSE(detect("goose", "1_a.sql", "select '-- +goose Up';\n"));
  EXPECT_FALSE(detect("flyway", "1_a.sql", "select 1;\n"));
  // A banner comment inside a strata file is not node-pg-migrate's marker.
  EXPECT_FALSE(detect("node-pg-migrate", "20240115_a.sql",
                      "-- a.sql\n-- =====\n-- UP MIGRATION\n-- =====\ncreate table t();\n"));
}

TEST(FormatsPlaceholders, FormsAndErrors) {
  PlaceholderSet set;
  set.values = {{"schema", "app"}};
  set.forms = {"${NAME}", ":NAME", "/* TEMPLATE: NAME */"};
  EXPECT_EQ(substitute_placeholders(set, "create table ${schema}.t (a text default 'x'::text);\n",
                                    "f.sql"),
            "create table app.t (a text default 'x'::text);\n");
  EXPECT_EQ(
      substitute_placeholders(set, "select :schema, :other, /* TEMPLATE: schema */;", "f.sql"),
      "select app, :other, app;");
  EXPECT_EQ(substitute_placeholders(set, "do $$ begin raise notice '${ not one'; end $$;", "f.sql"),
            "do $$ begin raise notice '${ not one'; end $$;");
  try {
    substitute_placeholders(set, "select 1;\nselect ${nope};\n", "f.sql", 10);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("f.sql:11:8: unknown placeholder ${nope}"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
