// Unit tests: the in-doubt error (execute/in_doubt.hpp): the statement cut to its first line and
// 120 bytes, and the command that finishes the job: `strata up`, or `strata down` for a
// statement of a down script.
#include <gtest/gtest.h>

#include "execute/in_doubt.hpp"

using namespace strata;

namespace {

HistoryRow row_in_doubt(const std::string& statement, bool down) {
  HistoryRow row;
  row.version = "002";
  row.name = "fill";
  row.statements_total = 3;
  InFlight f;
  f.from = 1;
  f.to = 2;
  f.pid = 42;
  f.line = 7;
  f.statement = statement;
  f.down = down;
  row.in_flight = f;
  return row;
}

}  // namespace

TEST(InDoubt, StatementIsCutToItsFirstLineAnd120Bytes) {
  Error multi =
      in_doubt_error(nullptr, row_in_doubt("  do $$\nbegin perform 1; end $$  ", false), "why", "");
  EXPECT_NE(std::string(multi.what()).find("completed: do $$ ..."), std::string::npos)
      << multi.what();
  std::string long_text = "update t set v = '" + std::string(200, 'x') + "'";
  Error cut = in_doubt_error(nullptr, row_in_doubt(long_text, false), "why", "");
  std::string expected = long_text.substr(0, 117) + "...";
  std::string what = cut.what();
  ASSERT_GE(what.size(), expected.size());
  EXPECT_EQ(what.substr(what.size() - expected.size()), expected);
}

TEST(InDoubt, UpStatementNamesStrataUp) {
  Error e = in_doubt_error(nullptr, row_in_doubt("do $$ begin end $$", false), "why", "");
  EXPECT_EQ(e.code(), ExitCode::in_doubt);
  EXPECT_NE(std::string(e.what()).find("002_fill:7: in doubt: an interrupted `strata up` sent "
                                       "this statement"),
            std::string::npos)
      << e.what();
  EXPECT_NE(e.detail.find("statements 1-1 of 3 are done"), std::string::npos) << e.detail;
  EXPECT_NE(e.hint.find("`strata repair --in-doubt ran 002`"), std::string::npos) << e.hint;
  EXPECT_NE(e.hint.find("then `strata up`"), std::string::npos) << e.hint;
  EXPECT_EQ(e.hint.find("strata down"), std::string::npos) << e.hint;
}

TEST(InDoubt, DownScriptStatementNamesStrataDown) {
  Error e =
      in_doubt_error(nullptr, row_in_doubt("do $$ begin end $$", true), "why", "--source app ");
  EXPECT_NE(std::string(e.what()).find("an interrupted `strata down` sent this down script "
                                       "statement"),
            std::string::npos)
      << e.what();
  EXPECT_NE(e.detail.find("statements 1-1 of its down script are done"), std::string::npos)
      << e.detail;
  EXPECT_NE(e.hint.find("`strata repair --in-doubt not-run --source app 002`"), std::string::npos)
      << e.hint;
  EXPECT_NE(e.hint.find("then `strata down` to finish its down script"), std::string::npos)
      << e.hint;
  EXPECT_EQ(e.hint.find("strata up"), std::string::npos) << e.hint;
}
