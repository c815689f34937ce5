// The cluster lifecycle (a gtest Environment), per-test databases and projects.
#include "fixture.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>

namespace fs = std::filesystem;

namespace strata::testing {
namespace {

std::unique_ptr<devdb::Cluster> g_cluster;
fs::path g_root;

// The cluster: ctest starts one for the whole run (`integration_tests --cluster-start DIR`, a
// FIXTURES_SETUP entry) and names it in STRATA_TEST_CLUSTER; a binary run by hand starts its own.
devdb::ClusterOptions cluster_options(const fs::path& root, int port) {
  devdb::ClusterOptions o;
  o.data_dir = root / "pg" / "data";
  o.socket_dir = root / "sock";
  o.port = port;
  o.listen_tcp = false;
  o.fast = true;
  return o;
}

void make_root(const fs::path& root) {
  fs::create_directories(root);
  fs::permissions(root, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                            fs::perms::others_read | fs::perms::others_exec);
}

// Ports 50000-55999, away from the local-database tests' own ports (57000-59999).
int port_for(const fs::path& root) {
  return 50000 + static_cast<int>(std::hash<std::string>{}(root.string()) % 6000);
}

// ctest's cluster set STRATA_TEST_CLUSTER names BASE; its clusters are BASE-0 ... BASE-(N-1).
// ctest gives a test its cluster as the resource CTEST_RESOURCE_GROUP_0_CLUSTER="id:K,slots:1"
// (no resource spec given: cluster 0, tests one at a time).
fs::path shared_cluster(const char* base) {
  std::string id = "0";
  if (const char* group = std::getenv("CTEST_RESOURCE_GROUP_0_CLUSTER")) {
    std::string g = group;
    auto at = g.find("id:");
    if (at != std::string::npos) id = g.substr(at + 3, g.find(',', at) - at - 3);
  }
  return fs::path(std::string(base) + "-" + id);
}

class ClusterEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    if (const char* shared = std::getenv("STRATA_TEST_CLUSTER")) {
      g_root = shared_cluster(shared);
      owner_ = false;
    } else {
      g_root = fs::path("/tmp") / fmt::format("strata-it-{}", getpid());
      fs::remove_all(g_root);
      make_root(g_root);
      owner_ = true;
    }
    g_cluster = std::make_unique<devdb::Cluster>(cluster_options(g_root, port_for(g_root)));
    if (owner_ || !g_cluster->running()) g_cluster->start();
  }
  void TearDown() override {
    if (!owner_) return;
    if (g_cluster) {
      try {
        g_cluster->stop();
      } catch (...) {
      }
    }
    fs::remove_all(g_root);
  }

 private:
  bool owner_ = true;
};

[[maybe_unused]] ::testing::Environment* const env =
    ::testing::AddGlobalTestEnvironment(new ClusterEnvironment);

std::string sanitize(std::string s) {
  for (char& c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return s.substr(0, 50);
}

}  // namespace

int cluster_command(const std::string& command, const fs::path& base, int count) {
  try {
    for (int i = 0; i < count; ++i) {
      fs::path root = base.string() + "-" + std::to_string(i);
      if (command == "start") {
        fs::remove_all(root);
        make_root(root);
        devdb::Cluster(cluster_options(root, port_for(root))).start();
      } else {
        devdb::Cluster(cluster_options(root, port_for(root))).stop();
        fs::remove_all(root);
      }
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cluster %s: %s\n", command.c_str(), e.what());
    return 1;
  }
}

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::map<std::string, std::string> files_in(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file()) out[e.path().filename().string()] = read_text(e.path());
  return out;
}

devdb::Cluster& cluster() {
  return *g_cluster;
}

fs::path scenarios_dir() {
  // tests/scenarios: the acceptance scenarios, copied into the repository from the seeds.
  return fs::path(STRATA_SOURCE_DIR) / "tests" / "scenarios";
}

void DbTest::SetUp() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  dbname = sanitize(fmt::format("t_{}_{}", info->test_suite_name(), info->name()));
  auto admin = db::Connection::open(cluster().url("postgres"));
  admin.exec(fmt::format("DROP DATABASE IF EXISTS {} WITH (FORCE)", dbname));
  admin.exec(fmt::format("CREATE DATABASE {} TEMPLATE template0", dbname));
  url = cluster().url(dbname);
  project = g_root / "projects" / dbname;
  fs::remove_all(project);
  fs::create_directories(project);
}

void DbTest::TearDown() {
  extra_databases_.push_back(dbname);
  for (const auto& db : extra_databases_) {
    try {
      auto admin = db::Connection::open(cluster().url("postgres"));
      admin.exec(fmt::format("DROP DATABASE IF EXISTS {} WITH (FORCE)", db));
    } catch (...) {
    }
  }
  fs::remove_all(project);
}

std::string DbTest::extra_database(const std::string& suffix, bool compat) {
  std::string name = dbname + "_" + suffix;
  auto admin = db::Connection::open(cluster().url("postgres"));
  admin.exec(fmt::format("DROP DATABASE IF EXISTS {} WITH (FORCE)", name));
  admin.exec(fmt::format("CREATE DATABASE {} TEMPLATE template0", name));
  extra_databases_.push_back(name);
  std::string db_url = cluster().url(name);
  if (compat) {
    auto r = strata_on(db_url, {"compat", "install"});
    EXPECT_EQ(r.exit_code, 0) << r.output;
  }
  return db_url;
}

std::string DbTest::history(const std::string& where, const std::string& column) const {
  return query_value(fmt::format(
      "select coalesce(string_agg(({})::text, ',' order by version), '') from strata.migrations "
      "where {}",
      column, where));
}

std::string DbTest::exists(const std::string& relation) const {
  auto c = connect();
  return c.exec_params("select to_regclass($1) is not null", {relation}).get(0, 0);
}

std::string DbTest::query_value(const std::string& sql) const {
  auto c = connect();
  auto r = c.exec(sql);
  return r.rows() ? r.get(0, 0) : std::string();
}

CliResult DbTest::strata(std::vector<std::string> args, bool with_target) const {
  std::vector<std::string> argv = {STRATA_BIN};
  argv.insert(argv.end(), args.begin(), args.end());
  if (with_target) {
    argv.push_back("--db-url");
    argv.push_back(url);
    argv.push_back("--workdir");
    argv.push_back(project.string());
  }
  auto r = run_process(argv);
  return {r.exit_code, r.output};
}

CliResult DbTest::strata_on(const std::string& db_url, std::vector<std::string> args) const {
  args.insert(args.end(), {"--db-url", db_url, "--workdir", project.string()});
  return strata(std::move(args), false);
}

ProcessResult DbTest::strata_stdout(std::vector<std::string> args, const std::string& env) const {
  std::vector<std::string> argv = {"/bin/sh", "-c", env + " exec \"$@\" 2>/dev/null", "sh",
                                   STRATA_BIN};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), {"--db-url", url, "--workdir", project.string()});
  return run_process(argv);
}

nlohmann::json DbTest::json(std::vector<std::string> args, int expected_exit) const {
  auto r = strata_stdout(std::move(args));
  EXPECT_EQ(r.exit_code, expected_exit) << r.output;
  try {
    return nlohmann::json::parse(r.output);
  } catch (const std::exception& e) {
    ADD_FAILURE() << e.what() << ":\n" << r.output;
    return nlohmann::json::object();
  }
}

void DbTest::write(const std::string& rel, const std::string& text) const {
  fs::path p = project / rel;
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out << text;
}

void DbTest::copy_tree(const fs::path& from, const std::string& rel_to) const {
  // The project's files only: a `.strata/` state folder (a local database that
  // `scripts/run.sh` started in examples/) is not part of it.
  fs::path to = project / rel_to;
  fs::create_directories(to);
  for (auto it = fs::recursive_directory_iterator(from); it != fs::recursive_directory_iterator();
       ++it) {
    if (it->is_directory() && it->path().filename() == ".strata") {
      it.disable_recursion_pending();
      continue;
    }
    fs::path dest = to / fs::relative(it->path(), from);
    if (it->is_directory())
      fs::create_directories(dest);
    else
      fs::copy_file(it->path(), dest, fs::copy_options::overwrite_existing);
  }
}

void DbTest::use_scenario(const std::string& name) {
  scenario = scenarios_dir() / name;
  ASSERT_TRUE(fs::is_directory(scenario)) << scenario;
  copy_tree(scenario);
  auto r = strata({"compat", "install"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

CliResult DbTest::psql_file(const fs::path& file, const std::string& db_url) const {
  fs::path path = file.is_absolute() ? file : project / file;
  auto r = run_process({"psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-f", path.string(),
                        db_url.empty() ? url : db_url});
  return {r.exit_code, r.output};
}

void DbTest::expect_check(const fs::path& file, const std::string& ok_line) const {
  auto r = psql_file(file);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find(ok_line), std::string::npos) << r.output;
}

std::string DbTest::snapshot() const {
  bool history = query_value("select to_regclass('strata.migrations') is not null") == "t";
  std::string hist_sql = history ? "UNION ALL SELECT 'hist ' || coalesce((SELECT "
                                   "string_agg(format('%s/%s/%s/%s', source, version, "
                                   "checksum, statements_applied), ',' ORDER BY source, version) "
                                   "FROM strata.migrations), '')"
                                 : "";
  return query_value(R"(
    SELECT string_agg(x, E'\n' ORDER BY x) FROM (
      SELECT format('%s.%s %s', n.nspname, c.relname, c.relkind) AS x FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
      UNION ALL SELECT format('col %s.%s %s', attrelid::regclass, attname, format_type(atttypid, atttypmod))
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE attnum > 0 AND NOT attisdropped AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
      UNION ALL SELECT format('fn %s', p.oid::regprocedure) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
      )" + hist_sql + ") s");
}

}  // namespace strata::testing
