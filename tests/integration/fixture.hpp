// Integration test fixture: one real PostgreSQL 15 cluster per test binary (started by the
// suite itself, as the `postgres` user when run as root), one fresh database per test, a fresh
// project folder per test, and a helper that runs the real strata binary.
#pragma once
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "db/connection.hpp"
#include "devdb/cluster.hpp"
#include "util/process.hpp"

namespace strata::testing {

devdb::Cluster& cluster();
std::filesystem::path scenarios_dir();  // tests/scenarios (the acceptance scenarios)
// `integration_tests --cluster-start|--cluster-stop BASE N`: the N clusters BASE-0 ... BASE-(N-1)
// that ctest's tests share (each test holds one alone; see CMakeLists.txt).
int cluster_command(const std::string& command, const std::filesystem::path& base, int count);

struct CliResult {
  int exit_code;
  std::string output;
};

class DbTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  db::Connection connect() const { return db::Connection::open(url); }
  std::string query_value(const std::string& sql) const;  // first column of first row
  // Runs `strata <args> --db-url <url> --workdir <project>`.
  CliResult strata(std::vector<std::string> args, bool with_target = true) const;
  // Writes a file under the project folder.
  void write(const std::string& rel, const std::string& text) const;
  void copy_tree(const std::filesystem::path& from, const std::string& rel_to = "") const;
  // Copies tests/scenarios/<name> into the project and installs the compat layer.
  void use_scenario(const std::string& name);
  // Runs a SQL file with psql (relative paths are under the project), on `db_url` or this test's.
  CliResult psql_file(const std::filesystem::path& file, const std::string& db_url = "") const;
  // A scenario's check.sql (or any probe) succeeds and prints `ok_line`.
  void expect_check(const std::filesystem::path& file, const std::string& ok_line) const;
  // A snapshot of the user-visible catalog and the history, to prove something changed nothing.
  std::string snapshot() const;

  std::string dbname;
  std::string url;
  std::filesystem::path project;
  std::filesystem::path scenario;  // set by use_scenario
};

}  // namespace strata::testing
