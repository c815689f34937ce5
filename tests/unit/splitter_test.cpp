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

// ---- The one statement model: scan, COPY data, meta-commands, directives, scale ----

#include <chrono>
#include <filesystem>
#include <fstream>

#include "migration/migration.hpp"
#include "util/error.hpp"

TEST(Splitter, ByteOrderMarkIsNotSql) {
  SplitFile f = split_statements(
      "\xEF\xBB\xBF"
      "create table bom_t (id int);\r\ninsert into bom_t values (1);\r\n");
  ASSERT_TRUE(f.parsed);
  EXPECT_TRUE(f.bom);
  ASSERT_EQ(f.statements.size(), 2u);
  EXPECT_EQ(f.statements[0].kind, "CreateStmt");
  EXPECT_EQ(f.statements[0].line, 1);
  EXPECT_EQ(f.statements[0].column, 1);
  EXPECT_EQ(f.statements[0].text.find("\xEF"), std::string::npos);
  EXPECT_EQ(f.statements[1].line, 2);
}

TEST(Splitter, InvalidUtf8IsAProblemAtItsRealLine) {
  SplitFile f = split_statements("-- caf\xE9 comment only here\nselect 1;\n");
  ASSERT_EQ(f.problems.size(), 1u);
  EXPECT_EQ(f.problems[0].line, 1);
  EXPECT_EQ(f.problems[0].column, 7);
  EXPECT_NE(f.problems[0].message.find("0xE9"), std::string::npos);
  try {
    check_runnable(f, "migrations/001_latin1.sql");
    FAIL() << "no error";
  } catch (const strata::Error& e) {
    EXPECT_EQ(e.code(), strata::ExitCode::config);
    EXPECT_NE(std::string(e.what()).find("migrations/001_latin1.sql:1:7: not valid UTF-8"),
              std::string::npos)
        << e.what();
  }
}

TEST(Splitter, CopyFromStdinCarriesItsInlineData) {
  std::string sql =
      "SET session_replication_role = replica;\n"
      "COPY public.people (id, name, email) FROM stdin;\n"
      "100\tcopied one\ta@example.invalid\n"
      "101\tcopied two\t\\N\n"
      "\\.\n"
      "\n"
      "SET session_replication_role = DEFAULT;\n";
  SplitFile f = split_statements(sql);
  ASSERT_TRUE(f.parsed) << (f.errors.empty() ? "" : f.errors[0].message);
  EXPECT_TRUE(f.problems.empty());
  ASSERT_EQ(f.statements.size(), 3u);
  EXPECT_EQ(f.statements[1].kind, "CopyStmt");
  EXPECT_TRUE(f.statements[1].copy_in);
  EXPECT_EQ(f.statements[1].copy_data,
            "100\tcopied one\ta@example.invalid\n101\tcopied two\t\\N\n");
  EXPECT_EQ(f.statements[2].line, 7);
  EXPECT_EQ(f.statements[2].text.find("100"), std::string::npos);  // data is not SQL
}

TEST(Splitter, CopyFromStdinWithoutDataIsAProblem) {
  SplitFile f = split_statements("copy t from stdin");
  ASSERT_FALSE(f.problems.empty());
  EXPECT_NE(f.problems[0].message.find("COPY"), std::string::npos);
}

TEST(Splitter, RestrictLinesAreIgnoredOtherMetaCommandsRefused) {
  SplitFile ok = split_statements(
      "\\restrict AbC123\n"
      "create table r (id int);\n"
      "\\unrestrict AbC123\n");
  ASSERT_TRUE(ok.parsed);
  EXPECT_TRUE(ok.problems.empty());
  ASSERT_EQ(ok.statements.size(), 1u);
  EXPECT_EQ(ok.statements[0].line, 2);

  SplitFile bad = split_statements("create table r (id int);\n\n\\set ON_ERROR_STOP on\n");
  ASSERT_EQ(bad.problems.size(), 1u);
  EXPECT_EQ(bad.problems[0].line, 3);
  EXPECT_NE(bad.problems[0].message.find("\\set"), std::string::npos);
  // A backslash inside a string or a body is not a meta-command.
  EXPECT_TRUE(split_statements("select E'a\\nb', $$ \\set $$;").problems.empty());
}

TEST(Splitter, IncludeRelativeSplicesTheIncludedStatements) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("strata-ir-" + std::to_string(::getpid()));
  fs::create_directories(dir / "parts");
  std::ofstream(dir / "parts" / "a.sql")
      << "create table inc_a (id int);\ncreate table inc_b (id int);\n";
  std::string main_sql =
      "create table first (id int);\n\\ir parts/a.sql\ncreate table last (id int);\n";
  SplitOptions o;
  o.path = dir / "main.sql";
  SplitFile f = split_statements(main_sql, o);
  fs::remove_all(dir);
  ASSERT_TRUE(f.problems.empty()) << f.problems[0].message;
  ASSERT_EQ(f.statements.size(), 4u);
  EXPECT_NE(f.statements[1].text.find("inc_a"), std::string::npos);
  EXPECT_NE(f.statements[1].origin.find("a.sql"), std::string::npos);
  EXPECT_EQ(f.statements[2].line, 2);  // in the included file
  EXPECT_NE(f.statements[3].text.find("last"), std::string::npos);
  EXPECT_EQ(f.statements[3].index, 3);
}

TEST(Splitter, ReindexConcurrentlyAndSubscriptionsClassified) {
  SplitFile f = split_statements(
      "reindex index concurrently i;\n"
      "create subscription s connection 'host=x' publication p;\n"
      "create subscription s2 connection 'host=x' publication p with (create_slot = false);\n");
  ASSERT_EQ(f.statements.size(), 3u);
  EXPECT_TRUE(f.statements[0].non_transactional);
  EXPECT_TRUE(f.statements[1].non_transactional);
  EXPECT_FALSE(f.statements[2].non_transactional);
}

TEST(Splitter, KeepTreesGivesLintTheSameStatementsWithNodes) {
  SplitOptions o;
  o.keep_trees = true;
  SplitFile f = split_statements("select 1;\nreindex index concurrently i;\n", o);
  ASSERT_EQ(f.statements.size(), 2u);
  EXPECT_NE(f.statements[0].node, nullptr);
  EXPECT_TRUE(f.statements[1].non_transactional);
  EXPECT_TRUE(f.trees != nullptr);
}

TEST(Splitter, CommentOnlyFileHasNoStatements) {
  SplitFile f = split_statements("-- placeholder created by `supabase migration new`\n");
  EXPECT_TRUE(f.parsed);
  EXPECT_TRUE(f.statements.empty());
  EXPECT_TRUE(f.problems.empty());
}

TEST(Splitter, BigFileSplitsInLinearTime) {
  // 4 MB of INSERTs took 245 s when every line number was recounted from byte 0.
  std::string sql;
  int n = 0;
  while (sql.size() < (4u << 20)) {
    sql += "insert into big values (" + std::to_string(n) + ", 'payload-" + std::to_string(n) +
           "-xxxxxxxxxxxxxxxxxxxx');\n";
    ++n;
  }
  sql += "select 'last';\n";
  auto t0 = std::chrono::steady_clock::now();
  SplitFile f = split_statements(sql);
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_TRUE(f.parsed);
  ASSERT_EQ(f.statements.size(), static_cast<size_t>(n) + 1);
  EXPECT_EQ(f.statements.back().line, n + 1);
  EXPECT_EQ(f.statements[static_cast<size_t>(n / 2)].line, n / 2 + 1);
  EXPECT_LT(s, 30.0);
}

// ---- Directives ----

namespace {
strata::Migration with_text(const std::string& text) {
  strata::Migration m;
  m.display_path = "migrations/001_fn.sql";
  strata::apply_directives(m, text);
  return m;
}
}  // namespace

TEST(Directives, AreWholeWordsInACommentOfTheirOwn) {
  EXPECT_EQ(with_text("-- strata:env dev\ncreate table t (id int);\n").env, "dev");
  EXPECT_TRUE(with_text("  -- strata:no-transaction\ncreate index concurrently i on t (a);\n")
                  .no_transaction);
  // Inside a string literal: ordinary text.
  auto in_string = with_text("insert into msg values ('\n-- strata:env dev\n');\n");
  EXPECT_EQ(in_string.env, "");
  // Inside a function body: no down section.
  auto in_body = with_text(
      "create function f() returns int language sql as $$\n-- strata:down\nselect 1\n$$;\n"
      "select f();\n");
  EXPECT_FALSE(in_body.down.has_value());
  EXPECT_NE(in_body.text.find("select f()"), std::string::npos);
  // A real down section.
  auto down = with_text("create table t (id int);\n-- strata:down\ndrop table t;\n");
  ASSERT_TRUE(down.down.has_value());
  EXPECT_EQ(down.down->text, "drop table t;\n");
  EXPECT_EQ(down.down->first_line, 3);
  EXPECT_EQ(down.text.find("drop"), std::string::npos);
}

TEST(Directives, UnknownWordIsAnErrorNamingFileAndLine) {
  try {
    with_text("select 1;\n-- strata:environments differ: see README\ncreate table t (id int);\n");
    FAIL() << "no error";
  } catch (const strata::Error& e) {
    EXPECT_EQ(e.code(), strata::ExitCode::config);
    EXPECT_NE(std::string(e.what()).find("migrations/001_fn.sql:2:1"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("strata:environments"), std::string::npos);
  }
  EXPECT_THROW(with_text("-- strata:env\nselect 1;\n"), strata::Error);
  EXPECT_THROW(with_text("-- strata:no-transaction please\nselect 1;\n"), strata::Error);
  // `strata:` followed by a blank is an ordinary comment.
  EXPECT_NO_THROW(with_text("-- strata: this file adds t\nselect 1;\n"));
}

TEST(Directives, BomIsStrippedAndLatin1Refused) {
  EXPECT_EQ(with_text("\xEF\xBB\xBFselect 1;\n").text, "select 1;\n");
  EXPECT_THROW(with_text("select '\xE9';\n"), strata::Error);
}
