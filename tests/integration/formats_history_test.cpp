// Integration tests: databases migrated by another tool (its history table written as that tool
// writes it; the dbmate and node-pg-migrate shapes checked against the real tools from npm)
// are adopted by `strata status` / `strata up`, `strata down` uses the tool's down sections,
// and `[history] mirror` keeps the tool's table consistent when the two tools alternate.
#include <fmt/format.h>

#include "fixture.hpp"

using namespace strata::testing;

namespace {

const std::filesystem::path kFormats = std::filesystem::path(STRATA_FIXTURES) / "formats";

class ForeignHistory : public DbTest {
 protected:
  void use(const std::string& tool) { copy_tree(kFormats / tool); }
  void sql(const std::string& text) const { connect().exec(text); }
};

TEST_F(ForeignHistory, DbmateHistoryIsAdoptedAndUpContinues) {
  use("dbmate");
  // What `dbmate up` leaves after the first migration.
  sql("create table users (id bigint primary key, email text);"
      "create table public.schema_migrations (version varchar primary key);"
      "insert into public.schema_migrations values ('20240101000000');");
  auto st = strata({"status"});
  EXPECT_EQ(st.exit_code, 3) << st.output;  // one pending
  EXPECT_NE(st.output.find("applied"), std::string::npos) << st.output;
  auto up = strata({"up"});
  ASSERT_EQ(up.exit_code, 0) << up.output;
  EXPECT_NE(up.output.find("Adopted 1 migration(s) recorded by another tool (dbmate)"),
            std::string::npos)
      << up.output;
  EXPECT_EQ(up.output.find("20240101000000_create_users.sql ("), std::string::npos) << up.output;
  EXPECT_EQ(history(), "20240101000000,20240102000000");
  EXPECT_EQ(query_value("select count(*) from pg_indexes where indexname = 'users_email_idx'"),
            "1");
  ASSERT_EQ(strata({"down", "--steps", "2"}).exit_code, 0);
  EXPECT_EQ(query_value("select to_regclass('public.users') is null"), "t");
}

TEST_F(ForeignHistory, DbmateMirrorStaysConsistentWhenTheToolsAlternate) {
  use("dbmate");
  write("strata.toml", "[migrations]\ndir = \"db/migrations\"\n[history]\nmirror = [\"dbmate\"]\n");
  write("db/migrations/20240103000000_orgs.sql",
        "-- migrate:up\ncreate table orgs (id int);\n-- migrate:down\ndrop table orgs;\n");
  ASSERT_EQ(strata({"up", "--to", "20240101000000"}).exit_code, 0);
  EXPECT_EQ(query_value("select string_agg(version, ',' order by version) from "
                        "public.schema_migrations"),
            "20240101000000");
  // dbmate applies the next one (its SQL, then its row), as `dbmate up` would.
  sql("create index concurrently users_email_idx on users (email)");
  sql("insert into public.schema_migrations (version) values ('20240102000000')");
  auto up = strata({"up"});
  ASSERT_EQ(up.exit_code, 0) << up.output;
  EXPECT_NE(up.output.find("Adopted 1"), std::string::npos) << up.output;
  EXPECT_EQ(query_value("select string_agg(version, ',' order by version) from "
                        "public.schema_migrations"),
            "20240101000000,20240102000000,20240103000000");
  ASSERT_EQ(strata({"down"}).exit_code, 0);
  EXPECT_EQ(query_value("select string_agg(version, ',' order by version) from "
                        "public.schema_migrations"),
            "20240101000000,20240102000000");
  EXPECT_EQ(history(), "20240101000000,20240102000000");
}

TEST_F(ForeignHistory, GolangMigrateCurrentVersionAdoptsEverythingUpToItAndIsMirrored) {
  use("golang-migrate");
  write("strata.toml", "[history]\nmirror = [\"golang-migrate\"]\n");
  sql("create table jobs (id bigint primary key);"
      "create table public.schema_migrations (version bigint not null primary key, dirty boolean "
      "not null);"
      "insert into public.schema_migrations values (1, false);");
  auto up = strata({"up"});
  ASSERT_EQ(up.exit_code, 0) << up.output;
  EXPECT_EQ(history(), "000001,000002");
  EXPECT_EQ(query_value("select version || ':' || dirty from public.schema_migrations"), "2:false");
  ASSERT_EQ(strata({"down"}).exit_code, 0);
  EXPECT_EQ(query_value("select version || ':' || dirty from public.schema_migrations"), "1:false");
  ASSERT_EQ(strata({"down"}).exit_code, 0);
  EXPECT_EQ(query_value("select count(*) from public.schema_migrations"), "0");
  EXPECT_EQ(query_value("select to_regclass('public.jobs') is null"), "t");
}

TEST_F(ForeignHistory, GolangMigrateDirtyVersionIsReportedNotAdopted) {
  use("golang-migrate");
  sql("create table jobs (id bigint primary key);"
      "create table public.schema_migrations (version bigint not null primary key, dirty boolean "
      "not null);"
      "insert into public.schema_migrations values (2, true);");
  auto st = strata({"status"});
  EXPECT_EQ(st.exit_code, 4) << st.output;
  EXPECT_NE(st.output.find("failed (golang-migrate)"), std::string::npos) << st.output;
  std::string before = snapshot();
  auto up = strata({"up"});
  EXPECT_EQ(up.exit_code, 4) << up.output;
  EXPECT_NE(up.output.find("000002_add_kind.up.sql"), std::string::npos) << up.output;
  EXPECT_EQ(query_value("select to_regclass('strata.migrations') is null or (select count(*) = 0 "
                        "from strata.migrations)"),
            "t");
  EXPECT_EQ(query_value("select count(*) from information_schema.columns where column_name = "
                        "'kind'"),
            "0");
}

TEST_F(ForeignHistory, GooseVersionTableIsAdoptedAndMirrored) {
  use("goose");
  write("strata.toml", "[history]\nmirror = [\"goose\"]\n");
  sql("create table items (id bigint primary key);"
      "create table public.goose_db_version (id integer primary key generated by default as "
      "identity, version_id bigint not null, is_applied boolean not null, tstamp timestamp not "
      "null default now());"
      "insert into public.goose_db_version (version_id, is_applied) values (0, true), "
      "(20240101000000, true), (20240102000000, true), (20240102000000, false);");
  auto up = strata({"up"});
  ASSERT_EQ(up.exit_code, 0) << up.output;
  EXPECT_NE(up.output.find("Adopted 1"), std::string::npos) << up.output;  // 2 was rolled back
  EXPECT_EQ(query_value("select item_count()"), "0");
  EXPECT_EQ(query_value("select string_agg(version_id::text, ',' order by id) from "
                        "public.goose_db_version where id > 4"),
            "20240102000000,20240103000000");
  ASSERT_EQ(strata({"down"}).exit_code, 0);
  EXPECT_EQ(query_value("select count(*) from public.goose_db_version where version_id = "
                        "20240103000000"),
            "0");
}

TEST_F(ForeignHistory, FlywayChecksumsAreComparedWithFlywaysCrc32) {
  use("flyway");
  // Rows as Flyway writes them; -1356783230 is CRC32 over V1's lines (as java.util.zip.CRC32).
  sql("create schema app; create table app.people (id bigint primary key, name text);"
      "create table public.flyway_schema_history (installed_rank integer primary key, version "
      "varchar(50), description varchar(200) not null, type varchar(20) not null, script "
      "varchar(1000) not null, checksum integer, installed_by varchar(100) not null, installed_on "
      "timestamp not null default now(), execution_time integer not null, success boolean not "
      "null);"
      "insert into public.flyway_schema_history values (1, '1', 'create people', 'SQL', "
      "'V1__create_people.sql', -1356783230, 'flyway', now(), 5, true);");
  auto up = strata({"up"});
  ASSERT_EQ(up.exit_code, 0) << up.output;
  EXPECT_NE(up.output.find("Adopted 1 migration(s) recorded by another tool (flyway)"),
            std::string::npos)
      << up.output;
  EXPECT_EQ(up.output.find("V1__create_people.sql ("), std::string::npos) << up.output;
}

TEST_F(ForeignHistory, FlywayChangedFileIsModifiedAndAChangedRepeatableRunsAgain) {
  use("flyway");
  write("strata.toml",
        "[migrations]\ndir = \"sql\"\n[placeholders]\nschema = \"app\"\n"
        "[history]\nmirror = [\"flyway\"]\n");
  ASSERT_EQ(strata({"up"}).exit_code, 0);
  EXPECT_EQ(query_value("select string_agg(coalesce(version, script) || ':' || checksum, ',' order "
                        "by installed_rank) from public.flyway_schema_history where script in "
                        "('V1__create_people.sql', 'R__people_view.sql')"),
            "1:-1356783230,R__people_view.sql:632591743");
  // Flyway's own table is now the only record: strata's rows go, Flyway's stay.
  sql("drop schema strata cascade");
  auto st = strata({"status"});
  EXPECT_EQ(st.exit_code, 0) << st.output;
  sql("update public.flyway_schema_history set checksum = 12345 where version = '1'");
  st = strata({"status"});
  EXPECT_EQ(st.exit_code, 4) << st.output;
  EXPECT_NE(st.output.find("modified"), std::string::npos) << st.output;
  sql("update public.flyway_schema_history set checksum = -1356783230 where version = '1';"
      "update public.flyway_schema_history set checksum = 1 where script = 'R__people_view.sql'");
  auto up = strata({"up"});
  ASSERT_EQ(up.exit_code, 0) << up.output;
  EXPECT_NE(up.output.find("R__people_view.sql ("), std::string::npos) << up.output;
}

TEST_F(ForeignHistory, NodePgMigrateHistoryIsAdoptedAndDownUsesItsSection) {
  use("node-pg-migrate");
  // As `node-pg-migrate up` writes it (checked against node-pg-migrate from npm).
  sql("create table posts (id serial primary key, title text not null);"
      "create table public.pgmigrations (id serial primary key, name varchar(255) not null, "
      "run_on timestamp not null);"
      "insert into public.pgmigrations (name, run_on) values ('1700000000000_create-posts', "
      "now());");
  write("strata.toml", "[history]\nmirror = [\"node-pg-migrate\"]\n");
  auto up = strata({"up"});
  ASSERT_EQ(up.exit_code, 0) << up.output;
  EXPECT_EQ(query_value("select string_agg(name, ',' order by id) from public.pgmigrations"),
            "1700000000000_create-posts,1700000000001_posts-slug");
  ASSERT_EQ(strata({"down", "--steps", "2"}).exit_code, 0);
  EXPECT_EQ(query_value("select to_regclass('public.posts') is null"), "t");
  EXPECT_EQ(query_value("select count(*) from public.pgmigrations"), "0");
}

TEST_F(ForeignHistory, PostgresMigrationsHashesAreCompared) {
  use("postgres-migrations");
  sql("create table accounts (id integer primary key, name text);"
      "create table public.migrations (id integer primary key, name varchar(100) unique not null, "
      "hash varchar(40) not null, executed_at timestamp default current_timestamp);"
      "insert into public.migrations (id, name, hash) values (0, 'create-migrations-table', "
      "'x'), (1, 'create-table', '3ae0c664e3aee32a9438cd5db00a4fa572d6e0ce');");
  auto up = strata({"up"});
  ASSERT_EQ(up.exit_code, 0) << up.output;
  EXPECT_NE(up.output.find("Adopted 1"), std::string::npos) << up.output;
  EXPECT_EQ(query_value("select count(*) from pg_indexes where indexname = 'accounts_name_idx'"),
            "1");
  sql("drop schema strata cascade; update public.migrations set hash = 'bad' where id = 1");
  auto st = strata({"status"});
  EXPECT_EQ(st.exit_code, 4) << st.output;
}

TEST_F(ForeignHistory, GraphileMigrateHistoryIsAdopted) {
  use("graphile-migrate");
  sql("create table topics (id serial primary key, title text);"
      "create schema graphile_migrate; create table graphile_migrate.migrations (hash text primary "
      "key, previous_hash text, filename text not null, date timestamptz not null default "
      "now());"
      "insert into graphile_migrate.migrations (hash, filename) values ('sha1:5b1b', "
      "'000001.sql');");
  auto up = strata({"up"});
  ASSERT_EQ(up.exit_code, 0) << up.output;
  EXPECT_NE(up.output.find("Adopted 1"), std::string::npos) << up.output;
  EXPECT_EQ(query_value("select count(*) from information_schema.columns where table_name = "
                        "'topics'"),
            "3");
}

TEST_F(ForeignHistory, AdoptCanBeLimitedAndUnknownToolsAreRefused) {
  use("dbmate");
  sql("create table users (id bigint primary key, email text);"
      "create table public.schema_migrations (version varchar primary key);"
      "insert into public.schema_migrations values ('20240101000000');");
  write("strata.toml", "[migrations]\ndir = \"db/migrations\"\n[history]\nadopt = []\n");
  auto st = strata({"status"});
  EXPECT_EQ(st.exit_code, 3) << st.output;
  EXPECT_NE(st.output.find("0 applied, 2 pending"), std::string::npos) << st.output;
  write("strata.toml", "[migrations]\ndir = \"db/migrations\"\n[history]\nmirror = [\"sqitch\"]\n");
  auto bad = strata({"status"});
  EXPECT_EQ(bad.exit_code, 8) << bad.output;
  EXPECT_NE(bad.output.find("dbmate, golang-migrate"), std::string::npos) << bad.output;
}

// Point 2 of issue 12: with several sources, each source adopts and mirrors its own table of
// the tool (dbmate run once per folder, the second with `--migrations-table`).
TEST_F(ForeignHistory, EachSourceAdoptsAndMirrorsItsOwnTable) {
  write("strata.toml",
        "[migrations]\ndir = \"db/migrations\"\nformat = \"dbmate\"\n"
        "[history]\nmirror = [\"dbmate\"]\n"
        "[[sources]]\nname = \"billing\"\ndir = \"billing\"\nformat = \"dbmate\"\n"
        "history_table = \"billing_migrations\"\n");
  auto file = [&](const std::string& path, const std::string& table) {
    write(path, "-- migrate:up\ncreate table " + table +
                    " (id int);\n-- migrate:down\ndrop table " + table + ";\n");
  };
  file("db/migrations/20240101000000_users.sql", "users");
  file("db/migrations/20240102000000_orgs.sql", "orgs");
  file("billing/20240101000000_invoices.sql", "invoices");
  file("billing/20240105000000_payments.sql", "payments");
  sql("create table users (id int); create table invoices (id int);"
      "create table public.schema_migrations (version varchar primary key);"
      "insert into public.schema_migrations values ('20240101000000');"
      "create table public.billing_migrations (version varchar primary key);"
      "insert into public.billing_migrations values ('20240101000000');");
  auto st = strata({"status"});
  EXPECT_EQ(st.exit_code, 3) << st.output;
  auto up = strata({"up"});
  ASSERT_EQ(up.exit_code, 0) << up.output;
  EXPECT_EQ(query_value("select string_agg(source || ':' || version, ',' order by source, "
                        "version) from strata.migrations"),
            "billing:20240101000000,billing:20240105000000,default:20240101000000,"
            "default:20240102000000");
  auto tool_rows = [&](const std::string& table) {
    return query_value("select coalesce(string_agg(version, ',' order by version), '') from " +
                       table);
  };
  EXPECT_EQ(tool_rows("public.schema_migrations"), "20240101000000,20240102000000");
  EXPECT_EQ(tool_rows("public.billing_migrations"), "20240101000000,20240105000000");
  auto down = strata({"down", "--source", "billing"});
  ASSERT_EQ(down.exit_code, 0) << down.output;
  EXPECT_EQ(tool_rows("public.billing_migrations"), "20240101000000");
  EXPECT_EQ(tool_rows("public.schema_migrations"), "20240101000000,20240102000000");
  EXPECT_EQ(query_value("select to_regclass('public.payments') is null"), "t");
}

}  // namespace
