// Integration tests: `strata db diff` finds drift against a shadow database built from the
// migrations, and `-f` captures it as a migration that closes the gap.
#include <nlohmann/json.hpp>

#include "fixture.hpp"

using namespace strata::testing;

namespace {

class Diff : public DbTest {};

TEST_F(Diff, ReportsDriftAndCapturesItAsAMigration) {
  ASSERT_EQ(strata({"compat", "install"}).exit_code, 0);
  write("supabase/migrations/001_items.sql",
        "create table items (id bigint generated always as identity primary key, owner uuid "
        "references auth.users "
        "(id), name text not null default 'x');\n"
        "alter table items enable row level security;\n"
        "create policy \"own items\" on items for all to authenticated using ((select auth.uid()) "
        "= owner);\n"
        "create function item_count() returns bigint language sql as $$ select count(*) from items "
        "$$;\n");
  ASSERT_EQ(strata({"up"}).exit_code, 0);
  auto clean = strata({"db", "diff"});
  EXPECT_EQ(clean.exit_code, 0) << clean.output;
  EXPECT_NE(clean.output.find("No drift"), std::string::npos) << clean.output;
  // The debugging step of seed 002, plus hand-made changes.
  connect().exec(
      "alter table items disable row level security; alter table items add column note text; "
      "create index items_name on items (name); alter table items alter column name drop default");
  auto drift = strata({"db", "diff"});
  EXPECT_EQ(drift.exit_code, 4) << drift.output;
  EXPECT_NE(drift.output.find("~ table public.items: row level security"), std::string::npos)
      << drift.output;
  EXPECT_NE(drift.output.find("+ column public.items.note"), std::string::npos) << drift.output;
  EXPECT_NE(drift.output.find("+ index public.items_name"), std::string::npos) << drift.output;
  EXPECT_NE(drift.output.find("~ column public.items.name"), std::string::npos) << drift.output;
  EXPECT_EQ(drift.output.find("auth.users"), std::string::npos)
      << drift.output;  // platform schemas are not drift
  // Capture it, mark it applied (the database already has it): no drift any more.
  auto capture = strata({"db", "diff", "-f", "capture"});
  ASSERT_EQ(capture.exit_code, 0) << capture.output;
  auto st = nlohmann::json::parse(strata({"status", "--json"}).output);
  std::string version = st["sources"][0]["migrations"][1]["version"];
  ASSERT_EQ(strata({"repair", "--status", "applied", version}).exit_code, 0);
  auto after = strata({"db", "diff"});
  EXPECT_EQ(after.exit_code, 0) << after.output;
  // Only the shadow database's own schemas are looked at with --schema.
  EXPECT_EQ(query_value("select count(*) from pg_database where datname like 'strata_shadow_%'"),
            "0");
}

}  // namespace
