// Integration tests: strata and another migration tool taking turns on one database. A `down`
// of a version adopted from the tool's table takes it out of that table too (else the next run
// adopts it again while its objects are gone); with `[history] mirror`, a version the tool
// reverted (its row gone from the tool's table) is pending again; turning the mirror on after
// strata applied migrations back-fills the tool's table; `repair --status reverted` of a
// golang-migrate dirty version leaves golang-migrate at the version before it. The tool's side
// is done here the way the tool does it (its SQL, then its row).
#include "fixture.hpp"

using namespace strata::testing;

namespace {

class Alternating : public DbTest {
 protected:
  void dbmate_project(bool mirror) {
    write("strata.toml", std::string("[migrations]\ndir = \"db/migrations\"\n") +
                             (mirror ? "[history]\nmirror = [\"dbmate\"]\n" : ""));
    write("db/migrations/20240101000000_a.sql",
          "-- migrate:up\ncreate table a (id int);\n-- migrate:down\ndrop table a;\n");
    write("db/migrations/20240102000000_b.sql",
          "-- migrate:up\ncreate table b (id int);\n-- migrate:down\ndrop table b;\n");
  }
  std::string dbmate_rows() const {
    return query_value(
        "select coalesce(string_agg(version, ',' order by version), '') from "
        "public.schema_migrations");
  }
};

TEST_F(Alternating, DownOfAnAdoptedVersionTakesItOutOfTheToolsTable) {
  dbmate_project(false);
  // dbmate applied a.
  connect().exec(
      "create table a (id int); create table public.schema_migrations (version varchar primary "
      "key); insert into public.schema_migrations values ('20240101000000');");
  ASSERT_EQ(strata({"up", "--to", "20240101000000"}).exit_code, 0);
  auto down = strata({"down"});
  ASSERT_EQ(down.exit_code, 0) << down.output;
  EXPECT_EQ(exists("public.a"), "f");
  EXPECT_EQ(dbmate_rows(), "") << "dbmate must not say a is applied";
  auto st = strata({"status"});
  EXPECT_EQ(st.exit_code, 3) << st.output;  // both pending, not adopted again
  ASSERT_EQ(strata({"up"}).exit_code, 0);
  EXPECT_EQ(exists("public.a"), "t");
}

TEST_F(Alternating, AVersionTheMirroredToolRevertedIsPendingAgain) {
  dbmate_project(true);
  ASSERT_EQ(strata({"up"}).exit_code, 0);
  EXPECT_EQ(dbmate_rows(), "20240101000000,20240102000000");
  // `dbmate rollback`: b's down section, then its row.
  connect().exec(
      "drop table b; delete from public.schema_migrations where version = '20240102000000'");
  auto st = strata({"status"});
  EXPECT_EQ(st.exit_code, 3) << st.output;
  EXPECT_NE(st.output.find("no longer has it"), std::string::npos) << st.output;
  auto up = strata({"up"});
  ASSERT_EQ(up.exit_code, 0) << up.output;
  EXPECT_EQ(exists("public.b"), "t");
  EXPECT_EQ(dbmate_rows(), "20240101000000,20240102000000");
  EXPECT_EQ(strata({"status"}).exit_code, 0);
}

TEST_F(Alternating, MirrorTurnedOnLaterIsBackFilled) {
  dbmate_project(false);
  connect().exec(
      "create table a (id int); create table public.schema_migrations (version varchar primary "
      "key); insert into public.schema_migrations values ('20240101000000');");
  ASSERT_EQ(strata({"up"}).exit_code, 0);  // adopts a, applies b; dbmate's table lacks b
  EXPECT_EQ(dbmate_rows(), "20240101000000");
  dbmate_project(true);
  // Nothing to apply: `up` still fills the tool's table before it says so.
  auto up = strata({"up"});
  ASSERT_EQ(up.exit_code, 0) << up.output;
  EXPECT_NE(up.output.find("Mirror dbmate (public.schema_migrations): recorded 1 migration(s)"),
            std::string::npos)
      << up.output;
  EXPECT_EQ(dbmate_rows(), "20240101000000,20240102000000");
  // From now on the two alternate: the tool reverting b makes it pending for strata.
  connect().exec(
      "drop table b; delete from public.schema_migrations where version = '20240102000000'");
  EXPECT_EQ(strata({"status"}).exit_code, 3);
  // Mirroring turned off and on again: back-filled again, not read as reverted.
  ASSERT_EQ(strata({"up"}).exit_code, 0);
  dbmate_project(false);
  write("db/migrations/20240103000000_c.sql",
        "-- migrate:up\ncreate table c (id int);\n-- migrate:down\ndrop table c;\n");
  ASSERT_EQ(strata({"up"}).exit_code, 0);
  EXPECT_EQ(dbmate_rows(), "20240101000000,20240102000000");
  dbmate_project(true);
  auto again = strata({"up"});
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_EQ(dbmate_rows(), "20240101000000,20240102000000,20240103000000");
  EXPECT_EQ(strata({"status"}).exit_code, 0);
}

TEST_F(Alternating, RepairRevertedOfADirtyGolangMigrateVersion) {
  write("migrations/1_a.up.sql", "create table a (id int);\n");
  write("migrations/1_a.down.sql", "drop table a;\n");
  write("migrations/2_b.up.sql", "create table b (id int);\n");
  write("migrations/2_b.down.sql", "drop table b;\n");
  // golang-migrate applied 1, then 2 failed before its CREATE ran.
  connect().exec(
      "create table a (id int); create table public.schema_migrations (version bigint not null "
      "primary key, dirty boolean not null); insert into public.schema_migrations values (2, "
      "true);");
  EXPECT_EQ(strata({"up"}).exit_code, 4);
  auto repair = strata({"repair", "--status", "reverted", "2"});
  ASSERT_EQ(repair.exit_code, 0) << repair.output;
  EXPECT_EQ(query_value("select version || ' ' || dirty from public.schema_migrations"), "1 false")
      << "as `migrate force 1` leaves it";
  auto up = strata({"up"});
  ASSERT_EQ(up.exit_code, 0) << up.output;
  EXPECT_EQ(exists("public.b"), "t");
  EXPECT_EQ(history(), "1,2");
}

}  // namespace
