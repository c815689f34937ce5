// Unit tests: other migration tools' URL parameters are translated for libpq (dbmate's
// search_path) or dropped with a note (golang-migrate's x-...); other URLs are untouched.
#include <gtest/gtest.h>

#include "db/tool_url.hpp"

using strata::db::translate_tool_url;

namespace {

struct UrlCase {
  const char* in;
  const char* out;
  size_t notes;
};

class ToolUrl : public ::testing::TestWithParam<UrlCase> {};

TEST_P(ToolUrl, Translated) {
  std::vector<std::string> notes;
  EXPECT_EQ(translate_tool_url(GetParam().in, notes), GetParam().out);
  EXPECT_EQ(notes.size(), GetParam().notes);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ToolUrl,
    ::testing::Values(
        UrlCase{"postgres://u:p@h:5432/db?sslmode=disable",
                "postgres://u:p@h:5432/db?sslmode=disable", 0},
        UrlCase{"postgres://u:p@h/db?search_path=dbmate,app&sslmode=disable",
                "postgres://u:p@h/db?sslmode=disable&options=-c%20search_path%3Ddbmate%2Capp", 0},
        UrlCase{"postgresql://h/db?options=-c%20work_mem%3D4MB&search_path=app",
                "postgresql://h/db?options=-c%20work_mem%3D4MB%20-c%20search_path%3Dapp", 0},
        UrlCase{"postgres://u:p%3Fx@h/db?x-migrations-table=foo&x-multi-statement=true",
                "postgres://u:p%3Fx@h/db", 2},
        UrlCase{"host=h dbname=db search_path=x", "host=h dbname=db search_path=x", 0},
        UrlCase{"postgres://u:a?b@h/db?search_path=s",
                "postgres://u:a?b@h/db?options=-c%20search_path%3Ds", 0}));

TEST(ToolUrlNotes, MigrationsTableNoteNamesTheStrataKey) {
  std::vector<std::string> notes;
  translate_tool_url("postgres://h/db?x-migrations-table=my_migrations", notes);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("history_table = \"my_migrations\""), std::string::npos) << notes[0];
}

}  // namespace
