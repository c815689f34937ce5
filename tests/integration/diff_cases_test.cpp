// Integration tests, as data: one folder per case under tests/fixtures/diff/<case>/ with
// before.sql (what the migrations build) and change.sql (a change made by hand). For each case,
// against the real server and the real strata binary:
//  - Forward: database A = before + change; project = [before]; `db diff -f captured`; a fresh
//    database from before + the captured file has the same `pg_dump --schema-only` as A.
//  - Reverse: database = before; project = [before, change] (the migrations ahead); the captured
//    file applied after before + change gives the database's dump back.
//  - NoDrift: project = [before, change] and the database built from the same files: exit 0.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "fixture.hpp"

namespace fs = std::filesystem;
using namespace strata::testing;

namespace {

const char* kPgDump = "/usr/lib/postgresql/15/bin/pg_dump";

fs::path cases_dir() {
  return fs::path(STRATA_FIXTURES) / "diff";
}

std::vector<std::string> case_names() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(cases_dir()))
    if (e.is_directory() && fs::exists(e.path() / "before.sql")) out.push_back(e.path().filename());
  std::sort(out.begin(), out.end());
  return out;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class DiffCase : public DbTest, public ::testing::WithParamInterface<std::string> {
 protected:
  void TearDown() override {
    auto admin = strata::db::Connection::open(cluster().url("postgres"));
    for (const auto& d : extra_)
      admin.exec(fmt::format("DROP DATABASE IF EXISTS {} WITH (FORCE)", d));
    DbTest::TearDown();
  }

  fs::path file(const char* name) const { return cases_dir() / GetParam() / name; }

  // A fresh database named after this test and `suffix`; returns its URL.
  std::string new_db(const std::string& suffix) {
    std::string name = (dbname.substr(0, 40) + "_" + suffix);
    auto admin = strata::db::Connection::open(cluster().url("postgres"));
    admin.exec(fmt::format("DROP DATABASE IF EXISTS {} WITH (FORCE)", name));
    admin.exec(fmt::format("CREATE DATABASE {} TEMPLATE template0", name));
    extra_.push_back(name);
    return cluster().url(name);
  }

  void apply(const fs::path& f, const std::string& db_url) {
    auto r = strata::run_process(
        {"psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-1", "-f", f.string(), db_url});
    ASSERT_EQ(r.exit_code, 0) << f << ":\n" << r.output;
  }

  std::vector<std::string> dump(const std::string& db_url) {
    auto r = strata::run_process({kPgDump, "--schema-only", db_url});
    EXPECT_EQ(r.exit_code, 0) << r.output;
    std::vector<std::string> lines;
    std::istringstream in(r.output);
    for (std::string line; std::getline(in, line);) {
      // pg_dump 15.14+ frames its output with a random \restrict key.
      if (line.starts_with("\\restrict") || line.starts_with("\\unrestrict")) continue;
      lines.push_back(line);
    }
    return lines;
  }

  // Runs `db diff -f captured` and returns the written file (fails the test when none).
  fs::path capture() {
    auto r = strata({"db", "diff", "-f", "captured"});
    EXPECT_EQ(r.exit_code, 0) << r.output;
    for (const auto& e : fs::directory_iterator(project / "supabase" / "migrations"))
      if (e.path().filename().string().ends_with("_captured.sql")) {
        captured_report_ = r.output;
        return e.path();
      }
    ADD_FAILURE() << "no captured file; strata said:\n" << r.output;
    return {};
  }

  void expect_same_schema(const std::string& want_url, const std::string& got_url,
                          const fs::path& captured) {
    auto want = dump(want_url), got = dump(got_url);
    std::string residual;
    std::vector<std::string> a = want, b = got;
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    std::vector<std::string> only_a, only_b;
    std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(only_a));
    std::set_difference(b.begin(), b.end(), a.begin(), a.end(), std::back_inserter(only_b));
    for (const auto& l : only_a) residual += "< " + l + "\n";
    for (const auto& l : only_b) residual += "> " + l + "\n";
    EXPECT_TRUE(want == got) << "residual (< wanted, > got):\n"
                             << residual << "\ncaptured file:\n"
                             << slurp(captured) << "\nreport:\n"
                             << captured_report_;
  }

  std::vector<std::string> extra_;
  std::string captured_report_;
};

TEST_P(DiffCase, Forward) {
  apply(file("before.sql"), url);
  apply(file("change.sql"), url);
  write("supabase/migrations/001_before.sql", slurp(file("before.sql")));
  fs::path captured = capture();
  ASSERT_FALSE(captured.empty());
  std::string fresh = new_db("b");
  apply(file("before.sql"), fresh);
  apply(captured, fresh);
  expect_same_schema(url, fresh, captured);
}

TEST_P(DiffCase, Reverse) {
  apply(file("before.sql"), url);
  write("supabase/migrations/001_before.sql", slurp(file("before.sql")));
  write("supabase/migrations/002_change.sql", slurp(file("change.sql")));
  fs::path captured = capture();
  ASSERT_FALSE(captured.empty());
  std::string fresh = new_db("b");
  apply(file("before.sql"), fresh);
  apply(file("change.sql"), fresh);
  apply(captured, fresh);
  expect_same_schema(url, fresh, captured);
}

TEST_P(DiffCase, NoDrift) {
  apply(file("before.sql"), url);
  apply(file("change.sql"), url);
  write("supabase/migrations/001_before.sql", slurp(file("before.sql")));
  write("supabase/migrations/002_change.sql", slurp(file("change.sql")));
  auto r = strata({"db", "diff"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("No drift"), std::string::npos) << r.output;
  // The general form: the database against itself.
  auto self = strata({"db", "diff", "--from", url, "--to", url});
  EXPECT_EQ(self.exit_code, 0) << self.output;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, DiffCase, ::testing::ValuesIn(case_names()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
