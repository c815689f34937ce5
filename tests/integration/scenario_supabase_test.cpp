// Acceptance scenarios from tests/scenarios (cabina, bloom, unprefixed-files) run through the
// strata binary on a plain PostgreSQL 15 with strata's Supabase compat layer. Skipped, saying so,
// where ../shared is absent (a user's fresh clone).
#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "fixture.hpp"

using namespace strata::testing;
namespace fs = std::filesystem;

namespace {

class Scenario : public DbTest {
 protected:
  std::vector<std::string> states(const std::string& state) {
    auto r = strata({"status", "--json"});
    std::vector<std::string> out;
    nlohmann::json j = nlohmann::json::parse(r.output);  // keep it alive for the loop
    for (const auto& m : j["sources"][0]["migrations"])
      if (m["state"] == state) out.push_back(m["version"]);
    return out;
  }
};

TEST_F(Scenario, CabinaResetAppliesAllEightThenSeedAndRlsHolds) {
  use_scenario("cabina");
  auto reset = strata({"db", "reset", "--force"});
  ASSERT_EQ(reset.exit_code, 0) << reset.output;
  EXPECT_EQ(query_value("select count(*) from strata.migrations"), "8");
  EXPECT_EQ(query_value("select count(*) from supabase_migrations.seed_files"), "1");
  expect_check("check.sql", "scenario cabina: ok");
  auto rls = psql_file(project / "tests/rls_cross_user.sql");
  EXPECT_EQ(rls.exit_code, 0) << rls.output;
  // A second run is a no-op (re-executing 20260318 would fail with "already exists").
  std::string before = snapshot();
  auto again = strata({"up"});
  EXPECT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("nothing to apply"), std::string::npos);
  EXPECT_EQ(snapshot(), before);
  // RLS through `db query --as`: user B sees none of user A's favorites; service_role sees the key
  // pool.
  const std::string a = "11111111-1111-1111-1111-111111111111",
                    b = "22222222-2222-2222-2222-222222222222";
  auto cross = strata({"db", "query", "--as", b,
                       fmt::format("select count(*) from favorites where user_id = '{}'", a)});
  ASSERT_EQ(cross.exit_code, 0) << cross.output;
  EXPECT_NE(cross.output.find("\n0\n"), std::string::npos) << cross.output;
  auto own = strata({"db", "query", "--as", b, "select count(*) from favorites"});
  EXPECT_NE(own.output.find("\n1\n"), std::string::npos) << own.output;
  auto steal =
      strata({"db", "query", "--as", b,
              fmt::format(
                  "insert into favorites (user_id, generation_id) select '{}', id from generations "
                  "limit 1",
                  a)});
  EXPECT_EQ(steal.exit_code, 5);
  EXPECT_NE(steal.output.find("row-level security"), std::string::npos) << steal.output;
  connect().exec("insert into api_key_pool (api_key, account_name) values ('k1', 'pool')");
  auto as_user = strata({"db", "query", "--as", b, "select count(*) from api_key_pool"});
  EXPECT_NE(as_user.output.find("\n0\n"), std::string::npos) << as_user.output;
  auto as_service =
      strata({"db", "query", "--role", "service_role", "select count(*) from api_key_pool"});
  EXPECT_NE(as_service.output.find("\n1\n"), std::string::npos) << as_service.output;
}

TEST_F(Scenario, CabinaIncrementalUpAndBackfillActsOnExistingRows) {
  use_scenario("cabina");
  ASSERT_EQ(strata({"up", "--to", "20260315"}).exit_code, 0);
  EXPECT_EQ(states("pending"),
            (std::vector<std::string>{"20260318", "20260319", "20260320", "20260321", "20260322"}));
  ASSERT_EQ(strata({"up", "--to", "20260320"}).exit_code, 0);
  auto pre = psql_file(project / "tests/pre_backfill_rows.sql");
  ASSERT_EQ(pre.exit_code, 0) << pre.output;
  auto up = strata({"db", "push"});
  ASSERT_EQ(up.exit_code, 0) << up.output;
  EXPECT_NE(up.output.find("Applied 2 migration"), std::string::npos) << up.output;
  auto backfill = psql_file(project / "tests/backfill_result.sql");
  EXPECT_EQ(backfill.exit_code, 0) << backfill.output;
  expect_check("check.sql", "scenario cabina: ok");
  // Push-style runs never load the seed.
  EXPECT_EQ(query_value("select to_regclass('supabase_migrations.seed_files') is null"), "t");
  // 20260322 carries its own BEGIN/COMMIT: recorded once, and safe to run again by hand.
  EXPECT_EQ(query_value("select count(*) from strata.migrations where version = '20260322'"), "1");
  auto by_hand = psql_file(project / "supabase/migrations/20260322_create_favorites.sql");
  EXPECT_EQ(by_hand.exit_code, 0) << by_hand.output;
  expect_check("check.sql", "scenario cabina: ok");
}

TEST_F(Scenario, BloomExistingDataRollbackAndReapply) {
  use_scenario("bloom");
  ASSERT_EQ(strata({"up", "--to", "20250107120400"}).exit_code, 0);
  auto seed = psql_file(project / "scripts/seed_test_data.sql");
  ASSERT_EQ(seed.exit_code, 0) << seed.output;
  EXPECT_EQ(states("pending").size(), 9u);
  auto up = strata({"up"});
  ASSERT_EQ(up.exit_code, 0) << up.output;
  expect_check("check.sql", "scenario bloom: ok");
  auto data = psql_file(project / "tests/existing_data.sql");
  EXPECT_EQ(data.exit_code, 0) << data.output;
  auto rls = psql_file(project / "tests/rls_cross_user.sql");
  EXPECT_EQ(rls.exit_code, 0) << rls.output;
  // Roll back the last migration with supabase/rollbacks/<version>_<name>.down.sql.
  auto down = strata({"down"});
  ASSERT_EQ(down.exit_code, 0) << down.output;
  EXPECT_EQ(
      query_value(
          "select count(*) from information_schema.columns where table_name = 'experiments' and "
          "column_name = 'status'"),
      "0");
  EXPECT_EQ(states("pending"), (std::vector<std::string>{"20250108100800"}));
  ASSERT_EQ(strata({"up"}).exit_code, 0);
  expect_check("check.sql", "scenario bloom: ok");
  // Drift (expectation 10): the document's debugging step is reported by `db diff`.
  EXPECT_EQ(strata({"db", "diff"}).exit_code, 0);
  connect().exec("ALTER TABLE public.experiments DISABLE ROW LEVEL SECURITY");
  auto drift = strata({"db", "diff"});
  EXPECT_EQ(drift.exit_code, 4) << drift.output;
  EXPECT_NE(drift.output.find("~ table public.experiments: row level security: yes -> no"),
            std::string::npos)
      << drift.output;
  // A placeholder claim that is not a UUID is refused before it reaches auth.uid().
  auto bad = strata({"db", "query", "--as", "test-user-uuid", "select 1"});
  EXPECT_EQ(bad.exit_code, 2);
}

TEST_F(Scenario, UnprefixedFilesApplyInConfiguredOrderWithRollbackFile) {
  use_scenario("unprefixed-files");
  // Without an order the unversioned files are refused by name, not skipped.
  auto refused = strata({"up"});
  EXPECT_EQ(refused.exit_code, 8) << refused.output;
  EXPECT_NE(refused.output.find("projects.sql"), std::string::npos);
  EXPECT_EQ(query_value("select to_regclass('public.profiles') is null"), "t");
  // strata.toml with the documented order (apply-order.txt).
  std::ifstream in(scenario / "apply-order.txt");
  std::string line, order;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::string file = line.substr(0, line.find_first_of(" \t"));
    order += fmt::format("{}\"{}\"", order.empty() ? "" : ", ", fs::path(file).filename().string());
  }
  write("strata.toml", fmt::format("[migrations]\ndir = \"migrations\"\norder = [{}]\n", order));
  auto up = strata({"up"});
  ASSERT_EQ(up.exit_code, 0) << up.output;
  EXPECT_EQ(query_value("select count(*) from strata.migrations"), "11");
  expect_check("check.sql", "scenario unprefixed-files: ok");
  EXPECT_NE(strata({"up"}).output.find("nothing to apply"), std::string::npos);
  // Roll back 20240115_add_feature with its _rollback file, then re-apply.
  auto down = strata({"down"});
  ASSERT_EQ(down.exit_code, 0) << down.output;
  EXPECT_EQ(query_value("select to_regclass('public.new_feature') is null"), "t");
  EXPECT_EQ(states("pending"), (std::vector<std::string>{"20240115_add_feature"}));
  ASSERT_EQ(strata({"up"}).exit_code, 0);
  expect_check("check.sql", "scenario unprefixed-files: ok");
}

TEST_F(Scenario, UnprefixedFilesAppliedByHandAreAdoptedWithABaseline) {
  use_scenario("unprefixed-files");
  std::ifstream in(scenario / "apply-order.txt");
  std::string line, order;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::string file = line.substr(0, line.find_first_of(" \t"));
    auto r = psql_file(project / file);  // the SQL editor / \i workflow
    ASSERT_EQ(r.exit_code, 0) << file << r.output;
    order += fmt::format("{}\"{}\"", order.empty() ? "" : ", ", fs::path(file).filename().string());
  }
  write("strata.toml", fmt::format("[migrations]\ndir = \"migrations\"\norder = [{}]\n", order));
  auto b = strata({"baseline", "20240115_add_feature"});
  ASSERT_EQ(b.exit_code, 0) << b.output;
  EXPECT_EQ(states("pending").size(), 0u);
  std::string before = snapshot();
  auto up = strata({"up"});
  EXPECT_EQ(up.exit_code, 0) << up.output;
  EXPECT_NE(up.output.find("nothing to apply"), std::string::npos);
  EXPECT_EQ(snapshot(), before);
}

TEST_F(Scenario, MissingExtensionNamesTheExtensionFileAndPackage) {
  write("supabase/migrations/001_cron.sql",
        "-- needs pg_cron\ncreate extension if not exists pg_cron;\n");
  auto r = strata({"up"});
  EXPECT_EQ(r.exit_code, 5) << r.output;
  EXPECT_NE(r.output.find("001_cron.sql:2:1"), std::string::npos) << r.output;
  // With postgresql-15-cron installed (scripts/deps.sh), the test cluster lacks only the preload.
  EXPECT_TRUE(r.output.find("extension \"pg_cron\" is not installed") != std::string::npos ||
              r.output.find("not preloaded") != std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("postgresql-15-cron"), std::string::npos) << r.output;
  write("supabase/migrations/001_cron.sql", "create extension if not exists pg_net;\n");
  auto net = strata({"up"});
  EXPECT_NE(net.output.find("not packaged for Debian"), std::string::npos) << net.output;
}

}  // namespace
