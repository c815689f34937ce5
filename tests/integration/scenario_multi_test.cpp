// Acceptance scenarios for several sources and several apps (tests/scenarios three-tier and
// shared-db-apps), plus grants, PostgREST notification and fleets.
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "fixture.hpp"

using namespace strata::testing;
namespace fs = std::filesystem;

namespace {

class Multi : public DbTest {
 protected:
  CliResult at(const std::string& sub, std::vector<std::string> args) const {
    args.insert(args.end(), {"--db-url", url, "--workdir", (project / sub).string()});
    return strata(args, false);
  }
  void three_tier_config() {
    write("strata.toml", R"(# seed 003: core, then the active theme and its plugins, then entities
[migrations]
dir = "migrations"
dev_only = ["*_sample_data.sql"]

[contents]
dir = "contents"
active_theme = "${NEXT_PUBLIC_ACTIVE_THEME:-default}"
legacy_tracking = true

[contents.plugins]
default = ["ai", "billing"]
dark = []
)");
  }
  void copy_phase2() {
    for (const auto& e : fs::directory_iterator(project / "phase2/migrations"))
      fs::copy_file(e.path(), project / "migrations" / e.path().filename());
  }
};

TEST_F(Multi, ThreeTierRunsCoreThenContentThenEntitiesWithSeparateHistories) {
  use_scenario("three-tier");
  three_tier_config();
  setenv("NEXT_PUBLIC_ACTIVE_THEME", "default", 1);
  auto r = strata({"up", "--env", "dev", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto j = nlohmann::json::parse(r.output);
  std::map<std::string, int> executed;
  std::vector<std::string> order;
  for (const auto& s : j["sources"]) {
    executed[s["tier"]] += s["executed"].get<int>();
    order.push_back(s["source"]);
  }
  EXPECT_EQ(executed["core"], 7);
  EXPECT_EQ(executed["content"], 1);
  EXPECT_EQ(executed["entity"], 3);
  EXPECT_EQ(order, (std::vector<std::string>{"core", "theme:default", "entity:tasks",
                                             "entity:completions"}));
  // The runner's own tracking tables, kept in step: 7 / 1 / 3 across 2 entities.
  EXPECT_EQ(query_value("select count(*) from _migrations"), "7");
  EXPECT_EQ(
      query_value(
          "select count(*) from _content_migrations where source_type = 'theme' and source_name = "
          "'default'"),
      "1");
  EXPECT_EQ(
      query_value("select count(*) || '/' || count(distinct entity_name) from _entity_migrations"),
      "3/2");
  // Four 001_ files, each its own migration; the inactive theme and plugin never ran.
  EXPECT_EQ(query_value("select count(*) from strata.migrations where version = '001'"), "4");
  EXPECT_EQ(query_value("select to_regclass('public.dark_theme_palettes') is null and "
                        "to_regclass('public.events') "
                        "is null"),
            "t");
  expect_check(project / "check.sql", "scenario three-tier: ok");
  auto sample = psql_file(project / "tests/dev_sample_data.sql");
  EXPECT_EQ(sample.exit_code, 0) << sample.output;
  auto again = strata({"up", "--env", "dev"});
  EXPECT_NE(again.output.find("nothing to apply"), std::string::npos) << again.output;
  EXPECT_NE(again.output.find("core: 7 found in 1 source(s), 0 executed, 7 already applied"),
            std::string::npos)
      << again.output;
  // Phase 2: exactly 008, 009, 010, in that order.
  copy_phase2();
  auto p2 = strata({"up", "--env", "dev", "--json"});
  ASSERT_EQ(p2.exit_code, 0) << p2.output;
  auto j2 = nlohmann::json::parse(p2.output);
  std::vector<std::string> applied;
  for (const auto& a : j2["applied"]) applied.push_back(a["version"]);
  EXPECT_EQ(applied, (std::vector<std::string>{"008", "009", "010"}));
  EXPECT_EQ(query_value("select count(*) from _migrations"), "10");
  expect_check(project / "phase2/check.sql", "scenario three-tier/phase2: ok");
  expect_check(project / "check.sql", "scenario three-tier: ok");
  // Emergency rollback, strata's way: exactly that file becomes pending again.
  ASSERT_EQ(strata({"repair", "--status", "reverted", "010", "--source", "core"}).exit_code, 0);
  EXPECT_EQ(
      query_value("select count(*) from _migrations where filename = '010_remove_column.sql'"),
      "0");
  auto st = strata({"status", "--json"});
  auto js = nlohmann::json::parse(st.output);
  int pending = js["summary"]["pending"];
  EXPECT_EQ(pending, 1) << st.output;
  // A version that exists in several sources needs --source.
  auto amb = strata({"repair", "--status", "reverted", "001"});
  EXPECT_EQ(amb.exit_code, 2);
  EXPECT_NE(amb.output.find("several sources"), std::string::npos) << amb.output;
}

TEST_F(Multi, ThreeTierProductionLeavesSampleDataOutAndPhaseTwoOnAFreshDatabaseStopsAt009) {
  use_scenario("three-tier");
  three_tier_config();
  copy_phase2();
  auto r = strata({"up"});
  EXPECT_EQ(r.exit_code, 5) << r.output;
  EXPECT_NE(r.output.find("migrations/009_add_column.sql"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("relation \"tasks\" does not exist"), std::string::npos) << r.output;
  // 001-008 without the two sample-data files (production) are recorded; 009 is not; nothing after
  // it ran.
  EXPECT_EQ(query_value("select string_agg(version, ',' order by version) from strata.migrations"),
            "001,002,003,005,006,008");
  EXPECT_EQ(query_value("select count(*) from _migrations"), "6");
  EXPECT_EQ(query_value("select count(*) from _migrations where filename like '009%'"), "0");
  EXPECT_EQ(query_value("select to_regclass('public.theme_settings') is null"), "t");
}

TEST_F(Multi, ThreeTierHistoryOfTheSeedsRunnerIsAdopted) {
  use_scenario("three-tier");
  three_tier_config();
  // The seed's runner applied everything and recorded it in its three tables.
  std::ifstream in(scenario / "apply-order.txt");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto r = psql_file(project / line.substr(0, line.find_first_of(" \t")));
    ASSERT_EQ(r.exit_code, 0) << line << r.output;
  }
  connect().exec(R"sql(
    CREATE TABLE "_migrations" (id SERIAL PRIMARY KEY, filename TEXT UNIQUE NOT NULL, executed_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP);
    CREATE TABLE "_content_migrations" (id SERIAL PRIMARY KEY, source_type TEXT NOT NULL, source_name TEXT NOT NULL,
      filename TEXT NOT NULL, executed_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, UNIQUE(source_type, source_name, filename));
    CREATE TABLE "_entity_migrations" (id SERIAL PRIMARY KEY, entity_name TEXT NOT NULL, source_type TEXT NOT NULL,
      source_name TEXT NOT NULL, filename TEXT NOT NULL, executed_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, UNIQUE(entity_name, filename));
    INSERT INTO "_migrations" (filename) VALUES ('001_better_auth_and_functions.sql'), ('002_auth_tables.sql'),
      ('003_user_metas.sql'), ('004_users_sample_data.sql'), ('005_api_key.sql'), ('006_api_audit_log.sql'),
      ('007_api_key_sample_data.sql');
    INSERT INTO "_content_migrations" (source_type, source_name, filename) VALUES ('theme', 'default', '001_theme_setup.sql');
    INSERT INTO "_entity_migrations" (entity_name, source_type, source_name, filename) VALUES
      ('tasks', 'theme', 'default', '001_create_tasks.sql'), ('tasks', 'theme', 'default', '002_admin_or_owner_access.sql'),
      ('completions', 'plugin', 'ai', '001_create_completions.sql');)sql");
  std::string before = snapshot();
  auto r = strata({"up", "--env", "dev"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("nothing to apply"), std::string::npos) << r.output;
  EXPECT_EQ(query_value("select count(*) from strata.events where action = 'adopt'"), "11");
  expect_check(project / "check.sql", "scenario three-tier: ok");
}

TEST_F(Multi, SharedDatabaseAppsHaveIndependentHistoriesSchemasAndLocks) {
  use_scenario("shared-db-apps");
  write("money-tracker/strata.toml",
        "[app]\nname = \"money-tracker\"\nschema = \"money_tracker\"\n");
  write("home-portal/strata.toml", "[app]\nname = \"home-portal\"\nschema = \"home_portal\"\n");
  // Dry run on a fresh database: 6 pending, nothing created.
  std::string fresh = snapshot();
  auto dry = at("money-tracker", {"up", "--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.output;
  EXPECT_NE(dry.output.find("6 migration(s) would be applied"), std::string::npos) << dry.output;
  EXPECT_EQ(dry.output.find("-- supabase/migrations/20250208000004_add_categories_down.sql"),
            std::string::npos);
  EXPECT_EQ(snapshot(), fresh);
  // Incremental: 000001-000004 applied, then exactly 000005 and 000006 pending.
  ASSERT_EQ(at("money-tracker", {"up", "--to", "20250208000004"}).exit_code, 0);
  auto st = at("money-tracker", {"status", "--json"});
  auto js = nlohmann::json::parse(st.output);
  std::vector<std::string> pending;
  for (const auto& m : js["sources"][0]["migrations"])
    if (m["state"] == "pending") pending.push_back(m["version"]);
  EXPECT_EQ(pending, (std::vector<std::string>{"20250208000005", "20250208000006"}));
  // Roll back 000004 with its _down.sql and re-apply.
  ASSERT_EQ(at("money-tracker", {"down"}).exit_code, 0);
  EXPECT_EQ(query_value("select to_regclass('money_tracker.categories') is null and "
                        "to_regclass('money_tracker.transactions') is not null"),
            "t");
  // Both apps at once, from two processes.
  pid_t a = fork();
  if (a == 0) {
    auto r = at("money-tracker", {"up"});
    _exit(r.exit_code);
  }
  auto hp = at("home-portal", {"up"});
  int status = 0;
  waitpid(a, &status, 0);
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(hp.exit_code, 0) << hp.output;
  EXPECT_EQ(query_value("select string_agg(source || ':' || count, ',' order by source) from "
                        "(select source, count(*) "
                        "from strata.migrations group by source) s"),
            "home-portal:4,money-tracker:6");
  // Same version in both apps, each applied in its own scope.
  EXPECT_EQ(query_value("select count(*) from strata.migrations where version = '20250208000001'"),
            "2");
  // The search_path one file sets stays in that file: nothing landed in public.
  expect_check(project / "check.sql", "scenario shared-db-apps: ok");
  EXPECT_NE(at("home-portal", {"up"}).output.find("nothing to apply"), std::string::npos);
  EXPECT_EQ(at("money-tracker", {"status"}).exit_code, 0);
}

TEST_F(Multi, AppGrantsAreAppliedAndPostgrestIsNotified) {
  ASSERT_EQ(strata({"compat", "install"}).exit_code, 0);
  write("strata.toml", R"([app]
name = "shop"
schema = "shop"

[grants]
usage = ["anon", "authenticated", "service_role"]
tables = { authenticated = "SELECT, INSERT, UPDATE, DELETE", service_role = "ALL", anon = "SELECT" }
sequences = { authenticated = "USAGE, SELECT" }
)");
  write("migrations/001_schema.sql", "create schema if not exists shop;\n");
  write("migrations/002_items.sql", "create table items (id bigserial primary key, name text);\n");
  write("migrations/003_path.sql",
        "set search_path to public;\ncreate table public.leaky_check (id int);\n");
  write("migrations/004_more.sql", "create table more_items (id int);\n");
  auto listener = connect();
  listener.exec("LISTEN pgrst");
  auto r = strata({"up"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("Granted after each migration: GRANT SELECT ON ALL TABLES IN SCHEMA "
                          "\"shop\" TO \"anon\""),
            std::string::npos)
      << r.output;
  EXPECT_EQ(query_value("select has_table_privilege('anon', 'shop.items', 'SELECT') and not "
                        "has_table_privilege('anon', 'shop.items', 'INSERT') and "
                        "has_table_privilege('authenticated', "
                        "'shop.items', 'DELETE') and has_sequence_privilege('authenticated', "
                        "'shop.items_id_seq', "
                        "'USAGE') and has_schema_privilege('anon', 'shop', 'USAGE')"),
            "t");
  // 003's own `set search_path to public` did not leak into 004.
  EXPECT_EQ(query_value("select to_regclass('shop.more_items') is not null and "
                        "to_regclass('public.more_items') is null"),
            "t");
  bool notified = false;
  for (int i = 0; i < 50 && !notified; ++i) {
    if (auto n = listener.next_notification())
      notified = n->first == "pgrst" && n->second == "reload schema";
    else
      usleep(20000);
  }
  EXPECT_TRUE(notified);
}

TEST_F(Multi, FleetOfTwentyDatabasesWithOneFailing) {
  write("supabase/migrations/001_a.sql", "create table a (id int primary key);\n");
  write("supabase/migrations/002_b.sql", "create table b (id int references a (id));\n");
  write("supabase/migrations/003_c.sql", "create index b_id on b (id);\n");
  auto admin = strata::db::Connection::open(cluster().url("postgres"));
  std::string targets = "[targets]\n";
  for (int i = 0; i < 20; ++i) {
    std::string db = fmt::format("{}_f{}", dbname, i);
    admin.exec(fmt::format("DROP DATABASE IF EXISTS {} WITH (FORCE)", db));
    admin.exec(fmt::format("CREATE DATABASE {} TEMPLATE template0", db));
    targets += fmt::format("db{:02d} = \"{}\"\n", i, cluster().url(db));
  }
  // Target 7 already has a conflicting table: its 002 fails.
  strata::db::Connection::open(cluster().url(dbname + "_f7")).exec("create table b (x text)");
  write("targets.toml", targets);
  auto r =
      strata({"up", "--targets", (project / "targets.toml").string(), "--jobs", "4", "--json"});
  EXPECT_EQ(r.exit_code, 5) << r.output;
  auto j = nlohmann::json::parse(r.output);
  EXPECT_EQ(j["failed"], 1);
  int ok = 0;
  for (const auto& t : j["targets"]) {
    if (t["ok"]) {
      ++ok;
      EXPECT_EQ(t["applied"], 3);
    } else {
      EXPECT_EQ(t["name"], "db07");
      EXPECT_NE(t["error"].get<std::string>().find("002_b.sql"), std::string::npos);
    }
  }
  EXPECT_EQ(ok, 19);
  EXPECT_EQ(strata::db::Connection::open(cluster().url(dbname + "_f7"))
                .exec("select count(*) from strata.migrations")
                .get(0, 0),
            "1");
  auto table = strata({"up", "--targets", (project / "targets.toml").string(), "--jobs", "4"});
  EXPECT_NE(table.output.find("db07"), std::string::npos);
  EXPECT_NE(table.output.find("20 target(s), 1 failed"), std::string::npos) << table.output;
  for (int i = 0; i < 20; ++i)
    admin.exec(fmt::format("DROP DATABASE IF EXISTS {}_f{} WITH (FORCE)", dbname, i));
}

TEST_F(Multi, SchemaPerTenantFleet) {
  write("migrations/001_items.sql", "create table items (id int);\n");
  auto conn = connect();
  conn.exec("create schema t1; create schema t2; create schema t3");
  write("targets.toml",
        fmt::format("[tenants]\nurl = \"{}\"\nschemas = [\"t1\", \"t2\", \"t3\"]\n", url));
  auto r = strata({"up", "--targets", (project / "targets.toml").string(), "--jobs", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(query_value("select count(*) from pg_tables where tablename = 'items' and schemaname "
                        "in ('t1','t2','t3')"),
            "3");
  EXPECT_EQ(query_value("select count(distinct source) from strata.migrations"), "3");
}

}  // namespace

namespace {

class Sources : public DbTest {};

TEST_F(Sources, GenericSourcesRunInOrderAndToStopsInTheSourceHoldingTheVersion) {
  write("strata.toml", R"([migrations]
dir = "core"

[[sources]]
name = "addon"
dir = "addons/billing/migrations"
)");
  write("core/001_a.sql", "create table a (id int);\n");
  write("core/002_b.sql", "create table b (id int);\n");
  write("addons/billing/migrations/001_invoices.sql", "create table invoices (id int);\n");
  auto first = strata({"up", "--to", "001"});
  ASSERT_EQ(first.exit_code, 0) << first.output;
  EXPECT_EQ(
      query_value("select string_agg(source || '/' || version, ',' order by source, version) from "
                  "strata.migrations"),
      "default/001");
  auto rest = strata({"up"});
  ASSERT_EQ(rest.exit_code, 0) << rest.output;
  EXPECT_EQ(
      query_value("select string_agg(source || '/' || version, ',' order by source, version) from "
                  "strata.migrations"),
      "addon/001,default/001,default/002");
  EXPECT_EQ(strata({"up", "--to", "999"}).exit_code, 2);
  auto down = strata({"down", "--source", "addon"});
  ASSERT_EQ(down.exit_code, 1) << down.output;  // no down script for the addon's file
  EXPECT_NE(down.output.find("001_invoices.sql"), std::string::npos) << down.output;
}

}  // namespace
