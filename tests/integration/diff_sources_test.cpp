// Integration tests: `db diff --from/--to` with each kind of source (database URL, migrations,
// a .sql file, a folder of schema files), `--format json`, and `-f NAME` checked like `new`.
#include <nlohmann/json.hpp>

#include <filesystem>

#include "fixture.hpp"

namespace fs = std::filesystem;
using namespace strata::testing;

namespace {

class DiffSources : public DbTest {};

TEST_F(DiffSources, FileAgainstDatabaseListsDestructiveDrops) {
  write(
      "schema.sql",
      "create table keep (id int primary key);\ncreate table old (id int primary key, v text);\n");
  connect().exec("create table keep (id int primary key)");
  auto r = strata({"db", "diff", "--from", (project / "schema.sql").string(), "--to", url});
  EXPECT_EQ(r.exit_code, 4) << r.output;
  EXPECT_NE(r.output.find("- table public.old [destructive]"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("-- DESTRUCTIVE: drops table public.old and its data\nDROP TABLE "
                          "public.old;"),
            std::string::npos)
      << r.output;
  EXPECT_EQ(r.output.find("public.keep"), std::string::npos) << r.output;
}

TEST_F(DiffSources, MigrationsToFolderAsJson) {
  write("supabase/migrations/001_a.sql", "create table a (id int primary key);\n");
  write("schema/01_a.sql", "create table a (id int primary key, note text);\n");
  write("schema/02_b.sql", "create view b as select id from a;\n");
  auto r = strata({"db", "diff", "--from", "migrations", "--to", (project / "schema").string(),
                   "--format", "json"});
  EXPECT_EQ(r.exit_code, 4) << r.output;
  auto j = nlohmann::json::parse(r.output);
  ASSERT_EQ(j["changes"].size(), 2u) << r.output;
  EXPECT_EQ(j["changes"][0]["action"], "create");
  EXPECT_EQ(j["changes"][0]["name"], "public.a.note");
  EXPECT_EQ(j["changes"][1]["kind"], "view");
  std::string sql = j["sql"];
  EXPECT_LT(sql.find("ADD COLUMN note text"), sql.find("CREATE VIEW public.b")) << sql;
  EXPECT_EQ(j["destructive"].size(), 0u);
  // No shadow database is left behind.
  EXPECT_EQ(query_value("select count(*) from pg_database where datname like 'strata_shadow_%'"),
            "0");
}

TEST_F(DiffSources, SameDatabaseHasNoDifferences) {
  connect().exec("create table t (id int primary key); create view v as select id from t");
  auto r = strata({"db", "diff", "--from", url, "--to", url});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("No differences"), std::string::npos) << r.output;
  auto j = strata({"db", "diff", "--from", url, "--to", url, "--format", "json"});
  EXPECT_EQ(j.exit_code, 0) << j.output;
  EXPECT_EQ(nlohmann::json::parse(j.output)["changes"].size(), 0u);
}

TEST_F(DiffSources, MissingSourceIsAUsageError) {
  auto r = strata({"db", "diff", "--from", "nowhere.sql", "--to", url});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("neither a database URL"), std::string::npos) << r.output;
}

TEST_F(DiffSources, FileNameIsValidatedAndTheWriteChecked) {
  write("supabase/migrations/001_a.sql", "create table a (id int);\n");
  ASSERT_EQ(strata({"up"}).exit_code, 0);
  connect().exec("create table handmade (id int)");
  for (const char* bad : {"bad/name", "../evil", "Spaces And CAPS"}) {
    auto r = strata({"db", "diff", "-f", bad});
    EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.output;
    EXPECT_NE(r.output.find("invalid migration name"), std::string::npos) << r.output;
  }
  size_t files = 0;
  for (const auto& e : fs::recursive_directory_iterator(project / "supabase"))
    files += e.is_regular_file();
  EXPECT_EQ(files, 1u);  // nothing written
  auto ok = strata({"db", "diff", "-f", "handmade"});
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_TRUE(fs::exists(project / "supabase/migrations/002_handmade.sql")) << ok.output;
}

}  // namespace
