// Integration tests: a big seed file runs streamed (checked whole, then sent in bounded batches;
// the limits are lowered here so a small file takes that path) with an ordinary seed's
// guarantees: COPY FROM stdin data, its own BEGIN/COMMIT left to strata's transaction, an error
// in a late batch named file:line:col, and nothing of the seed kept when it fails.
#include <sstream>

#include "config/project.hpp"
#include "execute/executor.hpp"
#include "fixture.hpp"
#include "ops/seed.hpp"

using namespace strata::testing;

namespace {

class SeedStream : public DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    saved_ = strata::stream_limits();
    strata::set_stream_limits({4096, 1024});  // files of 4 KiB stream, in ~1 KiB batches
    write("strata.toml", "[migrations]\ndir = \"migrations\"\n[seed]\npaths = [\"seed.sql\"]\n");
    write("migrations/001_t.sql", "create table t (id int primary key, note text);\n");
    connect().exec("create table t (id int primary key, note text)");
  }
  void TearDown() override {
    strata::set_stream_limits(saved_);
    DbTest::TearDown();
  }
  std::string seed(int rows, const std::string& tail) {
    std::string s = "begin;\ncopy t (id, note) from stdin;\n1\tfrom copy\n\\.\n";
    for (int i = 2; i <= rows; ++i)
      s += "insert into t values (" + std::to_string(i) + ", 'row " + std::to_string(i) + "');\n";
    return s + tail + "commit;\n";
  }
  strata::SeedReport run() {
    strata::Project p = strata::load_project(project);
    auto conn = connect();
    std::ostringstream out;
    return strata::run_seeds(p, conn, false, out);
  }
  strata::StreamLimits saved_;
};

TEST_F(SeedStream, BigSeedRunsInBatches) {
  write("seed.sql", seed(300, ""));
  ASSERT_EQ(run().applied, 1);
  EXPECT_EQ(query_value("select count(*) || ' ' || min(note) from t"), "300 from copy");
}

TEST_F(SeedStream, ErrorInALateBatchNamesItsLineAndKeepsNothing) {
  write("seed.sql", seed(300, "insert into t values (1, 'duplicate');\n"));
  try {
    run();
    FAIL() << "the duplicate key must fail the seed";
  } catch (const strata::Error& e) {
    std::string what = e.what();
    if (e.position) what = e.position->file + ":" + std::to_string(e.position->line);
    EXPECT_NE(what.find("seed.sql:304"), std::string::npos) << e.what();
  }
  EXPECT_EQ(query_value("select count(*) from t"), "0");
  EXPECT_EQ(query_value("select count(*) from supabase_migrations.seed_files"), "0");
}

}  // namespace
