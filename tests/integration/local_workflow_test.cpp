// Integration tests: the compat layer, seeds, `db query`, `strata test`, reset guards.
#include <fmt/format.h>

#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "config/project.hpp"
#include "fixture.hpp"
#include "ops/reset.hpp"

using namespace strata::testing;

namespace {

class LocalWorkflow : public DbTest {};

TEST_F(LocalWorkflow, CompatLayerIsIdempotentAndNotAUserMigration) {
  auto first = strata({"compat", "install"});
  ASSERT_EQ(first.exit_code, 0) << first.output;
  EXPECT_NE(first.output.find("Installed"), std::string::npos);
  auto second = strata({"compat", "install"});
  EXPECT_NE(second.output.find("already current"), std::string::npos) << second.output;
  EXPECT_EQ(query_value("select count(*) from pg_roles where rolname in ('anon', 'authenticated', "
                        "'service_role')"),
            "3");
  EXPECT_EQ(query_value("select rolbypassrls from pg_roles where rolname = 'service_role'"), "t");
  EXPECT_EQ(query_value("select to_regclass('auth.users') is not null and "
                        "to_regclass('storage.objects') is not null"),
            "t");
  EXPECT_EQ(query_value(
                "begin; set local request.jwt.claim.sub = '11111111-1111-1111-1111-111111111111'; "
                "select auth.uid()::text"),
            "11111111-1111-1111-1111-111111111111");
  EXPECT_EQ(query_value("select (storage.foldername('u1/avatars/me.png'))[1]"), "u1");
  write("supabase/migrations/001_a.sql", "create table a (id uuid default uuid_generate_v4());\n");
  ASSERT_EQ(strata({"up"}).exit_code, 0);
  auto st = strata({"status"});
  EXPECT_EQ(st.output.find("compat"), std::string::npos);
  EXPECT_EQ(query_value("select count(*) from strata.migrations"), "1");
}

TEST_F(LocalWorkflow, SeedsRunOnceAndChangedSeedsOnlyOnRequest) {
  write("supabase/migrations/001_t.sql", "create table t (v text);\n");
  write("supabase/seed.sql", "insert into t values ('one');\n");
  ASSERT_EQ(strata({"up", "--include-seed"}).exit_code, 0);
  EXPECT_EQ(query_value("select count(*) from t"), "1");
  EXPECT_EQ(query_value("select path || ' ' || length(hash) from supabase_migrations.seed_files"),
            "supabase/seed.sql 64");
  ASSERT_EQ(strata({"seed"}).exit_code, 0);
  EXPECT_EQ(query_value("select count(*) from t"), "1");  // unchanged: not re-run
  write("supabase/seed.sql", "insert into t values ('two');\n");
  auto changed = strata({"seed"});
  EXPECT_NE(changed.output.find("changed since it ran"), std::string::npos) << changed.output;
  EXPECT_EQ(query_value("select count(*) from t"), "1");
  ASSERT_EQ(strata({"seed", "--force"}).exit_code, 0);
  EXPECT_EQ(query_value("select count(*) from t where v = 'two'"), "1");
}

TEST_F(LocalWorkflow, FailingSeedKeepsTheMigrationsAndPointsAtTheLine) {
  write("supabase/migrations/001_t.sql", "create table t (v int);\n");
  write("supabase/seed.sql", "insert into t values (1);\ninsert into t values ('x');\n");
  auto r = strata({"up", "--include-seed"});
  EXPECT_EQ(r.exit_code, 5) << r.output;
  EXPECT_NE(r.output.find("supabase/seed.sql:2:"), std::string::npos) << r.output;
  EXPECT_EQ(query_value("select to_regclass('t') is not null"), "t");
  EXPECT_EQ(query_value("select count(*) from t"), "0");  // the seed is atomic
}

TEST_F(LocalWorkflow, ResetOfANonLocalDatabaseNeedsForceAndKeepsRoles) {
  write("supabase/migrations/001_t.sql", "create table t (v int);\n");
  ASSERT_EQ(strata({"compat", "install"}).exit_code, 0);
  ASSERT_EQ(strata({"up"}).exit_code, 0);
  connect().exec(
      "insert into t values (1); create schema scratch; create table scratch.x (id int)");
  std::string before = snapshot();
  auto refused = strata({"db", "reset"});
  EXPECT_EQ(refused.exit_code, 2) << refused.output;
  EXPECT_NE(refused.output.find("--force"), std::string::npos);
  EXPECT_EQ(snapshot(), before);
  auto r = strata({"db", "reset", "--force", "--no-seed"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("Dropping schemas: public, scratch, strata, supabase_migrations"),
            std::string::npos)
      << r.output;
  EXPECT_EQ(query_value("select count(*) from t"), "0");
  EXPECT_EQ(
      query_value(
          "select to_regclass('scratch.x') is null and to_regclass('auth.users') is not null"),
      "t");
  EXPECT_EQ(query_value("select count(*) from pg_roles where rolname = 'authenticated'"), "1");
}

TEST_F(LocalWorkflow, DevOnlyMigrationsRunOnlyInDev) {
  write("strata.toml", "[migrations]\ndir = \"migrations\"\ndev_only = [\"*_sample_data.sql\"]\n");
  write("migrations/001_users.sql", "create table users (name text);\n");
  write("migrations/002_users_sample_data.sql", "insert into users values ('sample');\n");
  write("migrations/003_marked.sql", "-- strata:env dev\ninsert into users values ('marked');\n");
  auto prod = strata({"up"});
  ASSERT_EQ(prod.exit_code, 0) << prod.output;
  EXPECT_NE(prod.output.find("Left out 2 dev-only migration(s)"), std::string::npos) << prod.output;
  EXPECT_EQ(query_value("select count(*) from users"), "0");
  auto dev = strata({"up", "--env", "dev"});
  ASSERT_EQ(dev.exit_code, 0) << dev.output;
  EXPECT_EQ(query_value("select count(*) from users"), "2");
}

TEST_F(LocalWorkflow, SqlTestsReportTapAndFailures) {
  write("supabase/migrations/001_t.sql", "create table t (v int);\n");
  ASSERT_EQ(strata({"up"}).exit_code, 0);
  write("supabase/tests/a_pass.sql",
        "insert into t values (1);\ndo $$ begin if (select count(*) from t) <> 1 then "
        "raise exception 'expected 1 row'; end if; end $$;\n");
  write("supabase/tests/b_fail.sql", "do $$ begin raise exception 'deliberate failure'; end $$;\n");
  auto r = strata({"test"});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("1..2"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("ok 1 - supabase/tests/a_pass.sql"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("not ok 2 - supabase/tests/b_fail.sql"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("deliberate failure"), std::string::npos);
  EXPECT_EQ(query_value("select count(*) from t"), "0");  // rolled back
}

}  // namespace

namespace {

// The project's own local cluster: `db start|status|url|stop`, and commands that start it when
// no URL is given. Uses its own port and data directory inside the test project.
class LocalCluster : public DbTest {};

TEST_F(LocalCluster, StartStatusUrlResetAndAutoStart) {
  for (const char* v : {"DATABASE_URL", "PGHOST", "PGDATABASE", "PGSERVICE", "PGPORT", "PGUSER"})
    unsetenv(v);
  int port = 57000 + static_cast<int>(getpid() % 1000);
  write("supabase/config.toml", fmt::format("[db]\nport = {}\nmajor_version = 15\n", port));
  write("supabase/migrations/20250101000000_t.sql",
        "create table t (id uuid references auth.users (id));\n");
  write("supabase/seed.sql",
        "insert into auth.users (id) values ('11111111-1111-1111-1111-111111111111');\n"
        "insert into t values ('11111111-1111-1111-1111-111111111111');\n");
  auto local = [&](std::vector<std::string> args) {
    args.insert(args.end(), {"--workdir", project.string()});
    return strata(args, false);
  };
  auto status0 = local({"db", "status"});
  EXPECT_EQ(status0.exit_code, 1);
  EXPECT_NE(status0.output.find("not created"), std::string::npos) << status0.output;
  // `up` with no URL starts the local database itself, saying so.
  auto up = local({"up"});
  ASSERT_EQ(up.exit_code, 0) << up.output;
  EXPECT_NE(up.output.find("starting the local database"), std::string::npos) << up.output;
  auto st = local({"db", "status"});
  EXPECT_EQ(st.exit_code, 0) << st.output;
  EXPECT_NE(st.output.find(fmt::format("port: {}", port)), std::string::npos);
  auto url_out = local({"db", "url"});
  std::string local_url = url_out.output.substr(0, url_out.output.find('\n'));
  EXPECT_NE(local_url.find(fmt::format("port={}", port)), std::string::npos);
  EXPECT_EQ(local_url.find("postgres:postgres"), std::string::npos);  // no password in output
  // db start installs the compat layer; reset recreates, applies and seeds.
  ASSERT_EQ(local({"db", "start"}).exit_code, 0);
  auto reset = local({"db", "reset"});
  ASSERT_EQ(reset.exit_code, 0) << reset.output;
  auto conn = strata::db::Connection::open(local_url);
  EXPECT_EQ(conn.exec("select count(*) from t").get(0, 0), "1");
  EXPECT_EQ(conn.exec("select count(*) from strata.migrations").get(0, 0), "1");
  // reset-killed-wrong-hint: a `db reset` killed between its DROP and its CREATE DATABASE
  // (that state made directly: the reset's marker written, the database dropped) is explained
  // by the next command, and a new `db reset` recovers.
  {
    std::filesystem::path marker = strata::reset_marker(strata::load_project(project));
    std::ofstream(marker) << "postgres\n";
    std::string admin_url = local_url;
    admin_url.replace(admin_url.find("/postgres?"), 10, "/template1?");
    auto admin = strata::db::Connection::open(admin_url);
    admin.exec("DROP DATABASE postgres WITH (FORCE)");
  }
  auto after_kill = local({"status"});
  EXPECT_NE(after_kill.exit_code, 0) << after_kill.output;
  EXPECT_NE(after_kill.output.find("run `strata db reset` again"), std::string::npos)
      << after_kill.output;
  auto again = local({"db", "reset"});
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_EQ(local({"status"}).output.find("db reset"), std::string::npos);
  conn = strata::db::Connection::open(local_url);
  EXPECT_EQ(conn.exec("select count(*) from t").get(0, 0), "1");
  auto stop = local({"db", "stop"});
  EXPECT_EQ(stop.exit_code, 0) << stop.output;
  EXPECT_EQ(local({"db", "status"}).exit_code, 1);
}

}  // namespace

namespace {

class NormalUser : public DbTest {};

// As root, the other tests exercise the root path (server commands run as `postgres`); this one
// runs strata itself as the unprivileged `postgres` user, as a developer would on a laptop.
TEST_F(NormalUser, LocalDatabaseWorksWithoutRoot) {
  if (geteuid() != 0) GTEST_SKIP() << "already a normal user: LocalCluster tests cover this path";
  for (const char* v : {"DATABASE_URL", "PGHOST", "PGDATABASE", "PGSERVICE", "PGPORT", "PGUSER"})
    unsetenv(v);
  int port = 58000 + static_cast<int>(getpid() % 1000);
  write("app/supabase/config.toml", fmt::format("[db]\nport = {}\n", port));
  write("app/supabase/migrations/20250101000000_t.sql",
        "create table t (id uuid references auth.users (id));\n");
  ASSERT_EQ(strata::run_process({"chown", "-R", "postgres:postgres", (project / "app").string()})
                .exit_code,
            0);
  auto as_user = [&](std::vector<std::string> args) {
    std::vector<std::string> argv = {"runuser", "-u", "postgres", "--", STRATA_BIN};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"--workdir", (project / "app").string()});
    return strata::run_process(argv);
  };
  auto up = as_user({"up"});
  ASSERT_EQ(up.exit_code, 0) << up.output;
  EXPECT_NE(up.output.find("starting the local database"), std::string::npos) << up.output;
  EXPECT_TRUE(std::filesystem::exists(project / "app/.strata/pgdata/PG_VERSION"));
  auto st = as_user({"status"});
  EXPECT_EQ(st.exit_code, 0) << st.output;
  EXPECT_EQ(as_user({"db", "stop"}).exit_code, 0);
}

}  // namespace
