// Unit tests: splitting with libpg_query, positions, and classification from the parse tree.
#include <gtest/gtest.h>

#include "sql/splitter.hpp"

using namespace strata::sql;

TEST(Splitter, SplitsDollarQuotedBodiesAndKeepsUserText) {
  std::string sql =
      "-- header comment\n"
      "create function f() returns int language plpgsql as $$ begin return 1; end; $$;\n"
      "\n"
      "/* block */ insert into t values ('a;b');\n"
      "select 1; -- trailing\n";
  SplitFile f = split_statements(sql);
  ASSERT_TRUE(f.parsed);
  ASSERT_EQ(f.statements.size(), 3u);
  EXPECT_EQ(f.statements[0].kind, "CreateFunctionStmt");
  EXPECT_EQ(f.statements[0].line, 2);
  EXPECT_EQ(f.statements[0].column, 1);
  EXPECT_NE(f.statements[0].text.find("begin return 1; end;"), std::string::npos);
  EXPECT_EQ(f.statements[1].kind, "InsertStmt");
  EXPECT_EQ(f.statements[1].line, 4);
  EXPECT_EQ(f.statements[1].column, 13);  // after the block comment
  EXPECT_NE(f.statements[1].text.find("'a;b'"), std::string::npos);
  EXPECT_EQ(f.statements[2].line, 5);
}

TEST(Splitter, FlagsStatementsThatCannotRunInATransaction) {
  SplitFile f = split_statements(
      "create index concurrently i on t (a);\n"
      "drop index concurrently if exists j;\n"
      "reindex (concurrently) index k;\n"
      "vacuum t;\n"
      "analyze t;\n"
      "create index i2 on t (b);\n"
      "alter system set work_mem = '8MB';\n");
  ASSERT_EQ(f.statements.size(), 7u);
  std::vector<bool> expected = {true, true, true, true, false, false, true};
  for (size_t i = 0; i < expected.size(); ++i)
    EXPECT_EQ(f.statements[i].non_transactional, expected[i]) << i;
}

TEST(Splitter, RecognisesTransactionControl) {
  SplitFile f = split_statements(
      "BEGIN;\ncreate table a (id int);\nSAVEPOINT s;\nCOMMIT;\nrollback;\nstart "
      "transaction;\nend;");
  ASSERT_EQ(f.statements.size(), 7u);
  EXPECT_EQ(f.statements[0].tx_control, TxControl::begin);
  EXPECT_EQ(f.statements[1].tx_control, TxControl::none);
  EXPECT_EQ(f.statements[2].tx_control, TxControl::other);
  EXPECT_EQ(f.statements[3].tx_control, TxControl::commit);
  EXPECT_EQ(f.statements[4].tx_control, TxControl::rollback);
  EXPECT_EQ(f.statements[5].tx_control, TxControl::begin);
  EXPECT_EQ(f.statements[6].tx_control, TxControl::commit);
}

TEST(Splitter, UnparseableFileIsKeptWholeWithErrorPositions) {
  std::string sql = "create table a (id int);\ncreate tabel b (id int);\nselect 1;\n";
  SplitFile f = split_statements(sql);
  EXPECT_FALSE(f.parsed);
  ASSERT_EQ(f.statements.size(), 1u);
  EXPECT_EQ(f.statements[0].text, sql);
  EXPECT_EQ(f.statements[0].kind, "unparsed");
  ASSERT_EQ(f.errors.size(), 1u);
  EXPECT_EQ(f.errors[0].line, 2);
  EXPECT_EQ(f.errors[0].column, 8);
  EXPECT_NE(f.errors[0].message.find("tabel"), std::string::npos);
}

TEST(Splitter, BlankAndCommentOnlyFilesHaveNoStatements) {
  EXPECT_TRUE(split_statements("").statements.empty());
  EXPECT_TRUE(split_statements("-- nothing here\n/* still nothing */\n").statements.empty());
  EXPECT_TRUE(is_blank_sql("  \n-- x\n"));
  EXPECT_FALSE(is_blank_sql("select 1"));
}

TEST(Splitter, ColumnsCountCharactersNotBytes) {
  SplitFile f = split_statements("select 'é';  select 2;");
  ASSERT_EQ(f.statements.size(), 2u);
  EXPECT_EQ(f.statements[1].column, 14);
}
