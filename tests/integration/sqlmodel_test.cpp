// Integration tests for issue 10's SQL-text and boundary cases: each runs the real strata binary
// against a real server and would fail if its fix were undone.
#include <fmt/format.h>

#include <filesystem>
#include <set>
#include <thread>

#include "fixture.hpp"

using namespace strata::testing;
namespace fs = std::filesystem;

namespace {

class SqlModel : public DbTest {
 protected:
  bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
  }
};

TEST_F(SqlModel, Utf8ByteOrderMarkIsSkipped) {
  write("migrations/001_bom.sql",
        "\xEF\xBB\xBF"
        "create table bom_t (id int);\r\ninsert into bom_t values (1);\r\n");
  write("migrations/002_crlf.sql",
        "\xEF\xBB\xBF-- a comment\r\ncreate function bom_f() returns int language plpgsql as "
        "$$\r\nbegin\r\n  return 1;\r\nend;\r\n$$;\r\n");
  auto r = strata({"up"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(query_value("select count(*) from bom_t"), "1");
  EXPECT_EQ(query_value("select bom_f()"), "1");
}

TEST_F(SqlModel, InvalidUtf8IsReportedAtItsLineBeforeAnythingRuns) {
  write("migrations/000_ok.sql", "create table before_bad (id int);\n");
  write("migrations/001_latin1.sql", "-- caf\xE9 comment only here\nselect 1;\n");
  for (auto cmd : {"up", "status", "validate"}) {
    auto r = strata({cmd});
    EXPECT_EQ(r.exit_code, 8) << cmd << ": " << r.output;
    EXPECT_TRUE(has(r.output, "001_latin1.sql:1:7: not valid UTF-8 (byte 0xE9)")) << r.output;
  }
  EXPECT_EQ(query_value("select to_regclass('before_bad') is null"), "t");
}

TEST_F(SqlModel, CopyFromStdinLoadsInlineDataInMigrationsAndSeeds) {
  write("supabase/migrations/20260101000000_people.sql",
        "create table public.people (id int primary key, name text, email text);\n"
        "COPY public.people (id, name, email) FROM stdin;\n"
        "1\tfrom migration\t\\N\n"
        "\\.\n"
        "select 1;\n");
  write("supabase/seed.sql",
        "SET session_replication_role = replica;\n"
        "COPY public.people (id, name, email) FROM stdin;\n"
        "100\tcopied one\ta@example.invalid\n"
        "101\tcopied two\t\\N\n"
        "\\.\n"
        "\n"
        "SET session_replication_role = DEFAULT;\n");
  auto up = strata({"up"});
  ASSERT_EQ(up.exit_code, 0) << up.output;
  auto seed = strata({"seed"});
  ASSERT_EQ(seed.exit_code, 0) << seed.output;
  EXPECT_EQ(query_value("select count(*) from people"), "3");
  EXPECT_EQ(query_value("select count(*) from people where email is null"), "2");
  EXPECT_EQ(query_value("select name from people where id = 100"), "copied one");
}

TEST_F(SqlModel, BadCopyRowFailsTheMigrationAndRollsItBack) {
  write("migrations/001_copy.sql",
        "create table c (id int);\nCOPY c (id) FROM stdin;\n1\nnot a number\n\\.\n");
  auto r = strata({"up"});
  EXPECT_EQ(r.exit_code, 5) << r.output;
  EXPECT_TRUE(has(r.output, "invalid input syntax")) << r.output;
  EXPECT_EQ(query_value("select to_regclass('c') is null"), "t");
}

TEST_F(SqlModel, RestrictLinesAreIgnoredAndIncludesWork) {
  write("migrations/001_dump.sql",
        "\\restrict Xk2Pq9\n"
        "SET statement_timeout = 0;\n"
        "CREATE TABLE public.dumped (id integer NOT NULL);\n"
        "\\ir parts/extra.sql\n"
        "\\unrestrict Xk2Pq9\n");
  write("migrations/parts/extra.sql", "CREATE TABLE public.included (id int);\n");
  auto r = strata({"up"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(query_value("select to_regclass('dumped') is not null and to_regclass('included') is "
                        "not null"),
            "t");
}

TEST_F(SqlModel, OtherMetaCommandsAreRefusedAtValidateAndDryRun) {
  write("migrations/001_a.sql", "create table a (id int);\n");
  write("migrations/002_meta.sql", "create table b (id int);\n\\set ON_ERROR_STOP on\n");
  for (std::vector<std::string> cmd :
       {std::vector<std::string>{"validate"}, {"up", "--dry-run"}, {"up"}}) {
    auto r = strata(cmd);
    EXPECT_EQ(r.exit_code, 8) << cmd[0] << ": " << r.output;
    EXPECT_TRUE(has(r.output, "002_meta.sql:2:1: psql meta-command \\set is not supported"))
        << r.output;
  }
  EXPECT_EQ(query_value("select to_regclass('a') is null"), "t");  // refused before anything ran
}

TEST_F(SqlModel, EmptyMigrationIsARecordedNoOp) {
  write("supabase/migrations/20240101000000_a.sql", "create table ea (id int);\n");
  write("supabase/migrations/20240102000000_placeholder.sql", "-- nothing yet\n\n");
  write("supabase/migrations/20240103000000_b.sql", "create table eb (id int);\n");
  auto dry = strata({"up", "--dry-run"});
  EXPECT_TRUE(has(dry.output, "no SQL statements")) << dry.output;
  auto r = strata({"up"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(query_value("select count(*) from strata.migrations where success"), "3");
  EXPECT_EQ(strata({"status"}).exit_code, 0);
}

TEST_F(SqlModel, DirectivePrefixInACommentIsAnErrorNotDevOnly) {
  write("migrations/001_fn.sql",
        "-- strata:environments differ: see README\ncreate table fn_t (id int);\n");
  auto r = strata({"up"});
  EXPECT_EQ(r.exit_code, 8) << r.output;
  EXPECT_TRUE(has(r.output, "001_fn.sql:1:1: unknown directive `-- strata:environments`"))
      << r.output;
}

TEST_F(SqlModel, DirectiveTextInsideAStringOrBodyIsOrdinaryText) {
  write("migrations/001_msg.sql",
        "create table msg (t text);\ninsert into msg values ('\n-- strata:env dev\n');\n");
  write("migrations/002_fn.sql",
        "create function f2() returns int language sql as $$\n-- strata:down\nselect 2\n$$;\n"
        "create table after_fn (id int);\n");
  auto r = strata({"up"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(query_value("select count(*) from msg"), "1");
  EXPECT_EQ(query_value("select f2()"), "2");
  EXPECT_EQ(query_value("select to_regclass('after_fn') is not null"), "t");
}

TEST_F(SqlModel, PasswordsWithSpecialCharactersNeverShow) {
  write("migrations/001_a.sql", "select 1;\n");
  for (std::string password : {"Secret/Slash99", "p@ss:w/o?r%d#X1"}) {
    std::string bad = fmt::format("postgresql://weird:{}@127.0.0.1:1/t2", password);
    auto r = strata({"status", "--db-url", bad, "--workdir", project.string()}, false);
    EXPECT_EQ(r.exit_code, 6) << r.output;
    EXPECT_FALSE(has(r.output, password)) << r.output;
    for (std::string piece : {"Secret", "Slash99", "r%d", "X1", "ss:w"})
      EXPECT_FALSE(has(r.output, piece)) << piece << " in " << r.output;
  }
}

TEST_F(SqlModel, OneLetterPasswordDoesNotGarbleMessages) {
  write("migrations/001_a.sql", "select 1;\n");
  for (std::string bad :
       {std::string("postgresql://postgres:e@127.0.0.1:1/t1"),
        std::string("host=127.0.0.1 port=1 dbname=t1 user=postgres password=o")}) {
    auto r = strata({"status", "--db-url", bad, "--workdir", project.string()}, false);
    EXPECT_EQ(r.exit_code, 6) << r.output;
    EXPECT_FALSE(has(r.output, "***")) << r.output;  // nothing of the message was mistaken for it
    EXPECT_TRUE(has(r.output, "connection to server")) << r.output;
  }
}

TEST_F(SqlModel, DbQueryAsUserCannotEscapeItsRole) {
  ASSERT_EQ(strata({"compat", "install"}).exit_code, 0);
  connect().exec(
      "create table secrets (owner uuid, s text); alter table secrets enable row level security;"
      "insert into secrets values ('22222222-2222-2222-2222-222222222222', 'not yours');"
      "create policy own on secrets for select to authenticated using (owner = auth.uid());"
      "grant select on secrets to authenticated;");
  const std::string as = "11111111-1111-1111-1111-111111111111";
  auto who = strata({"db", "query", "--as", as, "select current_user, count(*) from secrets"});
  ASSERT_EQ(who.exit_code, 0) << who.output;
  EXPECT_TRUE(has(who.output, "authenticated | 0")) << who.output;
  auto reset = strata({"db", "query", "--as", as, "reset role; select current_user"});
  EXPECT_FALSE(has(reset.output, "postgres")) << reset.output;
  auto reset_read = strata({"db", "query", "--as", as, "reset role; select s from secrets"});
  EXPECT_NE(reset_read.exit_code, 0) << reset_read.output;
  EXPECT_FALSE(has(reset_read.output, "not yours")) << reset_read.output;
  for (std::string escape :
       {"set role postgres; select current_user",
        "set session authorization postgres; select current_user",
        "select set_config('role', 'postgres', true); select s from secrets"}) {
    auto r = strata({"db", "query", "--as", as, escape});
    EXPECT_NE(r.exit_code, 0) << escape << ": " << r.output;
    EXPECT_FALSE(has(r.output, "not yours")) << r.output;
  }
  EXPECT_EQ(query_value("select count(*) from pg_roles where rolname like 'strata_query_%'"), "0");
}

TEST_F(SqlModel, FailingGrantNamesTheConfigEntry) {
  write("strata.toml", "[grants]\nschema = \"public\"\ntables = { nosuchrole = \"SELECT\" }\n");
  write("migrations/001_a.sql", "create table ok4 (id int);\n");
  auto r = strata({"up"});
  EXPECT_EQ(r.exit_code, 5) << r.output;
  EXPECT_TRUE(has(r.output, "strata.toml [grants] tables.nosuchrole")) << r.output;
  EXPECT_TRUE(has(r.output, "role \"nosuchrole\" does not exist")) << r.output;
  EXPECT_EQ(query_value("select to_regclass('ok4') is null"), "t");
  write("strata.toml",
        "[grants]\nschema = \"public\"\ntables = { anon2 = \"SELECT; drop table x\" }\n");
  auto inj = strata({"up"});
  EXPECT_EQ(inj.exit_code, 8) << inj.output;
  EXPECT_TRUE(has(inj.output, "tables.anon2")) << inj.output;
}

TEST_F(SqlModel, ForeignHistoryTableIsAConfigurationError) {
  write("migrations/001_a.sql", "create table fa (id int);\n");
  connect().exec("create schema strata; create table strata.migrations (id int, note text)");
  for (auto cmd : {"status", "up"}) {
    auto r = strata({cmd});
    EXPECT_EQ(r.exit_code, 8) << cmd << ": " << r.output;
    EXPECT_TRUE(has(r.output, ".migrations exists but is not strata's history table")) << r.output;
  }
  EXPECT_EQ(query_value("select count(*) from strata.migrations"), "0");
}

TEST_F(SqlModel, EmptyHistorySchemaIsRefusedWhenTheConfigIsRead) {
  write("strata.toml", "[history]\nschema = \"\"\n");
  write("migrations/001_a.sql", "create table ha (id int);\n");
  for (auto cmd : {"status", "up"}) {
    auto r = strata({cmd});
    EXPECT_EQ(r.exit_code, 8) << r.output;
    EXPECT_TRUE(has(r.output, "strata.toml:2:10: [history] schema must not be empty")) << r.output;
  }
}

TEST_F(SqlModel, ConcurrentNewNeverWritesTheSameVersion) {
  fs::create_directories(project / "supabase" / "migrations");
  for (int round = 0; round < 3; ++round) {
    std::vector<std::thread> threads;
    for (int i = 0; i < 6; ++i)
      threads.emplace_back([&, i] {
        strata({"new", fmt::format("p{}_{}", round, i), "--workdir", project.string()}, false);
      });
    for (auto& t : threads) t.join();
  }
  std::set<std::string> versions;
  int files = 0;
  for (const auto& e : fs::directory_iterator(project / "supabase" / "migrations")) {
    std::string f = e.path().filename().string();
    versions.insert(f.substr(0, f.find('_')));
    ++files;
  }
  EXPECT_EQ(files, 18);
  EXPECT_EQ(versions.size(), 18u);
  auto up = strata({"up"});
  EXPECT_EQ(up.exit_code, 0) << up.output;
}

}  // namespace
