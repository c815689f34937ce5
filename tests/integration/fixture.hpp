// Integration test fixture: one real PostgreSQL 15 cluster per test binary (started by the
// suite itself, as the `postgres` user when run as root), one fresh database per test, a fresh
// project folder per test, and a helper that runs the real strata binary.
#pragma once
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
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

// A file's bytes ("" when it cannot be read).
std::string read_text(const std::filesystem::path& file);
// Every file directly in `dir`: file name -> its bytes.
std::map<std::string, std::string> files_in(const std::filesystem::path& dir);

class DbTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  db::Connection connect() const { return db::Connection::open(url); }
  std::string query_value(const std::string& sql) const;  // first column of first row
  // strata's history (strata.migrations): `column` of the rows matching `where` (SQL), joined
  // by ',' in version order; "" when there are none.
  std::string history(const std::string& where = "true",
                      const std::string& column = "version") const;
  // "t" when the relation (e.g. "public.items") exists, else "f".
  std::string exists(const std::string& relation) const;
  // Runs `strata <args> --db-url <url> --workdir <project>`.
  CliResult strata(std::vector<std::string> args, bool with_target = true) const;
  // Runs `strata <args> --db-url <db_url> --workdir <project>`: another database than this test's.
  CliResult strata_on(const std::string& db_url, std::vector<std::string> args) const;
  // strata's stdout alone (stderr dropped), with this test's target; `env` is put before the
  // command (e.g. "NO_COLOR=1").
  ProcessResult strata_stdout(std::vector<std::string> args, const std::string& env = "") const;
  // strata's stdout parsed as JSON (args carry `--output json` or `--json`); a test failure (and
  // an empty object) when the exit code is not `expected_exit` or the output is not JSON.
  nlohmann::json json(std::vector<std::string> args, int expected_exit = 0) const;
  // Another empty database `<dbname>_<suffix>` on the suite's cluster, dropped in TearDown, with
  // the compat layer when `compat` (as a fresh Supabase project has). Returns its URL.
  std::string extra_database(const std::string& suffix, bool compat);
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

 private:
  std::vector<std::string> extra_databases_;  // dropped in TearDown
};

}  // namespace strata::testing
