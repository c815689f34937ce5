// Apply engine at scale and with includes: a big transactional file is checked in one pass and
// run streamed (split again, sent in bounded batches; the limits are lowered here so a small
// file takes that path) with every guarantee of an ordinary file: folded BEGIN/COMMIT, COPY
// FROM stdin data, file:line:col errors, nothing committed on failure. `\ir` includes: an error
// inside an included file names that file, and the included text is part of the checksum.
#include <fmt/format.h>

#include <sstream>

#include "config/project.hpp"
#include "engine_helpers.hpp"
#include "execute/executor.hpp"
#include "ops/up.hpp"

using namespace strata::testing;

namespace {

class EngineStream : public DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    saved_ = strata::stream_limits();
    strata::set_stream_limits({4096, 1024});  // files of 4 KiB stream, in ~1 KiB batches
  }
  void TearDown() override {
    strata::set_stream_limits(saved_);
    DbTest::TearDown();
  }
  // `strata up` in this process (so the lowered limits apply).
  strata::UpReport up() {
    strata::Project p = strata::load_project(project);
    std::ostringstream out;
    strata::UpRequest request;
    return strata::run_up(p, url, request, out);
  }
  // n numbered INSERT lines, from `first`.
  static std::string inserts(int first, int n) {
    std::string s;
    for (int i = first; i < first + n; ++i)
      s += fmt::format("insert into big values ({}, 'row-{:06}');\n", i, i);
    return s;
  }

 private:
  strata::StreamLimits saved_;
};

// A file bigger than the limit is prepared without holding its statements, and runs as written:
// a folded BEGIN ... COMMIT ends its SET LOCAL at the COMMIT, COPY FROM stdin loads its rows.
TEST_F(EngineStream, BigTransactionalFileRunsStreamedAsWritten) {
  std::string text = "create table big (id int primary key, note text);\n" + inserts(1, 200) +
                     "begin;\nset local statement_timeout = '1min';\n" + inserts(1001, 1) +
                     "commit;\n"
                     "copy big (id, note) from stdin;\n2001\tcopied\n2002\tcopied\n\\.\n"
                     "insert into big values (3001, current_setting('statement_timeout'));\n";
  ASSERT_GT(text.size(), 4096u);
  write("supabase/migrations/20240101000000_big.sql", text);

  strata::Migration m;
  m.text = text;
  m.display_path = "big.sql";
  strata::PreparedMigration p = strata::prepare_migration(m, m.text, m.display_path);
  EXPECT_TRUE(p.streamed);
  EXPECT_TRUE(p.statements.empty());
  EXPECT_EQ(p.size(), 205u);  // BEGIN and COMMIT are folded
  ASSERT_EQ(p.folds.size(), 1u);
  int seen = 0;
  strata::for_each_statement(p, [&](const strata::sql::Statement& st) {
    if (seen == 0) {
      EXPECT_EQ(st.kind, "CreateStmt");
    }
    if (st.copy_in) {
      EXPECT_EQ(st.copy_data, "2001\tcopied\n2002\tcopied\n");
    }
    ++seen;
  });
  EXPECT_EQ(seen, 205);

  auto report = up();
  ASSERT_EQ(report.applied.size(), 1u);
  EXPECT_EQ(query_value("select count(*) from big"), "204");
  EXPECT_EQ(query_value("select note from big where id = 2002"), "copied");
  EXPECT_EQ(query_value("select note from big where id = 3001"), "0");  // SET LOCAL ended
  EXPECT_EQ(query_value("select count(*) from strata.migrations where version = "
                        "'20240101000000'"),
            "1");
  EXPECT_EQ(up().applied.size(), 0u);  // applied once
}

// A failing statement deep in a streamed file: its own file:line:col, and nothing of the file
// (not even the batches the server already ran) is committed.
TEST_F(EngineStream, FailureInAStreamedFileNamesItsLineAndCommitsNothing) {
  std::string text = "create table big (id int primary key, note text);\n" + inserts(1, 150) +
                     "insert into no_such_table values (1);\n" + inserts(151, 50);
  write("supabase/migrations/20240101000000_big.sql", text);
  try {
    up();
    FAIL() << "the migration should fail";
  } catch (const strata::Error& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("20240101000000_big.sql:152:13:"), std::string::npos) << what;
    EXPECT_NE(what.find("no_such_table"), std::string::npos) << what;
    EXPECT_EQ(e.code(), strata::ExitCode::migration_failed) << what;
  }
  EXPECT_EQ(query_value("select to_regclass('public.big') is null"), "t");
  EXPECT_EQ(query_value("select count(*) from strata.migrations where success"), "0");
}

class EngineInclude : public DbTest {};

// An error inside a `\ir` file names the included file's line and column, not the including
// file's.
TEST_F(EngineInclude, ErrorInAnIncludedFileNamesThatFile) {
  write("supabase/migrations/20240101000000_init.sql",
        "create table a (id int);\n\\ir parts/more.sql\ncreate table c (id int);\n");
  write("supabase/migrations/parts/more.sql",
        "create table b (id int);\n\n  select * from missing_table;\n");
  auto r = strata({"up"});
  EXPECT_EQ(r.exit_code, 5) << r.output;
  EXPECT_NE(r.output.find("more.sql:3:17:"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("20240101000000_init.sql:3"), std::string::npos) << r.output;
  EXPECT_EQ(query_value("select to_regclass('public.a') is null"), "t");
}

// The checksum covers the included text: editing the included file makes the migration
// "modified", and `up` refuses to run on.
TEST_F(EngineInclude, ChangedIncludedFileMakesTheMigrationModified) {
  write("supabase/migrations/20240101000000_init.sql",
        "create table a (id int);\n\\ir parts/more.sql\n");
  write("supabase/migrations/parts/more.sql", "create table b (id int);\n");
  auto r = strata({"up"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(query_value("select to_regclass('public.b') is not null"), "t");
  r = strata({"status"});
  EXPECT_EQ(r.output.find("modified"), std::string::npos) << r.output;
  write("supabase/migrations/parts/more.sql", "create table b (id int, extra text);\n");
  r = strata({"status"});
  EXPECT_NE(r.output.find("modified"), std::string::npos) << r.output;
  write("supabase/migrations/20240102000000_next.sql", "create table n (id int);\n");
  r = strata({"up"});
  EXPECT_NE(r.exit_code, 0) << r.output;
  EXPECT_EQ(query_value("select to_regclass('public.n') is null"), "t");
}

}  // namespace
