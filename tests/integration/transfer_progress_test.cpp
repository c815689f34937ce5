// Integration tests: `db copy` and `db dump` report progress on stderr with --progress (on a
// pipe, as here: the final line per table / per dump is always printed; intermediate lines are
// throttled and not asserted), and print none on a pipe without it.
#include "fixture.hpp"

using namespace strata::testing;

namespace {

class TransferProgress : public DbTest {
 protected:
  std::string other_url;
  void SetUp() override {
    DbTest::SetUp();
    other_url = extra_database("other", false);
    const char* schema =
        "create schema shop; create table shop.items (id int primary key, name text);";
    connect().exec(std::string(schema) +
                   "insert into shop.items select g, 'item ' || g from generate_series(1, 250) g;");
    strata::db::Connection::open(other_url).exec(schema);
  }
};

TEST_F(TransferProgress, CopyReportsRowsPerTableOnlyWhenAsked) {
  auto quiet = strata({"db", "copy", "--from", url, "--to", other_url, "--schema", "shop"}, false);
  ASSERT_EQ(quiet.exit_code, 0) << quiet.output;
  EXPECT_EQ(quiet.output.find("copied items:"), std::string::npos) << quiet.output;
  strata::db::Connection::open(other_url).exec("truncate shop.items");
  auto r = strata(
      {"db", "copy", "--from", url, "--to", other_url, "--schema", "shop", "--progress"}, false);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("copied items: 250 of 250 rows ("), std::string::npos) << r.output;
}

TEST_F(TransferProgress, DumpReportsBytesOnlyWhenAsked) {
  auto quiet = strata({"db", "dump", "-f", (project / "a.sql").string()});
  ASSERT_EQ(quiet.exit_code, 0) << quiet.output;
  EXPECT_EQ(quiet.output.find("dumped: "), std::string::npos) << quiet.output;
  auto r = strata({"db", "dump", "-f", (project / "b.sql").string(), "--progress"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto at = r.output.find("dumped: ");
  ASSERT_NE(at, std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("dumped: 0 B"), std::string::npos) << r.output;  // bytes were counted
}

}  // namespace
