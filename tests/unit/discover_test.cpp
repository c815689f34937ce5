// Unit tests: discovering migration files (fixtures under tests/fixtures/layouts).
#include <gtest/gtest.h>

#include "migration/discover.hpp"
#include "util/error.hpp"

using namespace strata;

static const std::string kLayouts = std::string(STRATA_FIXTURES) + "/layouts/";

static std::vector<std::string> versions(const DiscoveredSource& d) {
  std::vector<std::string> out;
  for (const auto& m : d.migrations) out.push_back(m.version);
  return out;
}

TEST(Discover, SupabaseLayoutOrdersMixedVersionsAndPairsDownFiles) {
  Project p = load_project(kLayouts + "mixed");
  EXPECT_TRUE(p.supabase);
  auto d = discover_migrations(p, p.sources[0]);
  EXPECT_EQ(versions(d), (std::vector<std::string>{"20250107120000", "20260420", "20260420010000",
                                                   "20260501", "20260502"}));
  const auto& m = d.migrations;
  ASSERT_TRUE(m[0].down);  // -- strata:down section
  EXPECT_EQ(m[0].down->text, "drop table a;\n");
  EXPECT_EQ(m[0].down->first_line, 3);
  EXPECT_EQ(m[0].text, "create table a (id int);\n");
  ASSERT_TRUE(m[1].down);  // _down.sql beside
  EXPECT_EQ(m[1].down->path.filename(), "20260420_b_down.sql");
  EXPECT_FALSE(m[2].down);
  ASSERT_TRUE(m[3].down);  // supabase/rollbacks/<v>_<name>.down.sql
  EXPECT_EQ(m[3].down->path.filename(), "20260501_d.down.sql");
  ASSERT_TRUE(m[4].down);  // _rollback.sql
  EXPECT_EQ(m[4].display_path, "supabase/migrations/20260502_e.sql");
  EXPECT_EQ(m[4].checksum.substr(0, 7), "sha256:");
}

TEST(Discover, UnprefixedFilesFollowTheConfiguredOrderAndAreIdentifiedByFileName) {
  Project p = load_project(kLayouts + "unprefixed");
  auto d = discover_migrations(p, p.sources[0]);
  EXPECT_EQ(versions(d), (std::vector<std::string>{"00_base", "projects", "20240115_feature",
                                                   "20240115_settings"}));
  ASSERT_TRUE(d.migrations[2].down);
  EXPECT_EQ(d.migrations[2].down->path.filename(), "20240115_feature_rollback.sql");
}

TEST(Discover, UnversionedFilesWithoutAnOrderAreRefusedByName) {
  Project p = load_project(kLayouts + "unversioned");
  try {
    discover_migrations(p, p.sources[0]);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::config);
    EXPECT_NE(std::string(e.what()).find("projects.sql"), std::string::npos);
    EXPECT_NE(e.hint.find("order"), std::string::npos);
  }
}

TEST(Discover, DuplicateVersionsNameBothFiles) {
  Project p = load_project(kLayouts + "duplicate");
  try {
    discover_migrations(p, p.sources[0]);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("duplicate migration version"), std::string::npos);
    EXPECT_NE(msg.find("001_a.sql"), std::string::npos) << msg;
    EXPECT_NE(msg.find("1_b.sql"), std::string::npos) << msg;
  }
}

TEST(Discover, NextVersionFollowsTheProjectsStyle) {
  Project p = load_project(kLayouts + "sequential");
  auto d = discover_migrations(p, p.sources[0]);
  EXPECT_EQ(next_version(d.migrations, "20261122101010"), "010");
  Project s = load_project(kLayouts + "mixed");
  auto ds = discover_migrations(s, s.sources[0]);
  EXPECT_EQ(next_version(ds.migrations, "20261122101010"), "20261122101010");
  EXPECT_EQ(next_version({}, "20261122101010"), "20261122101010");
  // Never older than the newest version, even when that one is a future 8-digit date.
  Migration future;
  future.version = "20991231";
  EXPECT_EQ(next_version({future}, "20261122101010"), "20991231000001");
}

TEST(Config, BadTomlReportsLineAndColumn) {
  try {
    load_project(kLayouts + "badtoml");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::config);
    ASSERT_TRUE(e.position);
    EXPECT_EQ(e.position->line, 2);
    EXPECT_NE(std::string(e.what()).find("strata.toml:2:"), std::string::npos) << e.what();
  }
}

TEST(Config, MissingMigrationsDirectoryHasAHint) {
  try {
    load_project(kLayouts + "badtoml/..");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("migrations directory"), std::string::npos);
    EXPECT_NE(e.hint.find("strata new"), std::string::npos);
  }
}
