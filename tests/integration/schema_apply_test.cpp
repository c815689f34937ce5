// Integration tests: declarative schema (`[schema] paths`): plan prints the migration with lint
// findings, plan -f writes it, apply twice is a no-op, drops are refused without the flag.
#include <filesystem>

#include "fixture.hpp"

namespace fs = std::filesystem;
using namespace strata::testing;

namespace {

class SchemaApply : public DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    write("strata.toml",
          "[migrations]\ndir = \"migrations\"\n[schema]\npaths = [\"schema/*.sql\"]\n");
    write("migrations/001_init.sql", "create table a (id int primary key);\n");
    write("schema/01_a.sql",
          "create table a (id int primary key, note text not null default '');\n");
    write("schema/02_b.sql",
          "create table b (id int primary key, a_id int references a (id));\n"
          "create index b_a_id_idx on b (a_id);\n");
    auto u = strata({"up"});
    ASSERT_EQ(u.exit_code, 0) << u.output;
  }
  int migration_count() const {
    int n = 0;
    for (const auto& e : fs::directory_iterator(project / "migrations")) n += e.is_regular_file();
    return n;
  }
};

TEST_F(SchemaApply, PlanPrintsMigrationWithLintFindings) {
  std::string before = snapshot();
  auto r = strata({"schema", "plan"});
  // The plan is linted: table b in public without RLS is an error finding, so exit 1.
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("error [rls-not-enabled] table `public.b`"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("+ table public.b"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("ADD COLUMN note text DEFAULT ''::text NOT NULL"), std::string::npos)
      << r.output;
  EXPECT_LT(r.output.find("CREATE TABLE public.b"), r.output.find("CREATE INDEX b_a_id_idx"))
      << r.output;
  // The index on an existing-table-sized plan is linted (non-concurrent index creation, ...):
  // whatever the rules say, the plan is linted and reported.
  EXPECT_TRUE(r.output.find("Lint findings on this plan") != std::string::npos ||
              r.output.find("Lint: no findings.") != std::string::npos)
      << r.output;
  EXPECT_EQ(snapshot(), before);  // plan changes nothing
  EXPECT_EQ(migration_count(), 1);
}

TEST_F(SchemaApply, PlanDashFWritesNextMigration) {
  auto r = strata({"schema", "plan", "-f", "declare_b"});
  EXPECT_EQ(r.exit_code, 1) << r.output;  // written; the lint error finding is reported
  EXPECT_TRUE(fs::exists(project / "migrations" / "002_declare_b.sql")) << r.output;
  auto u = strata({"up"});
  EXPECT_EQ(u.exit_code, 0) << u.output;
  auto again = strata({"schema", "plan"});
  EXPECT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("No changes"), std::string::npos) << again.output;
}

TEST_F(SchemaApply, ApplyTwiceIsNoOp) {
  auto r = strata({"schema", "apply"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("Applied 7 change(s) from the schema files"), std::string::npos)
      << r.output;
  EXPECT_EQ(query_value("select count(*) from information_schema.columns where table_name = 'a' "
                        "and column_name = 'note'"),
            "1");
  EXPECT_EQ(query_value("select to_regclass('public.b_a_id_idx') is not null"), "t");
  // Recorded in the history like any migration.
  EXPECT_EQ(query_value("select count(*) from strata.migrations where name = 'schema_apply'"), "1");
  std::string after = snapshot();
  int files = migration_count();
  auto again = strata({"schema", "apply"});
  EXPECT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("No changes"), std::string::npos) << again.output;
  EXPECT_EQ(snapshot(), after);
  EXPECT_EQ(migration_count(), files);
}

TEST_F(SchemaApply, DestructiveRefusedWithoutFlag) {
  ASSERT_EQ(strata({"schema", "apply"}).exit_code, 0);
  connect().exec("insert into a values (1, 'x')");
  // Remove table b and column note from the declared schema.
  fs::remove(project / "schema" / "02_b.sql");
  write("schema/01_a.sql", "create table a (id int primary key);\n");
  std::string before = snapshot();
  int files = migration_count();
  auto r = strata({"schema", "apply"});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("destructive step(s); nothing was applied"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("--allow-destructive"), std::string::npos) << r.output;
  EXPECT_EQ(snapshot(), before);
  EXPECT_EQ(migration_count(), files);
  auto ok = strata({"schema", "apply", "--allow-destructive"});
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_EQ(query_value("select to_regclass('public.b') is null"), "t");
  EXPECT_EQ(query_value("select count(*) from a"), "1");
}

TEST_F(SchemaApply, RefusesWhilePendingAndWithoutConfig) {
  write("migrations/002_c.sql", "create table c (id int);\n");
  auto r = strata({"schema", "apply"});
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find("pending: 002"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("then `strata schema apply`"), std::string::npos) << r.output;
  EXPECT_EQ(query_value("select to_regclass('public.b') is null"), "t");
  write("strata.toml", "[migrations]\ndir = \"migrations\"\n");
  auto n = strata({"schema", "plan"});
  EXPECT_EQ(n.exit_code, 8) << n.output;
  EXPECT_NE(n.output.find("[schema] paths"), std::string::npos) << n.output;
}

TEST_F(SchemaApply, BrokenSchemaFileNamesTheProjectFile) {
  write("schema/03_bad.sql", "create table c (id int references nope (id));\n");
  std::string before = snapshot();
  auto r = strata({"schema", "plan"});
  EXPECT_EQ(r.exit_code, 5) << r.output;
  EXPECT_NE(r.output.find("schema/03_bad.sql"), std::string::npos) << r.output;
  EXPECT_EQ(snapshot(), before);
}

}  // namespace
