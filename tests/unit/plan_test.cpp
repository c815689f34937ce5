// Unit tests: status states and up/down planning (pure, no database).
#include <gtest/gtest.h>

#include "plan/plan.hpp"
#include "util/error.hpp"

using namespace strata;

static Migration mig(const std::string& v, const std::string& checksum = "sha256:x",
                     bool down = false) {
  Migration m;
  m.version = v;
  m.name = "m" + v;
  m.display_path = v + "_m.sql";
  m.checksum = checksum;
  if (down) m.down = DownScript{"d.sql", "drop table x;", 1};
  return m;
}
// Status points into the history rows: keep every test's rows alive for the whole test.
static std::vector<std::vector<HistoryRow>> g_rows;
static Status status_of(const std::vector<Migration>& local, std::vector<HistoryRow> rows) {
  g_rows.reserve(64);
  g_rows.push_back(std::move(rows));
  return compute_status(local, g_rows.back());
}
static HistoryRow row(const std::string& v, const std::string& checksum = "sha256:x",
                      bool success = true) {
  HistoryRow h;
  h.version = v;
  h.checksum = checksum;
  h.success = success;
  return h;
}

TEST(Status, NamesEveryState) {
  std::vector<Migration> local = {mig("1"), mig("2", "sha256:new"), mig("3"), mig("4"), mig("6")};
  std::vector<HistoryRow> hist = {row("1"), row("2"), row("4", "sha256:x", false), row("5"),
                                  row("6")};
  Status st = compute_status(local, hist);
  ASSERT_EQ(st.items.size(), 6u);
  EXPECT_EQ(st.items[0].state, MigrationState::applied);
  EXPECT_EQ(st.items[1].state, MigrationState::modified);
  EXPECT_EQ(st.items[2].state, MigrationState::out_of_order);
  EXPECT_EQ(st.items[3].state, MigrationState::partial);
  EXPECT_EQ(st.items[4].state, MigrationState::missing);
  EXPECT_EQ(st.items[4].version(), "5");
  EXPECT_EQ(st.items[5].state, MigrationState::applied);
  EXPECT_FALSE(st.clean());
}

TEST(Status, AdoptedRowsWithoutChecksumCountAsApplied) {
  std::vector<Migration> local = {mig("1"), mig("2")};
  std::vector<HistoryRow> hist = {row("1", "")};
  Status st = compute_status(local, hist);
  EXPECT_EQ(st.items[0].state, MigrationState::applied);
  EXPECT_EQ(st.items[1].state, MigrationState::pending);
  EXPECT_TRUE(st.clean());
}

TEST(PlanUp, AppliesPendingUpToAVersion) {
  std::vector<Migration> local = {mig("1"), mig("2"), mig("3"), mig("4")};
  std::vector<HistoryRow> hist = {row("1")};
  Status st = compute_status(local, hist);
  UpOptions o;
  o.to = "3";
  UpPlan p = plan_up(st, o);
  ASSERT_EQ(p.steps.size(), 2u);
  EXPECT_EQ(p.steps[0].migration->version, "2");
  EXPECT_EQ(p.steps[1].migration->version, "3");
  o.to = "99";
  EXPECT_THROW(plan_up(st, o), Error);
}

TEST(PlanUp, RefusesDriftAndOutOfOrderUnlessAllowed) {
  std::vector<Migration> local = {mig("1"), mig("2"), mig("3")};
  Status ooo = status_of(local, {row("1"), row("3")});
  try {
    plan_up(ooo, {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::drift);
    EXPECT_NE(std::string(e.what()).find("2_m.sql"), std::string::npos);
    EXPECT_NE(e.hint.find("--include-all"), std::string::npos);
  }
  UpOptions all;
  all.include_all = true;
  EXPECT_EQ(plan_up(ooo, all).steps.size(), 1u);
  Status modified = status_of(local, {row("1", "sha256:old")});
  EXPECT_THROW(plan_up(modified, all), Error);
  Status missing = status_of(local, {row("1"), row("0")});
  EXPECT_THROW(plan_up(missing, all), Error);
}

TEST(PlanUp, ResumesPartialMigrationOnlyWhenUnchanged) {
  std::vector<Migration> local = {mig("1")};
  HistoryRow h = row("1", "sha256:x", false);
  h.statements_applied = 2;
  h.statements_total = 5;
  Status st = status_of(local, {h});
  UpPlan p = plan_up(st, {});
  ASSERT_EQ(p.steps.size(), 1u);
  EXPECT_EQ(p.steps[0].resume_from, 2);
  h.checksum = "sha256:other";
  Status changed = status_of(local, {h});
  EXPECT_THROW(plan_up(changed, {}), Error);
}

TEST(PlanUp, DevOnlyMigrationsAreLeftOutOutsideDev) {
  std::vector<Migration> local = {mig("1"), mig("2")};
  local[1].env = "dev";
  Status st = status_of(local, {});
  UpPlan prod = plan_up(st, {});
  EXPECT_EQ(prod.steps.size(), 1u);
  EXPECT_EQ(prod.skipped_env.size(), 1u);
  UpOptions dev;
  dev.env = "dev";
  EXPECT_EQ(plan_up(st, dev).steps.size(), 2u);
}

TEST(PlanDown, RevertsNewestFirstAndNeedsDownScripts) {
  std::vector<Migration> local = {mig("1", "sha256:x", true), mig("2", "sha256:x", true),
                                  mig("3", "sha256:x", true), mig("4", "sha256:x", true)};
  Status st = status_of(local, {row("1"), row("2"), row("3")});
  DownOptions o;
  o.steps = 2;
  auto items = plan_down(st, o);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]->version(), "3");
  EXPECT_EQ(items[1]->version(), "2");
  DownOptions to;
  to.to = "1";
  EXPECT_EQ(plan_down(st, to).size(), 2u);
  local[2].down.reset();
  Status no_down = status_of(local, {row("1"), row("2"), row("3")});
  try {
    plan_down(no_down, {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("no down script"), std::string::npos);
  }
}
