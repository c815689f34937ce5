// Integration test: dbmate's DATABASE_URL with `search_path=` works as dbmate uses it (the
// migrations run with that search_path); a parameter libpq does not know is an error whose hint
// says so (not "is the server running").
#include "fixture.hpp"

using namespace strata::testing;

namespace {

class ToolUrl : public DbTest {};

TEST_F(ToolUrl, DbmateSearchPathIsTheSessionsSearchPath) {
  connect().exec("create schema app");
  write("strata.toml", "[migrations]\ndir = \"db/migrations\"\n");
  write("db/migrations/20240101000000_t.sql",
        "-- migrate:up\ncreate table t (id int);\n-- migrate:down\ndrop table t;\n");
  auto up = strata_on(url + "&search_path=app,public", {"up"});
  ASSERT_EQ(up.exit_code, 0) << up.output;
  EXPECT_EQ(exists("app.t"), "t");
  auto bad = strata_on(url + "&no_such_param=1", {"status"});
  EXPECT_EQ(bad.exit_code, 6) << bad.output;
  EXPECT_NE(bad.output.find("parameter libpq does not know"), std::string::npos) << bad.output;
}

TEST_F(ToolUrl, DbmateDefaultFolderIsFoundWithoutConfig) {
  write("db/migrations/20240101000000_t.sql",
        "-- migrate:up\ncreate table t (id int);\n-- migrate:down\ndrop table t;\n");
  auto up = strata({"up"});
  ASSERT_EQ(up.exit_code, 0) << up.output;
  EXPECT_EQ(exists("public.t"), "t");
}

}  // namespace
