// Integration test: a second `strata migration squash` over a first one carries the first one's
// `squash-of` lines (`via` it), so a database that never ran `up` between the two squashes, one
// that recorded the first squash, and a fresh one all end at the same schema with a clean status.
#include "fixture.hpp"

using namespace strata::testing;

namespace {

class SquashChain : public DbTest {
 protected:
  std::string history(const std::string& db) const {
    return strata::db::Connection::open(db)
        .exec("select string_agg(version, ',' order by version) from strata.migrations")
        .get(0, 0);
  }
};

TEST_F(SquashChain, SecondSquashMatchesEveryDatabase) {
  write("strata.toml", "[migrations]\ndir = \"migrations\"\n");
  write("migrations/001_a.sql", "create table a (id int primary key, v text);\n");
  write("migrations/002_b.sql", "insert into a values (1, 'one');\n");
  write("migrations/003_c.sql", "alter table a add column w int;\n");
  write("migrations/004_d.sql", "create table d (id int);\n");
  ASSERT_EQ(strata({"up"}).exit_code, 0);  // this database: the four original files
  auto first = strata({"migration", "squash", "--version", "002"});
  ASSERT_EQ(first.exit_code, 0) << first.output;
  std::string recorded =
      extra_database("recorded", false);  // runs `up` after the first squash only
  ASSERT_EQ(strata_on(recorded, {"up"}).exit_code, 0);
  EXPECT_EQ(history(recorded), "002,003,004");

  auto second = strata({"migration", "squash"});
  ASSERT_EQ(second.exit_code, 0) << second.output;
  std::string fresh = extra_database("fresh", false);
  for (const std::string& db : {url, recorded, fresh}) {
    auto up = strata_on(db, {"up"});
    ASSERT_EQ(up.exit_code, 0) << db << "\n" << up.output;
    EXPECT_EQ(history(db), "004") << db;
    auto st = strata_on(db, {"status"});
    EXPECT_EQ(st.exit_code, 0) << db << "\n" << st.output;
    EXPECT_EQ(strata::db::Connection::open(db)
                  .exec("select count(*) || ' ' || string_agg(v, ',') from a")
                  .get(0, 0),
              "1 one")
        << db;
  }
}

}  // namespace
