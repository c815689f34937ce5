// Reading CREATE EXTENSION statements (execute/stand_in.hpp) and the stand-in sections
// (ops/compat.hpp), and the missing-extension hints (execute/extension_hint.hpp).
#include <gtest/gtest.h>

#include "execute/extension_hint.hpp"
#include "execute/stand_in.hpp"
#include "ops/compat.hpp"

namespace strata {
namespace {

TEST(CreateExtension, ReadsNameSchemaAndIfNotExists) {
  auto ce = parse_create_extension(
      "-- enable it\n/* block */ CREATE EXTENSION IF NOT EXISTS \"pg_net\" WITH SCHEMA "
      "extensions VERSION '0.7' CASCADE;");
  ASSERT_TRUE(ce);
  EXPECT_EQ(ce->name, "pg_net");
  EXPECT_EQ(ce->schema, "extensions");
  EXPECT_TRUE(ce->if_not_exists);
  EXPECT_TRUE(ce->cascade);
  auto plain = parse_create_extension("create extension pgmq");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->name, "pgmq");
  EXPECT_EQ(plain->schema, "");
  EXPECT_FALSE(plain->if_not_exists);
  auto upper = parse_create_extension("CREATE EXTENSION PGJWT SCHEMA \"My Schema\"");
  ASSERT_TRUE(upper);
  EXPECT_EQ(upper->name, "pgjwt");
  EXPECT_EQ(upper->schema, "My Schema");
  EXPECT_FALSE(parse_create_extension("create table extension (id int)"));
  EXPECT_FALSE(parse_create_extension("alter extension pg_net update"));
}

TEST(CreateExtension, OnlySupabaseOnlyExtensionsHaveStandIns) {
  for (const char* e : {"pg_net", "http", "supabase_vault", "pgsodium", "pg_graphql", "pgmq",
                        "pgjwt", "wrappers", "pg_tle", "index_advisor"})
    EXPECT_TRUE(has_stand_in(e)) << e;
  for (const char* e : {"pg_cron", "hypopg", "plpgsql_check", "postgis", "vector", "pgtap"})
    EXPECT_FALSE(has_stand_in(e)) << e;
}

TEST(StandInSections, EveryStandInHasASectionWithANote) {
  auto sections = stand_in_sections();
  auto find = [&](const std::string& name) -> const StandInSection* {
    for (const auto& s : sections)
      if (s.extension == name) return &s;
    return nullptr;
  };
  for (const auto& e : stand_in_extensions()) {
    const StandInSection* s = find(e);
    ASSERT_TRUE(s) << e;
    EXPECT_FALSE(s->note.empty()) << e;
    EXPECT_FALSE(s->schema.empty()) << e;
    EXPECT_NE(s->sql.find(';'), std::string::npos) << e;
  }
  for (const auto& e : preinstalled_stand_ins()) EXPECT_TRUE(find(e)) << e;
  ASSERT_TRUE(find("supabase_functions"));
  EXPECT_EQ(find("supabase_functions")->requires_, std::vector<std::string>{"pg_net"});
  EXPECT_GE(stand_ins_version(), 1);
}

TEST(ExtensionHint, NamesOnlyPackagesDebian12Has) {
  EXPECT_EQ(debian_package_for("pg_cron"), "postgresql-15-cron");
  EXPECT_EQ(debian_package_for("hypopg"), "postgresql-15-hypopg");
  EXPECT_EQ(debian_package_for("plpgsql_check"), "postgresql-15-plpgsql-check");
  EXPECT_EQ(debian_package_for("postgis"), "postgresql-15-postgis-3");
  // Not in Debian 12: never suggest a package that apt cannot find.
  EXPECT_EQ(debian_package_for("vector"), "");
  EXPECT_EQ(debian_package_for("http"), "");
  EXPECT_EQ(debian_package_for("pg_hint_plan"), "");
  EXPECT_EQ(missing_extension_hint("vector").find("apt-get install"), std::string::npos);
  EXPECT_NE(missing_extension_hint("vector").find("apt.postgresql.org"), std::string::npos);
  EXPECT_NE(missing_extension_hint("http").find("stand-in"), std::string::npos);
  EXPECT_NE(missing_extension_hint("pgmq").find("compat install --stand-ins"), std::string::npos);
}

}  // namespace
}  // namespace strata
