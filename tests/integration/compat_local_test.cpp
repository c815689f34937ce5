// strata's own local database with the Supabase platform: the supabase-platform fixture applies
// with `strata db reset` unchanged (stand-ins, vault, realtime, pgmq, real pg_cron preloaded),
// `[local] settings` reach the server, `[local] compat = false` starts a bare database, and the
// Supabase workflow runs end to end on examples/supabase-notes. Each test starts its own cluster
// (own port, data inside the test project).
#include <fmt/format.h>
#include <unistd.h>

#include "devdb/cluster.hpp"
#include "fixture.hpp"

namespace fs = std::filesystem;

namespace {

using strata::testing::CliResult;
using strata::testing::DbTest;

class LocalPlatform : public DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    for (const char* v : {"DATABASE_URL", "PGHOST", "PGDATABASE", "PGSERVICE", "PGPORT", "PGUSER"})
      unsetenv(v);
  }
  void TearDown() override {
    local({"db", "stop"});
    DbTest::TearDown();
  }
  // A port of its own per test (the suite's clusters use 50000-55999).
  int port(int offset) const { return 59000 + offset * 100 + static_cast<int>(getpid() % 100); }
  CliResult local(std::vector<std::string> args) const {
    args.insert(args.end(), {"--workdir", project.string()});
    return strata(args, false);
  }
  std::string local_url() const {
    auto r = local({"db", "url"});
    return r.output.substr(0, r.output.find('\n'));
  }
  std::string local_value(const std::string& sql) const {
    auto conn = strata::db::Connection::open(local_url());
    auto r = conn.exec(sql);
    return r.rows() ? r.get(0, 0) : std::string();
  }
};

TEST_F(LocalPlatform, SupabasePlatformProjectResetsUnchanged) {
  copy_tree(fs::path(STRATA_FIXTURES) / "supabase-platform");
  write("supabase/config.toml",
        fmt::format("[db]\nport = {}\nmajor_version = 15\n[db.seed]\nenabled = true\n", port(1)));
  write(
      "strata.toml",
      "[local]\nshared_preload_libraries = [\"pg_stat_statements\"]\n[local.settings]\nwork_mem = "
      "'7MB'\napplication_name = \"it's local\"\n");
  auto reset = local({"db", "reset"});
  ASSERT_EQ(reset.exit_code, 0) << reset.output;
  EXPECT_NE(reset.output.find("Applied 4 migration(s)"), std::string::npos) << reset.output;
  EXPECT_NE(reset.output.find("pgmq is not available on this server: strata installed its "
                              "stand-in"),
            std::string::npos)
      << reset.output;
  EXPECT_NE(reset.output.find("pg_net is not available on this server: strata installed its "
                              "stand-in in schema net"),
            std::string::npos)
      << reset.output;
  // The seed's order called the edge function with the vault's service key.
  EXPECT_EQ(local_value("select headers ->> 'Authorization' from net.http_request_queue"),
            "Bearer service-role-key-for-local-tests");
  EXPECT_EQ(local_value("select count(*) from pgmq.q_welcome_emails"), "2");
  // pg_cron is the real extension, preloaded by the local cluster.
  EXPECT_EQ(local_value("select count(*) from pg_extension where extname = 'pg_cron'"), "1");
  EXPECT_EQ(local_value("select jobname from cron.job"), "purge-old-messages");
  EXPECT_EQ(local_value("show cron.database_name"), "postgres");
  // [local.settings] reach the server.
  EXPECT_EQ(local_value("show work_mem"), "7MB");
  std::string preload = local_value("show shared_preload_libraries");
  EXPECT_NE(preload.find("pg_stat_statements"), std::string::npos) << preload;
  EXPECT_NE(preload.find("pg_cron"), std::string::npos) << preload;
  // RLS with a user's claims, as the app sees it.
  auto as_alan = local({"db", "query", "--as", "22222222-2222-2222-2222-222222222222",
                        "select count(*) from public.orders"});
  ASSERT_EQ(as_alan.exit_code, 0) << as_alan.output;
  EXPECT_NE(as_alan.output.find("\n0\n(1 row)"), std::string::npos) << as_alan.output;
  auto as_ada = local({"db", "query", "--as", "11111111-1111-1111-1111-111111111111",
                       "select count(*) from public.orders"});
  EXPECT_NE(as_ada.output.find("\n1\n(1 row)"), std::string::npos) << as_ada.output;
  // The project's pgTAP tests pass on it.
  auto tests = local({"test", "db"});
  EXPECT_EQ(tests.exit_code, 0) << tests.output;
  EXPECT_NE(tests.output.find("\nok 1 - supabase/tests/database/platform.test.sql"),
            std::string::npos)
      << tests.output;
  // A second reset gives the same database (roles and cron survive the recreation).
  auto again = local({"db", "reset"});
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_EQ(local_value("select count(*) from net.http_request_queue"), "1");
  EXPECT_EQ(local_value("select count(*) from cron.job"), "1");
}

// Case compat-role-conflict: a project that ships its own auth shim runs on a bare database.
TEST_F(LocalPlatform, CompatFalseStartsABareDatabase) {
  write("strata.toml", fmt::format("[local]\nport = {}\ncompat = false\n", port(2)));
  write("migrations/20000101000000_auth.sql",
        "-- the project ships its own minimal Supabase shim for plain PostgreSQL\n"
        "CREATE SCHEMA IF NOT EXISTS auth;\nCREATE ROLE authenticated;\n");
  auto up = local({"up"});
  ASSERT_EQ(up.exit_code, 0) << up.output;
  EXPECT_EQ(local_value("select to_regnamespace('strata_compat') is null"), "t");
  EXPECT_EQ(local_value("select to_regclass('auth.users') is null"), "t");
  EXPECT_EQ(local_value("select to_regnamespace('net') is null"), "t");
  EXPECT_EQ(local_value("select count(*) from pg_roles where rolname = 'authenticated'"), "1");
  auto start = local({"db", "start"});
  EXPECT_EQ(start.exit_code, 0) << start.output;
  EXPECT_NE(start.output.find("compat = false"), std::string::npos) << start.output;
}

// The Supabase workflow, as seeds run it, on the example project.
TEST_F(LocalPlatform, SupabaseWorkflowOnTheExampleProject) {
  copy_tree(fs::path(STRATA_SOURCE_DIR) / "examples" / "supabase-notes");
  write("supabase/config.toml",
        fmt::format("[db]\nport = {}\nmajor_version = 15\n[db.seed]\nenabled = true\n", port(3)));
  auto reset = local({"db", "reset"});
  ASSERT_EQ(reset.exit_code, 0) << reset.output;
  EXPECT_NE(reset.output.find("Applied 3 migration(s)"), std::string::npos) << reset.output;
  EXPECT_EQ(local_value("select count(*) from public.notes"), "2");  // seed.sql ran

  auto created = local({"migration", "new", "add_note_pins"});
  ASSERT_EQ(created.exit_code, 0) << created.output;
  fs::path file;
  for (const auto& e : fs::directory_iterator(project / "supabase/migrations"))
    if (e.path().filename().string().ends_with("_add_note_pins.sql")) file = e.path();
  ASSERT_FALSE(file.empty()) << created.output;
  write(("supabase/migrations/" + file.filename().string()),
        "alter table public.notes add column pinned boolean not null default false;\n");
  std::string version = file.filename().string().substr(0, 14);

  auto dry = local({"db", "push", "--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.output;
  EXPECT_NE(dry.output.find("add column pinned"), std::string::npos) << dry.output;
  EXPECT_EQ(local_value("select count(*) from information_schema.columns where column_name = "
                        "'pinned'"),
            "0");
  auto up = local({"migration", "up"});
  ASSERT_EQ(up.exit_code, 0) << up.output;
  auto list = local({"migration", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.output;
  EXPECT_NE(list.output.find(version), std::string::npos) << list.output;
  EXPECT_EQ(local_value(fmt::format("select count(*) from supabase_migrations.schema_migrations "
                                    "where version = '{}'",
                                    version)),
            "1");
  // repair: forget the row, then record it again, without running the SQL.
  auto reverted = local({"migration", "repair", "--status", "reverted", version});
  ASSERT_EQ(reverted.exit_code, 0) << reverted.output;
  auto pending = local({"migration", "list"});
  EXPECT_NE(pending.output.find("pending"), std::string::npos) << pending.output;
  auto applied = local({"migration", "repair", "--status", "applied", version});
  ASSERT_EQ(applied.exit_code, 0) << applied.output;
  auto push = local({"db", "push"});
  ASSERT_EQ(push.exit_code, 0) << push.output;
  EXPECT_EQ(push.output.find("Applied supabase"), std::string::npos) << push.output;

  // test db with a pgTAP file, and the seed's RLS check both ways.
  write("supabase/tests/notes.test.sql",
        "begin;\nselect plan(2);\nselect has_column('public', 'notes', 'pinned', 'pinned');\n"
        "set local role authenticated;\n"
        "set local request.jwt.claim.sub = '11111111-1111-1111-1111-111111111111';\n"
        "select is((select count(*)::int from public.notes), 1, 'Ada sees only her note');\n"
        "select * from finish();\nrollback;\n");
  auto tests = local({"test", "db"});
  EXPECT_EQ(tests.exit_code, 0) << tests.output;
  EXPECT_NE(tests.output.find("\n    ok 2 - Ada sees only her note"), std::string::npos)
      << tests.output;
  auto as_ada = local({"db", "query", "--as", "11111111-1111-1111-1111-111111111111",
                       "select title from public.notes"});
  ASSERT_EQ(as_ada.exit_code, 0) << as_ada.output;
  EXPECT_NE(as_ada.output.find("Ada's first note"), std::string::npos) << as_ada.output;
  EXPECT_EQ(as_ada.output.find("Alan's first note"), std::string::npos) << as_ada.output;
}

}  // namespace
