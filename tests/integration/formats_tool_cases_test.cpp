// Integration tests: what other tools do that strata must match or refuse loudly (the tester's
// issue-12 cases): goose ENVSUB forms, goose Go migrations, rollbacks of files without a down
// part, Flyway/graphile-migrate built-in placeholders, Flyway history-table references and
// callbacks. Fixtures: tests/fixtures/formats/<case>/.
#include <fmt/format.h>
#include <stdlib.h>

#include "fixture.hpp"

using namespace strata::testing;

namespace {

const std::filesystem::path kFormats = std::filesystem::path(STRATA_FIXTURES) / "formats";

// Sets (or unsets, for nullptr) an environment variable for one test; strata inherits it.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (value)
      setenv(name, value, 1);
    else
      unsetenv(name);
  }
  ~ScopedEnv() { unsetenv(name_); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
};

class ToolCases : public DbTest {
 protected:
  void use(const std::string& name) { copy_tree(kFormats / name); }
  std::string column_default(const std::string& table) const {
    return query_value(fmt::format(
        "select column_default from information_schema.columns where table_name = '{}'", table));
  }
};

// Case goose-envsub-forms: `$VAR`, `${VAR-d}`, `${VAR?e}` were substituted wrongly, silently.
TEST_F(ToolCases, GooseEnvsubFormsAreSubstitutedAsGooseDoes) {
  use("goose-envsub");
  ScopedEnv owner("STRATA_T_OWNER", "bob");
  ScopedEnv unset("STRATA_T_UNSET", nullptr);
  ScopedEnv empty("STRATA_T_EMPTY", "");
  auto r = strata({"up"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(column_default("t1"), "'bob'::text");
  EXPECT_EQ(column_default("t2"), "'dash_default'::text");
  EXPECT_EQ(column_default("t3"), "'bob'::text");
  EXPECT_EQ(column_default("t4"), "'colon_default|'::text");
  EXPECT_EQ(column_default("t5"), "'ob|bobx|$'::text");
  EXPECT_EQ(column_default("t6"), "'$STRATA_T_OWNER'::text");  // after ENVSUB OFF
}

TEST_F(ToolCases, GooseEnvsubRequiredUnsetVariableFailsWithFileLineBeforeAnythingRuns) {
  use("goose-envsub");
  ScopedEnv owner("STRATA_T_OWNER", nullptr);
  auto r = strata({"up"});
  EXPECT_EQ(r.exit_code, 8) << r.output;
  EXPECT_NE(r.output.find("migrations/00001_envsub.sql:5: ENVSUB: $STRATA_T_OWNER is not set: "
                          "owner must be set"),
            std::string::npos)
      << r.output;
  EXPECT_EQ(exists("public.t1"), "f");
  EXPECT_EQ(query_value("select to_regclass('strata.migrations') is null"), "t");
}

TEST_F(ToolCases, GooseEnvsubFormsGooseRejectsAreErrorsWithFileLine) {
  ScopedEnv v("STRATA_T_OWNER", "bob");
  for (const char* form : {"${STRATA_T_OWNER:=x}", "${STRATA_T_OWNER:+x}", "${STRATA_T_OWNER+x}",
                           "${STRATA_T_OWNER=x}", "${STRATA_T_OWNER:?x}", "$1"}) {
    write("migrations/00001_x.sql", fmt::format("-- +goose Up\n-- +goose ENVSUB ON\nSELECT "
                                                "'{}';\n",
                                                form));
    auto r = strata({"up", "--dry-run"});
    EXPECT_EQ(r.exit_code, 8) << form << "\n" << r.output;
    EXPECT_NE(r.output.find("migrations/00001_x.sql:3: ENVSUB:"), std::string::npos) << form << "\n"
                                                                                     << r.output;
  }
}

}  // namespace
