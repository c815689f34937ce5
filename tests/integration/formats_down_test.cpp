// Integration tests: the down section of a non-transactional migration (goose `NO TRANSACTION`,
// dbmate `transaction:false`) runs outside a transaction, statement by statement, with the same
// in-flight marks and progress as a non-transactional up file: a failed down keeps the version
// applied and the next `strata down` resumes after the statements that ran. Also: the
// detection notice of another tool's layout is printed until strata first records the source.
#include <fmt/format.h>

#include "fixture.hpp"

using namespace strata::testing;

namespace {

const std::filesystem::path kFormats = std::filesystem::path(STRATA_FIXTURES) / "formats";

class FormatsDown : public DbTest {
 protected:
  // A goose file building two indexes concurrently; its down drops them concurrently, the
  // second under `second` (a wrong name makes the down fail after its first statement).
  void goose_indexes(const std::string& second) const {
    write("migrations/20240101000000_items.sql",
          "-- +goose Up\ncreate table items (id int, code text);\n");
    write("migrations/20240102000000_items_idx.sql",
          "-- +goose NO TRANSACTION\n-- +goose Up\n"
          "create index concurrently items_id_idx on items (id);\n"
          "create index concurrently items_code_idx on items (code);\n"
          "-- +goose Down\n"
          "drop index concurrently items_id_idx;\n"
          "drop index concurrently " +
              second + ";\n");
  }
  // What a run killed after the first statement of goose_indexes' down script leaves (made
  // directly): the index is gone and the row names that statement in flight, with the
  // transaction it ran in when `with_xid` (else the server cannot tell: in doubt).
  void killed_after_first_down_statement(bool with_xid) {
    goose_indexes("items_code_idx");
    ASSERT_EQ(strata({"up"}).exit_code, 0);
    connect().exec("drop index items_id_idx");
    connect().exec(fmt::format(
        "update strata.migrations set in_flight = jsonb_build_object('down', true, 'done', 0, "
        "'from', 0, 'to', 1, 'pid', 0, {}'kind', 'DropStmt', 'line', 6, 'statement', "
        "'drop index concurrently items_id_idx', 'hashes', '[]'::jsonb) "
        "where version = '20240102000000'",
        with_xid ? "'xid', pg_current_xact_id()::text, " : ""));
  }
};

TEST_F(FormatsDown, GooseNoTransactionDownRunsOutsideATransaction) {
  copy_tree(kFormats / "goose");
  ASSERT_EQ(strata({"up"}).exit_code, 0);
  EXPECT_EQ(exists("public.items_id_idx"), "t");
  auto down = strata({"down"});  // DROP INDEX CONCURRENTLY: refused inside a transaction
  ASSERT_EQ(down.exit_code, 0) << down.output;
  EXPECT_EQ(exists("public.items_id_idx"), "f");
  EXPECT_EQ(history("version = '20240103000000'"), "");
  EXPECT_EQ(query_value("select count(*) from strata.events where action = 'revert'"), "1");
}

TEST_F(FormatsDown, DbmateTransactionFalseDownRunsOutsideATransaction) {
  copy_tree(kFormats / "dbmate");
  ASSERT_EQ(strata({"up"}).exit_code, 0);
  EXPECT_EQ(exists("public.users_email_idx"), "t");
  auto down = strata({"down"});
  ASSERT_EQ(down.exit_code, 0) << down.output;
  EXPECT_EQ(exists("public.users_email_idx"), "f");
  EXPECT_EQ(exists("public.users"), "t");
  EXPECT_EQ(history(), "20240101000000");
}

TEST_F(FormatsDown, FailedDownKeepsTheVersionAndResumesAfterWhatRan) {
  goose_indexes("items_code_idx_typo");
  ASSERT_EQ(strata({"up"}).exit_code, 0);
  auto down = strata({"down"});
  EXPECT_EQ(down.exit_code, 5) << down.output;
  EXPECT_NE(down.output.find("20240102000000_items_idx.sql:7"), std::string::npos) << down.output;
  EXPECT_EQ(exists("public.items_id_idx"), "f");  // the first statement ran and stays done
  EXPECT_EQ(query_value("select (in_flight ->> 'down') || ':' || (in_flight ->> 'done') from "
                        "strata.migrations where version = '20240102000000'"),
            "true:1");
  EXPECT_EQ(query_value("select count(*) from strata.events where action = 'fail'"), "1");
  auto st = strata({"status"});
  EXPECT_EQ(st.exit_code, 0) << st.output;  // still applied (not partial) until its down ends
  // ... but shown as reverting, with what to run.
  EXPECT_NE(st.output.find("reverting 1/2"), std::string::npos) << st.output;
  EXPECT_NE(st.output.find("20240102000000 is reverting: 1 of 2 down statements ran"),
            std::string::npos)
      << st.output;
  EXPECT_NE(st.output.find("run `strata down` to finish its down script"), std::string::npos)
      << st.output;
  auto j = json({"status", "--output", "json"});
  const auto& rows = j["sources"][0]["migrations"];
  ASSERT_EQ(rows.size(), 2u) << j.dump();
  EXPECT_FALSE(rows[0].contains("reverting")) << j.dump();
  EXPECT_EQ(rows[1]["state"], "applied");
  EXPECT_EQ(rows[1]["reverting"]["down_statements_ran"], 1) << j.dump();
  EXPECT_EQ(rows[1]["reverting"]["down_statements_total"], 2) << j.dump();
  EXPECT_NE(rows[1]["reverting"]["error"].get<std::string>().find("items_code_idx_typo"),
            std::string::npos)
      << j.dump();
  // Fixed in the database (the file stays as applied): the down resumes at its second
  // statement; running the first again (no IF EXISTS) would fail.
  connect().exec("alter index items_code_idx rename to items_code_idx_typo");
  auto again = strata({"down"});
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("after statement 1"), std::string::npos) << again.output;
  EXPECT_EQ(exists("public.items_code_idx_typo"), "f");
  EXPECT_EQ(history(), "20240101000000");
}

TEST_F(FormatsDown, InterruptedDownStatementIsSettledFromItsTransaction) {
  // The (committed) transaction it ran in is named: settled without asking.
  killed_after_first_down_statement(true);
  auto down = strata({"down"});
  ASSERT_EQ(down.exit_code, 0) << down.output;
  EXPECT_NE(down.output.find("had completed"), std::string::npos) << down.output;
  EXPECT_NE(down.output.find("after statement 1"), std::string::npos) << down.output;
  EXPECT_EQ(exists("public.items_code_idx"), "f");
  EXPECT_EQ(history(), "20240101000000");
}

// A down script's statement the server cannot settle (no transaction to look up): the error
// and its way out name `strata down`, not `strata up`; repair, then `strata down` finishes.
TEST_F(FormatsDown, InDoubtDownStatementNamesStrataDown) {
  killed_after_first_down_statement(false);
  auto down = strata({"down"});
  EXPECT_EQ(down.exit_code, 9) << down.output;
  EXPECT_NE(down.output.find("20240102000000_items_idx.sql:6: in doubt: an interrupted `strata "
                             "down` sent this down script statement"),
            std::string::npos)
      << down.output;
  EXPECT_NE(down.output.find("strata repair --in-doubt ran 20240102000000"), std::string::npos)
      << down.output;
  EXPECT_NE(down.output.find("then `strata down` to finish its down script"), std::string::npos)
      << down.output;
  EXPECT_EQ(down.output.find("strata up"), std::string::npos) << down.output;
  auto rep = strata({"repair", "--in-doubt", "ran", "20240102000000"});
  ASSERT_EQ(rep.exit_code, 0) << rep.output;
  EXPECT_NE(rep.output.find("Marked down script statement 1"), std::string::npos) << rep.output;
  EXPECT_NE(rep.output.find("`strata down` continues at statement 2"), std::string::npos)
      << rep.output;
  auto again = strata({"down"});
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("after statement 1"), std::string::npos) << again.output;
  EXPECT_EQ(exists("public.items_code_idx"), "f");
  EXPECT_EQ(history(), "20240101000000");
}

// Point 3 of issue 12: the notice that says which tool's layout strata detected is news once.
TEST_F(FormatsDown, DetectionNoticeIsPrintedUntilStrataRecordsTheSource) {
  copy_tree(kFormats / "goose");
  const std::string notice = "read as goose migrations";
  auto before = strata({"status"});
  EXPECT_NE(before.output.find(notice), std::string::npos) << before.output;
  auto first = strata({"up"});
  ASSERT_EQ(first.exit_code, 0) << first.output;
  EXPECT_NE(first.output.find(notice), std::string::npos) << first.output;
  auto noop = strata({"up"});
  ASSERT_EQ(noop.exit_code, 0) << noop.output;
  EXPECT_EQ(noop.output.find(notice), std::string::npos) << noop.output;
  auto st = strata({"status"});
  EXPECT_EQ(st.output.find(notice), std::string::npos) << st.output;
  write("migrations/20240104000000_more.sql", "-- +goose Up\ncreate table more (id int);\n");
  auto next = strata({"up"});
  ASSERT_EQ(next.exit_code, 0) << next.output;
  EXPECT_NE(next.output.find("20240104000000_more.sql"), std::string::npos) << next.output;
  EXPECT_EQ(next.output.find(notice), std::string::npos) << next.output;
}

}  // namespace
