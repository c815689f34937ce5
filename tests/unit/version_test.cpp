// Unit tests: version parsing and the numeric, timestamp-aware order.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "migration/version.hpp"

using namespace strata;

TEST(Version, ParsesDigitPrefix) {
  auto v = parse_versioned_name("20260315_add_user_preferences.sql");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->version, "20260315");
  EXPECT_EQ(v->name, "add_user_preferences");
  EXPECT_FALSE(parse_versioned_name("projects.sql"));
  EXPECT_FALSE(parse_versioned_name("001_x.txt"));
  EXPECT_FALSE(parse_versioned_name("_x.sql"));
  EXPECT_FALSE(parse_versioned_name("12_.sql"));
}

TEST(Version, OrdersNumericallyNotAsStrings) {
  EXPECT_LT(compare_versions("9", "10"), 0);
  EXPECT_LT(compare_versions("1", "10"), 0);
  EXPECT_LT(compare_versions("002", "10"), 0);
  EXPECT_EQ(compare_versions("7", "7"), 0);
}

TEST(Version, DatesInterleaveWithTimestamps) {
  std::vector<std::string> v = {"20260501", "20260420010000", "20260420", "20250107120000",
                                "20260420000001"};
  std::sort(v.begin(), v.end(), VersionLess{});
  EXPECT_EQ(v, (std::vector<std::string>{"20250107120000", "20260420", "20260420000001",
                                         "20260420010000", "20260501"}));
}

TEST(Version, UnversionedStemsSortAfterDigits) {
  EXPECT_LT(compare_versions("99", "projects"), 0);
  EXPECT_GT(compare_versions("projects", "20240115"), 0);
}
