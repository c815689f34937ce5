// Integration tests: `strata db copy` moves an app's data between environments verbatim, with
// counts verified and sequences reset (seed 004's sandbox -> production copy).
#include <fmt/format.h>

#include "fixture.hpp"

using namespace strata::testing;
namespace fs = std::filesystem;

namespace {

class Copy : public DbTest {
 protected:
  std::string sandbox_url;
  void SetUp() override {
    DbTest::SetUp();
    auto admin = strata::db::Connection::open(cluster().url("postgres"));
    admin.exec(fmt::format("DROP DATABASE IF EXISTS {}_sandbox WITH (FORCE)", dbname));
    admin.exec(fmt::format("CREATE DATABASE {}_sandbox TEMPLATE template0", dbname));
    sandbox_url = cluster().url(dbname + "_sandbox");
  }
  void TearDown() override {
    auto admin = strata::db::Connection::open(cluster().url("postgres"));
    admin.exec(fmt::format("DROP DATABASE IF EXISTS {}_sandbox WITH (FORCE)", dbname));
    DbTest::TearDown();
  }
};

TEST_F(Copy, SandboxToProductionWithSchemaRenameCountsAndSequences) {
  fs::path root = scenarios_dir();
  copy_tree(root / "shared-db-apps");
  for (const auto& u : {url, sandbox_url}) {
    ASSERT_EQ(strata({"compat", "install", "--db-url", u, "--workdir", project.string()}, false)
                  .exit_code,
              0);
    ASSERT_EQ(psql_file("cross-env/auth_users.sql", u).exit_code, 0);
  }
  auto sandbox = psql_file("cross-env/sandbox_homeportal.sql", sandbox_url);
  ASSERT_EQ(sandbox.exit_code, 0) << sandbox.output;
  write("money-tracker/strata.toml",
        "[app]\nname = \"money-tracker\"\nschema = \"money_tracker\"\n");
  write("home-portal/strata.toml", "[app]\nname = \"home-portal\"\nschema = \"home_portal\"\n");
  for (const char* app : {"money-tracker", "home-portal"})
    ASSERT_EQ(
        strata({"up", "--db-url", url, "--workdir", (project / app).string()}, false).exit_code, 0);
  auto r = strata({"db", "copy", "--from", sandbox_url, "--to", url, "--schema", "homeportal",
                   "--to-schema", "home_portal"},
                  false);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("every row count matches"), std::string::npos) << r.output;
  EXPECT_EQ(query_value("select count(*) from home_portal.services"), "5");
  EXPECT_EQ(query_value("select count(*) from home_portal.bookmarks"), "3");
  EXPECT_EQ(query_value("select string_agg(id::text, ',' order by id) from home_portal.services"),
            "1,2,3,4,6");
  EXPECT_EQ(query_value("select to_regnamespace('homeportal') is null"), "t");
  auto verify = psql_file("cross-env/verify_target.sql");
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
  auto check = psql_file("check.sql");
  EXPECT_NE(check.output.find("scenario shared-db-apps: ok"), std::string::npos) << check.output;
  // Copying again into tables that now have rows is refused, and changes nothing.
  auto again = strata({"db", "copy", "--from", sandbox_url, "--to", url, "--schema", "homeportal",
                       "--to-schema", "home_portal"},
                      false);
  EXPECT_EQ(again.exit_code, 2) << again.output;
  EXPECT_NE(again.output.find("already has rows"), std::string::npos);
  EXPECT_EQ(query_value("select count(*) from home_portal.services"), "5");
}

TEST_F(Copy, MissingTargetTableIsAClearErrorAndCopiesNothing) {
  strata::db::Connection::open(sandbox_url)
      .exec(
          "create schema app; create table app.a (id int); insert into app.a "
          "values (1); create table app.b (id int)");
  connect().exec("create schema app; create table app.a (id int)");
  auto r = strata({"db", "copy", "--from", sandbox_url, "--to", url, "--schema", "app"}, false);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("\"app\".\"b\" does not exist"), std::string::npos) << r.output;
  EXPECT_EQ(query_value("select count(*) from app.a"), "0");  // the whole copy rolled back
}

}  // namespace
