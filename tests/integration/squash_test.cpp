// Integration tests: `strata migration squash` replaces migrations with one file that builds the
// same schema and the same rows (example project, scenarios, a generated history of 200 files with
// data statements); a database that applied the old files counts it as applied and its next `up`
// rewrites the history; a fresh database gets the same schema and rows; a data statement that
// the squashed schema cannot run is refused with its file:line and nothing on disk changes.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "fixture.hpp"

namespace fs = std::filesystem;
using namespace strata::testing;

namespace {

// Every user table's row count and content hash, and every sequence's value, as one string.
const char* kRowsSql = R"(
  SELECT coalesce(string_agg(line, E'\n' ORDER BY line), '') FROM (
    SELECT format('%s %s', c.oid::regclass,
             (xpath('/row/f/text()', query_to_xml(format(
               'SELECT count(*) || '' '' || md5(coalesce(string_agg(x::text, '','' ORDER BY x::text), '''')) AS f FROM ONLY %s x',
               c.oid::regclass), false, true, '')))[1]::text) AS line
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'strata',
           'supabase_migrations', 'auth', 'storage', 'extensions', 'strata_compat', 'realtime',
           'vault', 'net', 'cron', 'graphql', 'graphql_public', 'pgsodium', 'pgmq', 'pgtle',
           'supabase_functions')
       AND n.nspname NOT LIKE 'pg_%'
    UNION ALL
    SELECT format('seq %s %s %s', schemaname || '.' || sequencename, last_value, 'x')
      FROM pg_sequences WHERE schemaname NOT IN ('strata', 'auth', 'storage', 'strata_compat')
  ) s)";

class Squash : public DbTest {
 protected:
  std::string fresh_database(bool compat) { return extra_database("fresh", compat); }
  std::string rows(const std::string& db) const {
    auto c = strata::db::Connection::open(db);
    return c.exec(kRowsSql).get(0, 0);
  }

  // The whole contract on the project now in `project`, migrations in `dir`: apply the originals
  // here, squash up to `version` (all when empty), then: this database sees the file as applied
  // and its next `up` only records that; a fresh database gets the same schema and rows.
  void squash_and_check(const std::string& dir, bool compat, const std::string& version = "") {
    auto up = strata({"up"});
    ASSERT_EQ(up.exit_code, 0) << up.output;
    std::string rows_before = rows(url);
    auto before = files_in(project / dir);
    std::vector<std::string> args = {"migration", "squash"};
    if (!version.empty()) args.insert(args.end(), {"--version", version});
    auto sq = strata(args);
    ASSERT_EQ(sq.exit_code, 0) << sq.output;
    auto after = files_in(project / dir);
    EXPECT_LT(after.size(), before.size());
    // Databases that applied the old files: clean status, `up` runs no migration.
    auto st = strata({"status"});
    EXPECT_EQ(st.exit_code, 0) << st.output;
    auto up2 = strata({"up"});
    ASSERT_EQ(up2.exit_code, 0) << up2.output;
    EXPECT_NE(up2.output.find("Recorded"), std::string::npos) << up2.output;
    EXPECT_EQ(up2.output.find("Applied"), std::string::npos) << up2.output;
    EXPECT_EQ(rows(url), rows_before);
    auto st2 = strata({"status"});
    EXPECT_EQ(st2.exit_code, 0) << st2.output;
    // Fresh database: the squashed file (and any later ones) build the same schema and rows.
    std::string other = fresh_database(compat);
    auto up3 = strata_on(other, {"up"});
    ASSERT_EQ(up3.exit_code, 0) << up3.output;
    auto diff = strata({"db", "diff", "--from", other, "--to", url});
    EXPECT_EQ(diff.exit_code, 0) << diff.output;
    EXPECT_EQ(rows(other), rows_before);
    auto st3 = strata_on(other, {"status"});
    EXPECT_EQ(st3.exit_code, 0) << st3.output;
  }
};

// Example projects: the README's example and the Supabase scenarios.
struct ProjectCase {
  std::string name;
  fs::path from;    // copied into the project
  std::string dir;  // migrations folder inside it
};
// gtest prints the case by name (the ctest entry's comment), not as bytes.
[[maybe_unused]] void PrintTo(const ProjectCase& c, std::ostream* os) {
  *os << c.name;
}

class SquashProjects : public Squash, public ::testing::WithParamInterface<ProjectCase> {};

TEST_P(SquashProjects, BuildsTheSameSchemaAndRows) {
  copy_tree(GetParam().from);
  auto r = strata({"compat", "install"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  squash_and_check(GetParam().dir, true);
}

INSTANTIATE_TEST_SUITE_P(
    Examples, SquashProjects,
    ::testing::Values(ProjectCase{"supabase_notes",
                                  fs::path(STRATA_SOURCE_DIR) / "examples" / "supabase-notes",
                                  "supabase/migrations"},
                      ProjectCase{"cabina", scenarios_dir() / "cabina", "supabase/migrations"},
                      ProjectCase{"bloom", scenarios_dir() / "bloom", "supabase/migrations"}),
    [](const ::testing::TestParamInfo<ProjectCase>& p) { return p.param.name; });

// 200 generated migrations: tables created, altered, filled by INSERT, UPDATE, DELETE, COPY and
// setval, with DDL churn (tables created and dropped again) in between.
TEST_F(Squash, GeneratedHistoryOf200Migrations) {
  write("strata.toml", "[migrations]\ndir = \"migrations\"\n");
  for (int k = 0; k < 50; ++k) {
    int v = k * 4;
    write(fmt::format("migrations/{:03}_create_t{}.sql", v + 1, k),
          fmt::format("create table t{0} (id serial primary key, name text not null);\n"
                      "insert into t{0} (name) values ('a{0}'), ('b{0}');\n",
                      k));
    write(fmt::format("migrations/{:03}_score_t{}.sql", v + 2, k),
          fmt::format("alter table t{0} add column score int not null default 0;\n"
                      "update t{0} set score = id * 10;\n"
                      "create table scratch{0} (x int);\n",
                      k));
    write(fmt::format("migrations/{:03}_copy_t{}.sql", v + 3, k),
          fmt::format("copy t{0} (name, score) from stdin;\nc{0}\t3\nd{0}\t4\n\\.\n"
                      "delete from t{0} where name = 'a{0}';\n"
                      "drop table scratch{0};\n",
                      k));
    write(fmt::format("migrations/{:03}_index_t{}.sql", v + 4, k),
          fmt::format("create index t{0}_score on t{0} (score);\n"
                      "alter table t{0} add column note text;\n"
                      "select setval('t{0}_id_seq', 100 + {0});\n",
                      k));
  }
  squash_and_check("migrations", false);
  auto files = files_in(project / "migrations");
  ASSERT_EQ(files.size(), 1u);
  const std::string& text = files.begin()->second;
  EXPECT_EQ(files.begin()->first, "200_index_t49.sql");
  EXPECT_NE(text.find("-- strata:squash-of 001 sha256:"), std::string::npos);
  EXPECT_NE(text.find("copy t7 (name, score) from stdin;\nc7\t3\nd7\t4\n\\."), std::string::npos);
  EXPECT_EQ(query_value("select count(*) from strata.migrations"), "1");
  EXPECT_EQ(query_value("select count(*) from strata.events where detail like 'squash:%'"), "200");
}

// --version in the middle keeps the later files as they are.
TEST_F(Squash, VersionInTheMiddleKeepsLaterFiles) {
  write("strata.toml", "[migrations]\ndir = \"migrations\"\n");
  write("migrations/001_a.sql", "create table a (id int primary key, v text);\n");
  write("migrations/002_b.sql",
        "insert into a values (1, 'one');\nalter table a add column w int;\n");
  write("migrations/003_c.sql", "update a set w = 7;\n");
  write("migrations/004_d.sql", "create table d (id int);\n");
  auto before = files_in(project / "migrations");
  squash_and_check("migrations", false, "002");
  auto after = files_in(project / "migrations");
  ASSERT_EQ(after.size(), 3u);
  EXPECT_EQ(after.count("001_a.sql"), 0u);
  EXPECT_NE(after["002_b.sql"].find("-- strata:squash-of 001 "), std::string::npos);
  EXPECT_EQ(after["003_c.sql"], before["003_c.sql"]);
  EXPECT_EQ(after["004_d.sql"], before["004_d.sql"]);
}

// A data statement that a later DROP COLUMN invalidates: refused, naming it; files untouched.
TEST_F(Squash, RefusesADataStatementTheSquashedSchemaCannotRun) {
  write("strata.toml", "[migrations]\ndir = \"migrations\"\n");
  write("migrations/001_t.sql", "create table t (id int primary key, legacy text);\n");
  write("migrations/002_fill.sql",
        "-- sample rows\ninsert into t (id) values (1);\nupdate t set legacy = 'x';\n");
  write("migrations/003_drop.sql", "alter table t drop column legacy;\n");
  auto before = files_in(project / "migrations");
  auto r = strata({"migration", "squash"});
  EXPECT_EQ(r.exit_code, 5) << r.output;
  EXPECT_NE(r.output.find("migrations/002_fill.sql:3"), std::string::npos) << r.output;
  EXPECT_EQ(files_in(project / "migrations"), before);
  // --dry-run of a squash that works prints it and changes nothing either.
  auto dry = strata({"squash", "--version", "002", "--dry-run"});
  EXPECT_EQ(dry.exit_code, 0) << dry.output;
  EXPECT_NE(dry.output.find("-- strata:squash-of 002 sha256:"), std::string::npos) << dry.output;
  EXPECT_NE(dry.output.find("update t set legacy = 'x';"), std::string::npos) << dry.output;
  EXPECT_EQ(files_in(project / "migrations"), before);
}

// A database that applied only some of the squashed files is never told it applied the rest.
TEST_F(Squash, PartlyAppliedDatabaseIsRefusedNotMarked) {
  write("strata.toml", "[migrations]\ndir = \"migrations\"\n");
  write("migrations/001_a.sql", "create table a (id int primary key);\n");
  write("migrations/002_b.sql", "create table b (id int primary key);\n");
  write("migrations/003_c.sql", "create table c (id int primary key);\n");
  ASSERT_EQ(strata({"up", "--to", "001"}).exit_code, 0);
  ASSERT_EQ(strata({"squash", "--version", "002"}).exit_code, 0);
  auto st = strata({"status"});
  EXPECT_EQ(st.exit_code, 4) << st.output;  // 001's row has no file, 002 is not applied
  auto up = strata({"up"});
  EXPECT_EQ(up.exit_code, 4) << up.output;
  EXPECT_EQ(query_value("select to_regclass('public.b') is null"), "t");
  EXPECT_EQ(query_value("select string_agg(version, ',') from strata.migrations"), "001");
}

}  // namespace
