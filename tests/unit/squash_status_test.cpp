// Unit tests: a squashed file (`-- strata:squash-of` lines) counts as applied only where the
// history holds every version it replaces with those checksums (plan/status.cpp, pure).
#include <gtest/gtest.h>

#include "migration/migration.hpp"
#include "plan/plan.hpp"

using namespace strata;

namespace {

Migration squashed_file() {
  Migration m;
  m.version = "003";
  m.name = "c";
  m.checksum = "sha256:squashed";
  apply_directives(m,
                   "-- strata:squash-of 001 sha256:a\n-- strata:squash-of 002 sha256:b\n"
                   "-- strata:squash-of 003 sha256:c\ncreate table t (id int);\n");
  return m;
}

HistoryRow row(const std::string& v, const std::string& checksum, bool success = true) {
  HistoryRow h;
  h.version = v;
  h.checksum = checksum;
  h.success = success;
  return h;
}

TEST(SquashStatus, DirectivesAreRead) {
  Migration m = squashed_file();
  ASSERT_EQ(m.squash_of.size(), 3u);
  EXPECT_EQ(m.squash_of[1].version, "002");
  EXPECT_EQ(m.squash_of[1].checksum, "sha256:b");
  Migration bad;
  EXPECT_THROW(apply_directives(bad, "-- strata:squash-of 001\nselect 1;\n"), std::exception);
}

TEST(SquashStatus, AllReplacedRowsMeanApplied) {
  std::vector<Migration> local = {squashed_file()};
  std::vector<HistoryRow> hist = {row("001", "sha256:a"), row("002", ""), row("003", "sha256:c")};
  Status st = compute_status(local, hist);
  ASSERT_EQ(st.items.size(), 1u);
  EXPECT_EQ(st.items[0].state, MigrationState::applied);
  EXPECT_EQ(st.items[0].squashed.size(), 3u);
  EXPECT_TRUE(st.clean());
  EXPECT_TRUE(plan_up(st, {}).steps.empty());
}

TEST(SquashStatus, RecordedSquashIsPlainApplied) {
  std::vector<Migration> local = {squashed_file()};
  std::vector<HistoryRow> hist = {row("003", "sha256:squashed")};
  Status st = compute_status(local, hist);
  EXPECT_EQ(st.items[0].state, MigrationState::applied);
  EXPECT_TRUE(st.items[0].squashed.empty());
}

TEST(SquashStatus, FreshDatabaseRunsIt) {
  std::vector<Migration> local = {squashed_file()};
  Status st = compute_status(local, {});
  EXPECT_EQ(st.items[0].state, MigrationState::pending);
  EXPECT_EQ(plan_up(st, {}).steps.size(), 1u);
}

TEST(SquashStatus, PartlyAppliedOrOtherTextIsNeverMarked) {
  std::vector<Migration> local = {squashed_file()};
  std::vector<HistoryRow> partly = {row("001", "sha256:a"), row("002", "sha256:b")};
  Status st = compute_status(local, partly);
  EXPECT_EQ(st.count(MigrationState::missing), 2);
  EXPECT_EQ(st.count(MigrationState::pending), 1);
  EXPECT_FALSE(st.clean());
  std::vector<HistoryRow> other = {row("001", "sha256:a"), row("002", "sha256:OTHER"),
                                   row("003", "sha256:c")};
  Status st2 = compute_status(local, other);
  EXPECT_EQ(st2.items.back().state, MigrationState::modified);
  EXPECT_EQ(st2.count(MigrationState::missing), 2);
  std::vector<HistoryRow> failed = {row("001", "sha256:a"), row("002", "sha256:b"),
                                    row("003", "sha256:c", false)};
  EXPECT_FALSE(compute_status(local, failed).clean());
}

}  // namespace

namespace {

// A second squash (005) over the first one (003, above) and 004, 005: the first one's lines come
// along `via` it, as `strata migration squash` writes them.
Migration squashed_twice() {
  Migration m;
  m.version = "005";
  m.name = "e";
  m.checksum = "sha256:twice";
  apply_directives(m,
                   "-- strata:squash-of 003 sha256:squashed\n"
                   "-- strata:squash-of 001 sha256:a via 003 sha256:squashed\n"
                   "-- strata:squash-of 002 sha256:b via 003 sha256:squashed\n"
                   "-- strata:squash-of 003 sha256:c via 003 sha256:squashed\n"
                   "-- strata:squash-of 004 sha256:d\n-- strata:squash-of 005 sha256:e\n"
                   "create table t (id int);\n");
  return m;
}

TEST(SquashStatus, ChainedSquashMatchesTheOriginalRows) {
  Migration m = squashed_twice();
  ASSERT_EQ(m.squash_of.size(), 6u);
  EXPECT_EQ(m.squash_of[1].via_version, "003");
  EXPECT_EQ(m.squash_of[1].via_checksum, "sha256:squashed");
  std::vector<Migration> local = {m};
  // A database that never ran `up` between the two squashes.
  std::vector<HistoryRow> hist = {row("001", "sha256:a"), row("002", "sha256:b"),
                                  row("003", "sha256:c"), row("004", "sha256:d"),
                                  row("005", "sha256:e")};
  Status st = compute_status(local, hist);
  ASSERT_EQ(st.items.size(), 1u) << "the replaced versions must not show as missing";
  EXPECT_EQ(st.items[0].state, MigrationState::applied);
  EXPECT_EQ(st.items[0].squashed.size(), 5u);
  EXPECT_TRUE(plan_up(st, {}).steps.empty());
}

TEST(SquashStatus, ChainedSquashMatchesTheFirstSquashRow) {
  std::vector<Migration> local = {squashed_twice()};
  // A database whose `up` recorded the first squash.
  std::vector<HistoryRow> hist = {row("003", "sha256:squashed"), row("004", "sha256:d"),
                                  row("005", "sha256:e")};
  Status st = compute_status(local, hist);
  ASSERT_EQ(st.items.size(), 1u);
  EXPECT_EQ(st.items[0].state, MigrationState::applied);
  EXPECT_EQ(st.items[0].squashed.size(), 3u);
}

TEST(SquashStatus, ChainedSquashWithAGapIsNotMarked) {
  std::vector<Migration> local = {squashed_twice()};
  // 002 never ran: neither the first squash nor all of its files are recorded.
  std::vector<HistoryRow> hist = {row("001", "sha256:a"), row("003", "sha256:c"),
                                  row("004", "sha256:d"), row("005", "sha256:e")};
  Status st = compute_status(local, hist);
  EXPECT_NE(st.items[0].state, MigrationState::applied);
}

}  // namespace
