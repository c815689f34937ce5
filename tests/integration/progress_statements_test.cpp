// Integration tests for `strata up --progress` on a pipe with a non-transactional migration
// (issue 13 point 4): one plain line per statement as it starts ("  statement 2/3 (line 5):
// <its first line>"), none for a transactional file, none without --progress; on a terminal the
// pending "Applying" line names the statement now running. The lines are asserted exactly;
// nothing depends on timing (the elapsed seconds are drawn only after 1 s).
#include <string>
#include <vector>

#include "fixture.hpp"

using namespace strata::testing;
using strata::run_process;

namespace {

class ProgressStatements : public DbTest {
 protected:
  // stdout only (stderr dropped), as a pipe.
  std::string up_stdout(std::vector<std::string> extra) const {
    std::vector<std::string> argv = {"/bin/sh", "-c",       "exec \"$@\" 2>/dev/null",
                                     "sh",      STRATA_BIN, "up"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.insert(argv.end(), {"--db-url", url, "--workdir", project.string()});
    auto r = run_process(argv);
    EXPECT_EQ(r.exit_code, 0) << r.output;
    return r.output;
  }
  void files() const {
    write("supabase/migrations/001_a.sql",
          "create table a (id int primary key, name text);\ninsert into a values (1, 'x');\n");
    write("supabase/migrations/002_idx.sql",
          "-- strata:no-transaction\n"
          "-- indexes without blocking writes\n"
          "create index concurrently a_name_idx on a (name);\n"
          "\n"
          "create index concurrently a_id_name_idx\n"
          "  on a (id, name);\n"
          "/* a long one */ create index concurrently "
          "a_name_with_a_rather_long_index_name_idx on a (name, id);\n");
  }
};

TEST_F(ProgressStatements, OnAPipeWithProgressEachStatementOfANonTransactionalFileGetsALine) {
  files();
  std::string out = up_stdout({"--progress"});
  // The transactional file: its start line and result, no statement lines.
  EXPECT_NE(out.find("Applying supabase/migrations/001_a.sql ...\nApplied "
                     "supabase/migrations/001_a.sql (2 statements, "),
            std::string::npos)
      << out;
  // The non-transactional one: a line per statement, in order, between start and result.
  EXPECT_NE(out.find("Applying supabase/migrations/002_idx.sql ...\n"
                     "  statement 1/3 (line 3): create index concurrently a_name_idx on a (name)\n"
                     "  statement 2/3 (line 5): create index concurrently a_id_name_idx\n"
                     "  statement 3/3 (line 7): create index concurrently "
                     "a_name_with_a_rather_long_index...\n"
                     "Applied supabase/migrations/002_idx.sql (3 statements, "),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find('\x1b'), std::string::npos) << out;
  EXPECT_EQ(query_value("select count(*) from pg_indexes where tablename = 'a'"), "4");
}

TEST_F(ProgressStatements, OnAPipeWithoutProgressThereAreNoStatementLines) {
  files();
  std::string out = up_stdout({});
  EXPECT_EQ(out.find("statement 1/3"), std::string::npos) << out;
  EXPECT_EQ(out.find("Applying"), std::string::npos) << out;
  EXPECT_NE(out.find("Applied supabase/migrations/002_idx.sql (3 statements, "), std::string::npos)
      << out;
}

TEST_F(ProgressStatements, OnATerminalTheStatementReplacesThePendingLine) {
  files();
  // A pseudo-terminal (util-linux `script`): the pending line names the file and the statement
  // now running, and is erased ("\r\x1b[K") before the next one; no colour under NO_COLOR.
  std::string cmd = "TERM=xterm NO_COLOR=1 exec '" + std::string(STRATA_BIN) + "' up --db-url '" +
                    url + "' --workdir '" + project.string() + "'";
  auto r = run_process({"/bin/sh", "-c", "script -qefc \"" + cmd + "\" /dev/null 2>&1"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("Applying supabase/migrations/002_idx.sql ... statement 2/3 (line 5): "
                          "create index concurrently a_id_name_idx"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("\r\x1b[KApplying supabase/migrations/002_idx.sql ... statement 3/3"),
            std::string::npos)
      << r.output;
  EXPECT_EQ(r.output.find("\x1b[2m"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("  statement 1/3"), std::string::npos) << r.output;
}

}  // namespace

namespace {

// `strata down --progress` on a pipe: each migration's start line says "Rolling back", and a
// non-transactional down script gets a line per statement.
class DownProgress : public DbTest {};

TEST_F(DownProgress, NamesEachDownStatementOnAPipe) {
  write("migrations/001_a.sql",
        "create table a (id int, name text);\n-- strata:down\ndrop table a;\n");
  write("migrations/002_idx.sql",
        "-- strata:no-transaction\ncreate index concurrently a_name_idx on a (name);\n"
        "create index concurrently a_id_idx on a (id);\n"
        "-- strata:down\n"
        "drop index concurrently a_id_idx;\n"
        "drop index concurrently a_name_idx;\n");
  ASSERT_EQ(strata({"up"}).exit_code, 0);
  std::vector<std::string> argv = {"/bin/sh",
                                   "-c",
                                   "exec \"$@\" 2>/dev/null",
                                   "sh",
                                   STRATA_BIN,
                                   "down",
                                   "--steps",
                                   "2",
                                   "--progress",
                                   "--db-url",
                                   url,
                                   "--workdir",
                                   project.string()};
  auto r = run_process(argv);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("Rolling back migrations/002_idx.sql ...\n"
                          "  statement 1/2 (line 5): drop index concurrently a_id_idx\n"
                          "  statement 2/2 (line 6): drop index concurrently a_name_idx\n"
                          "Rolled back migrations/002_idx.sql ("),
            std::string::npos)
      << r.output;
  EXPECT_NE(
      r.output.find("Rolling back migrations/001_a.sql ...\nRolled back migrations/001_a.sql ("),
      std::string::npos)
      << r.output;
}

}  // namespace
