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

// Case goose-missing-down: a goose file without `-- +goose Down` rolls back as goose does it:
// the version's row goes, no SQL runs, and the output says so.
TEST_F(ToolCases, GooseFileWithoutDownSectionRollsBackWithoutSql) {
  use("goose-missing-down");
  ASSERT_EQ(strata({"up"}).exit_code, 0);
  ASSERT_EQ(strata({"down"}).exit_code, 0);  // 002_b has a Down section: it runs
  EXPECT_EQ(exists("public.b"), "f");
  auto r = strata({"down"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("Rolled back migrations/001_a.sql: no SQL run"), std::string::npos)
      << r.output;
  EXPECT_EQ(exists("public.a"), "t");  // goose runs nothing either
  EXPECT_EQ(history(), "");
}

// Same case, golang-migrate: an .up.sql without .down.sql moves the version down without SQL.
TEST_F(ToolCases, GolangMigrateUpFileWithoutDownFileRollsBackWithoutSql) {
  use("golang-migrate-missing-down");
  ASSERT_EQ(strata({"up"}).exit_code, 0);
  auto r = strata({"down"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("Rolled back migrations/2_seed.up.sql: no SQL run"), std::string::npos)
      << r.output;
  EXPECT_EQ(query_value("select count(*) from a"), "1");
  EXPECT_EQ(history(), "1");
  ASSERT_EQ(strata({"down"}).exit_code, 0);  // 1_a.down.sql runs
  EXPECT_EQ(exists("public.a"), "f");
}

// dbmate refuses to apply a file without `-- migrate:down`; so does strata, naming the file.
TEST_F(ToolCases, DbmateFileWithoutDownBlockIsRefusedAsDbmateDoes) {
  write("strata.toml", "[migrations]\nformat = \"dbmate\"\n");
  write("migrations/001_a.sql", "-- migrate:up\nCREATE TABLE a (id int);\n");
  auto r = strata({"up"});
  EXPECT_EQ(r.exit_code, 8) << r.output;
  EXPECT_NE(r.output.find("migrations/001_a.sql:2: no `-- migrate:down` block"), std::string::npos)
      << r.output;
  EXPECT_EQ(exists("public.a"), "f");
}

// The hint for a file without any down part names the right down file for `.up.sql` names.
TEST_F(ToolCases, NoDownScriptHintNamesTheDownFileOfAnUpSqlName) {
  write("strata.toml", "[migrations]\nformat = \"strata\"\norder = [\"2_seed.up.sql\"]\n");
  write("migrations/2_seed.up.sql", "CREATE TABLE s (id int);\n");
  ASSERT_EQ(strata({"up"}).exit_code, 0);
  auto r = strata({"down"});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("write 2_seed.down.sql beside it"), std::string::npos) << r.output;
  EXPECT_EQ(exists("public.s"), "t");
}

// Case pgmigrations-mirror-missing-row0: the mirrored `migrations` table holds the tool's own
// row 0, as postgres-migrations 5.3.0 writes it (else the tool refuses every later run).
TEST_F(ToolCases, PostgresMigrationsMirrorHasTheToolsRowZero) {
  use("postgres-migrations-mirror");
  auto r = strata({"up"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(query_value("select string_agg(id || ' ' || name || ' ' || hash, ',' order by id) "
                        "from public.migrations"),
            "0 create-migrations-table e18db593bcde2aca2a408c4d1100f6abba2195df,"
            "1 create-a e62bb448d986d4a13ed1efbb73021444e6a0e9cd");
  auto s = strata({"status"});
  ASSERT_EQ(s.exit_code, 0) << s.output;
  EXPECT_NE(s.output.find("1 applied, 0 pending"), std::string::npos) << s.output;
}

// Case goose-go-migration-silently-skipped: a goose `.go` migration is in the sequence; strata
// lists it, never skips it, and `up` refuses before any SQL when it is pending.
TEST_F(ToolCases, GooseGoMigrationIsListedAndStopsUpBeforeAnySql) {
  use("goose-go");
  auto st = strata({"status"});
  EXPECT_NE(st.output.find("00002    backfill  pending (go)"), std::string::npos) << st.output;
  EXPECT_NE(st.output.find("migrations/00002_backfill.go is a goose Go migration"),
            std::string::npos)
      << st.output;
  auto up = strata({"up"});
  EXPECT_EQ(up.exit_code, 8) << up.output;
  EXPECT_NE(up.output.find("migrations/00002_backfill.go is a goose Go migration: strata cannot "
                           "run it"),
            std::string::npos)
      << up.output;
  EXPECT_NE(up.output.find("strata up --to 00001"), std::string::npos) << up.output;
  EXPECT_EQ(exists("public.a"), "f");  // nothing ran
  // The way forward the hint gives: what comes before, the Go migration by goose, then record it.
  ASSERT_EQ(strata({"up", "--to", "00001"}).exit_code, 0);
  query_value("insert into a values (1) returning 1");  // what goose's Go code does
  // goose numbers versions as integers: `2` names the file `00002_...`.
  auto repair = strata({"repair", "--status", "applied", "2"});
  ASSERT_EQ(repair.exit_code, 0) << repair.output;
  auto rest = strata({"up"});
  ASSERT_EQ(rest.exit_code, 0) << rest.output;
  EXPECT_EQ(exists("public.c"), "t");
  EXPECT_EQ(history(), "00001,00002,00003");
  auto down = strata({"down", "--steps", "2"});
  EXPECT_NE(down.exit_code, 0) << down.output;
  EXPECT_NE(down.output.find("cannot roll back migrations/00002_backfill.go"), std::string::npos)
      << down.output;
}

// Case goose-go-migration-missing: a database goose took past its Go migration is adopted: the
// Go migration counts as applied (not "missing") and `up` continues after it.
TEST_F(ToolCases, GooseGoMigrationAppliedByGooseIsAdopted) {
  use("goose-go");
  query_value(
      "create table a (id int); insert into a values (1); create table goose_db_version (id "
      "serial primary key, version_id bigint not null, is_applied boolean not null, tstamp "
      "timestamp default now()); insert into goose_db_version (version_id, is_applied) values "
      "(0, true), (1, true), (2, true) returning 1");
  auto st = strata({"status"});
  EXPECT_NE(st.output.find("00002    backfill  applied (go)"), std::string::npos) << st.output;
  EXPECT_EQ(st.output.find("missing"), std::string::npos) << st.output;
  auto up = strata({"up"});
  ASSERT_EQ(up.exit_code, 0) << up.output;
  EXPECT_EQ(exists("public.c"), "t");
  EXPECT_EQ(query_value("select count(*) from a"), "1");
}

// Case flyway-builtin-user-database: `${flyway:user}` / `${flyway:database}` come from the
// target connection, as Flyway fills them in, with no strata.toml entry.
TEST_F(ToolCases, FlywayConnectionPlaceholdersComeFromTheTarget) {
  use("flyway-builtins");
  auto r = strata({"up"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(query_value("select obj_description('public.e'::regclass)"),
            "owner postgres in " + dbname + " file V1__e.sql");
}

// An unknown `${flyway:...}` still fails before any SQL, and its hint is valid TOML.
TEST_F(ToolCases, UnknownFlywayPlaceholderHintIsValidToml) {
  write("strata.toml", "[migrations]\ndir = \"sql\"\n");
  write("sql/V1__x.sql", "CREATE TABLE x (id int);\nSELECT '${flyway:nosuch}';\n");
  auto r = strata({"up"});
  EXPECT_EQ(r.exit_code, 8) << r.output;
  EXPECT_NE(r.output.find("sql/V1__x.sql:2:9: unknown placeholder ${flyway:nosuch}"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("(\"flyway:nosuch\" = \"...\")"), std::string::npos) << r.output;
  EXPECT_EQ(exists("public.x"), "f");
}

// Case graphile-builtin-placeholders: `:DATABASE_OWNER` / `:DATABASE_NAME` are graphile-migrate's
// automatic placeholders (the connection's user and database); `::text` casts stay.
TEST_F(ToolCases, GraphileMigrateAutomaticPlaceholdersComeFromTheTarget) {
  use("graphile-builtins");
  auto r = strata({"up"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(query_value("select obj_description('app_public'::regnamespace)"),
            "in " + dbname + ", owner postgres, cast 1::text");
  EXPECT_EQ(query_value("select has_schema_privilege('postgres', 'app_public', 'usage')"), "t");
}

// Case flyway-migration-uses-history-table: a pending migration using flyway_schema_history,
// which strata does not keep without the mirror, is refused before any SQL, with the hint.
TEST_F(ToolCases, MigrationUsingAnUnkeptToolHistoryTableIsRefusedBeforeAnySql) {
  use("flyway-history-ref");
  auto r = strata({"up"});
  EXPECT_EQ(r.exit_code, 8) << r.output;
  EXPECT_NE(r.output.find("db/migration/V2__drop_repeatable_migrations.sql:2: uses flyway's "
                          "history table flyway_schema_history"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("mirror = [\"flyway\"]"), std::string::npos) << r.output;
  EXPECT_EQ(exists("public.kodeverk"), "f");  // nothing ran, V1 included
  // Following the hint: the table exists, the migration runs.
  write("strata.toml", "[migrations]\ndir = \"db/migration\"\n[history]\nmirror = [\"flyway\"]\n");
  auto ok = strata({"up"});
  ASSERT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_EQ(exists("public.kodeverk"), "t");
  // V2 ran before the repeatable (as under Flyway): only the repeatable's own row is there.
  EXPECT_EQ(query_value("select string_agg(script, ',') from flyway_schema_history where version "
                        "is null"),
            "R__kodeverk_innhold.sql");
}

// Case flyway-callbacks-not-run: callbacks are named as Flyway callbacks in the warning.
TEST_F(ToolCases, FlywayCallbackFilesAreNamedAsCallbacksInTheWarning) {
  use("flyway-callbacks");
  auto r = strata({"up"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("db/views/afterMigrate__view_avtale.sql: skipped: a Flyway callback "
                          "(afterMigrate): strata does not run Flyway callbacks"),
            std::string::npos)
      << r.output;
  EXPECT_EQ(r.output.find("not a flyway migration file name"), std::string::npos) << r.output;
}

// An unknown graphile-migrate placeholder (`:DATABASE_VISITOR` from .gmrc) fails with
// file:line:col before any SQL, instead of reaching the server as a syntax error.
TEST_F(ToolCases, UnknownGraphilePlaceholderFailsBeforeAnySql) {
  use("graphile-builtins");
  write("migrations/committed/000002.sql",
        "--! Previous: sha1:0000000000000000000000000000000000000000\n--! Hash: sha1:00\n\n"
        "select 1::text, '10:30';\ngrant usage on schema app_public to :DATABASE_VISITOR;\n");
  auto r = strata({"up"});
  EXPECT_EQ(r.exit_code, 8) << r.output;
  EXPECT_NE(r.output.find("migrations/committed/000002.sql:5:37: unknown placeholder "
                          ":DATABASE_VISITOR"),
            std::string::npos)
      << r.output;
  EXPECT_EQ(query_value("select to_regnamespace('app_public') is null"), "t");
  write("strata.toml",
        "[migrations]\ndir = \"migrations/committed\"\n[placeholders]\nDATABASE_VISITOR = "
        "\"postgres\"\n");
  auto ok = strata({"up"});
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
}
