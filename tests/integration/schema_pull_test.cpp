// Integration tests: `strata db pull` captures hand-made changes as a migration marked applied,
// and writes the whole schema as the baseline on an empty migrations folder.
#include <filesystem>

#include "fixture.hpp"

namespace fs = std::filesystem;
using namespace strata::testing;

namespace {

class SchemaPull : public DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    write("strata.toml", "[migrations]\ndir = \"migrations\"\n");
  }
};

TEST_F(SchemaPull, CapturesHandMadeChangesAndMarksApplied) {
  write("migrations/001_init.sql", "create table a (id int primary key);\n");
  ASSERT_EQ(strata({"up"}).exit_code, 0);
  connect().exec("alter table a add column note text; create table b (id int primary key)");
  auto r = strata({"db", "pull", "hand_made"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("change(s) into migrations/002_hand_made.sql, marked applied"),
            std::string::npos)
      << r.output;
  EXPECT_EQ(query_value("select count(*) from strata.migrations where version = '002'"), "1");
  // Nothing pending, no drift left, and a second pull has nothing to do.
  auto d = strata({"db", "diff"});
  EXPECT_EQ(d.exit_code, 0) << d.output;
  auto again = strata({"db", "pull"});
  EXPECT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("Nothing to pull"), std::string::npos) << again.output;
}

// Pending migrations would be captured as drops: refused (exit 3) naming them, nothing written.
TEST_F(SchemaPull, RefusesWhileMigrationsArePending) {
  write("migrations/001_init.sql", "create table a (id int primary key);\n");
  ASSERT_EQ(strata({"up"}).exit_code, 0);
  write("migrations/002_b.sql", "create table b (id int);\n");
  connect().exec("create table c (id int)");
  auto r = strata({"db", "pull", "hand_made"});
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find("1 migration(s) are pending on this database"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("pending: 002"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("then `strata db pull`"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(project / "migrations/003_hand_made.sql"));
}

// A table dropped by hand would become a DROP in the pulled file: refused unless asked for.
TEST_F(SchemaPull, DropsNeedAllowDestructive) {
  write("migrations/001_init.sql",
        "create table a (id int primary key);\ncreate table b (id int);\n");
  ASSERT_EQ(strata({"up"}).exit_code, 0);
  connect().exec("drop table b");
  auto r = strata({"db", "pull", "hand_made"});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--allow-destructive"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(project / "migrations" / "002_hand_made.sql"));
  auto ok = strata({"db", "pull", "hand_made", "--allow-destructive"});
  ASSERT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_TRUE(fs::exists(project / "migrations" / "002_hand_made.sql"));
  EXPECT_EQ(strata({"status"}).exit_code, 0);
}

TEST_F(SchemaPull, EmptyFolderWritesBaseline) {
  fs::create_directories(project / "migrations");
  connect().exec(
      "create table a (id int primary key); create view v as select id from a; "
      "create function f() returns int language sql as 'select 1'");
  auto r = strata({"db", "pull"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("baseline"), std::string::npos) << r.output;
  // The baseline builds the same schema in a fresh database: db diff migrations vs db is clean.
  auto d = strata({"db", "diff"});
  EXPECT_EQ(d.exit_code, 0) << d.output;
  auto s = strata({"status"});
  EXPECT_EQ(s.exit_code, 0) << s.output;
}

}  // namespace
