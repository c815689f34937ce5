// Integration tests for the commands whose logic moved from src/cli/ to src/ops/ (issue 13):
// `new`, `validate`, `db diff` and `lint` with `--output json` (the shapes of docs/output.md),
// the one "write the next migration" helper (two `strata new` at once, `db diff -f` checks the
// name and `[migrations] order` as `new` does), and `up`'s progress: plain lines on a pipe,
// the start line replaced in place on a terminal (a pseudo-terminal from `script`), NO_COLOR,
// and the lock-wait line while this test's own session holds the migration lock.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "config/project.hpp"
#include "execute/lock.hpp"
#include "fixture.hpp"

using namespace strata::testing;
using strata::run_process;
namespace fs = std::filesystem;

namespace {

std::string shq(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

class ToolingOps : public DbTest {
 protected:
  std::vector<std::string> with_target(std::vector<std::string> args) const {
    args.insert(args.end(), {"--db-url", url, "--workdir", project.string()});
    return args;
  }
  // The shell command running strata on a pseudo-terminal (util-linux `script`), stdout and
  // stderr both on it; `env` is prefixed (e.g. "NO_COLOR=1").
  std::string on_tty(std::vector<std::string> args, const std::string& env) const {
    std::string cmd = "TERM=xterm " + env + " exec " + shq(STRATA_BIN);
    for (const auto& a : with_target(std::move(args))) cmd += " " + shq(a);
    return "script -qefc " + shq(cmd) + " /dev/null 2>&1";
  }
  std::vector<std::string> files() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(project / "supabase/migrations"))
      names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }
  void two_migrations() {
    write("supabase/migrations/001_a.sql", "create table a (id int primary key);\n");
    write("supabase/migrations/002_b.sql", "insert into a values (1), (2);\n");
  }
};

TEST_F(ToolingOps, NewJsonShapeAndTheChecksOfTheHelper) {
  fs::create_directories(project / "supabase/migrations");
  auto j = json({"new", "add_notes", "--output", "json"}, 0);
  ASSERT_TRUE(j.contains("file") && j.contains("version") && j.contains("name")) << j.dump();
  EXPECT_EQ(j["name"], "add_notes");
  EXPECT_EQ(j["version"].get<std::string>().size(), 14u);
  EXPECT_TRUE(fs::exists(project / j["file"].get<std::string>())) << j.dump();
  EXPECT_EQ(j["file"],
            fmt::format("supabase/migrations/{}_add_notes.sql", j["version"].get<std::string>()));
  EXPECT_EQ(strata_stdout({"new", "Bad-Name"}).exit_code, 2);
  EXPECT_EQ(files().size(), 1u);  // no temporary file left behind either
}

// `strata new` run several times at once: every file gets its own version.
TEST_F(ToolingOps, NewRunManyAtOnceNeverWritesTheSameVersion) {
  fs::create_directories(project / "supabase/migrations");
  std::string cmd;
  for (int i = 0; i < 6; ++i)
    cmd += fmt::format("{} new m{} --workdir {} >/dev/null 2>&1 & ", shq(STRATA_BIN), i,
                       shq(project.string()));
  auto r = run_process({"/bin/sh", "-c", cmd + "wait"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::set<std::string> versions;
  for (const auto& f : files()) versions.insert(f.substr(0, f.find('_')));
  EXPECT_EQ(files().size(), 6u);
  EXPECT_EQ(versions.size(), 6u);
}

TEST_F(ToolingOps, ValidateJsonShape) {
  two_migrations();
  ASSERT_EQ(strata({"up"}).exit_code, 0);
  auto ok = json({"validate", "--output", "json"}, 0);
  EXPECT_EQ(ok["ok"], true);
  EXPECT_TRUE(ok["problems"].empty());
  EXPECT_TRUE(ok["notes"].is_array());
  write("supabase/migrations/002_b.sql", "insert into a values (3);\n");
  auto j = json({"validate", "--json"}, 4);
  EXPECT_EQ(j["ok"], false);
  ASSERT_EQ(j["problems"].size(), 1u);
  EXPECT_EQ(j["problems"][0]["state"], "modified");
  EXPECT_EQ(j["problems"][0]["version"], "002");
  EXPECT_EQ(j["problems"][0]["file"], "supabase/migrations/002_b.sql");
  EXPECT_NE(j["problems"][0]["message"].get<std::string>().find("modified since it was applied"),
            std::string::npos);
  // The text output is the same lines.
  auto text = strata_stdout({"validate"});
  EXPECT_NE(text.output.find("002_b.sql: modified since it was applied"), std::string::npos);
}

TEST_F(ToolingOps, DbDiffJsonShapeAndWritingTheMigration) {
  write("supabase/migrations/001_a.sql", "create table a (id int primary key);\n");
  ASSERT_EQ(strata({"up"}).exit_code, 0);
  connect().exec("create table b (id int)");
  auto j = json({"db", "diff", "--output", "json"}, 4);
  for (const char* k : {"from", "to", "changes", "sql", "destructive", "repairs"})
    EXPECT_TRUE(j.contains(k)) << k << " in " << j.dump();
  ASSERT_FALSE(j["changes"].empty());
  nlohmann::json table;
  for (const auto& c : j["changes"])
    if (c["kind"] == "table") table = c;
  EXPECT_EQ(table["action"], "create") << j.dump();
  EXPECT_EQ(table["name"], "public.b") << j.dump();
  EXPECT_EQ(table["destructive"], false);
  EXPECT_FALSE(j.contains("file"));
  EXPECT_EQ(json({"db", "diff", "--format", "json"}, 4), j);  // --format json: the same
  // A bad name is refused before any work, as `strata new` refuses it.
  EXPECT_EQ(strata_stdout({"db", "diff", "-f", "Capture"}).exit_code, 2);
  auto w = json({"db", "diff", "-f", "capture_b", "--json"}, 0);
  ASSERT_TRUE(w.contains("file") && w.contains("version")) << w.dump();
  EXPECT_EQ(w["file"],
            fmt::format("supabase/migrations/{}_capture_b.sql", w["version"].get<std::string>()));
  EXPECT_EQ(w["version"], "002");  // the next sequential version, as `strata new` picks it
  ASSERT_TRUE(fs::exists(project / w["file"].get<std::string>()));
  EXPECT_EQ(files().size(), 2u);
}

TEST_F(ToolingOps, DbDiffFileRefusesAnOrderedProjectAsNewDoes) {
  write("strata.toml", "[migrations]\ndir = \"supabase/migrations\"\norder = [\"001_a.sql\"]\n");
  write("supabase/migrations/001_a.sql", "create table a (id int primary key);\n");
  ASSERT_EQ(strata({"up"}).exit_code, 0);
  connect().exec("create table b (id int)");
  EXPECT_EQ(strata_stdout({"new", "x"}).exit_code, 8);
  auto r = strata({"db", "diff", "-f", "capture_b"});
  EXPECT_EQ(r.exit_code, 8) << r.output;
  EXPECT_NE(r.output.find("[migrations] order"), std::string::npos) << r.output;
  EXPECT_EQ(files().size(), 1u);
}

TEST_F(ToolingOps, LintJsonShapeWithOutputAndFormat) {
  write("supabase/migrations/001_a.sql", "drop table legacy;\n");
  auto j = json({"lint", "--output", "json"}, 1);
  ASSERT_TRUE(j.contains("diagnostics") && j.contains("summary")) << j.dump();
  ASSERT_FALSE(j["diagnostics"].empty());
  const auto& d = j["diagnostics"][0];
  for (const char* k : {"rule", "severity", "message", "help", "file", "line", "column"})
    EXPECT_TRUE(d.contains(k)) << k << " in " << d.dump();
  EXPECT_EQ(d["rule"], "ban-drop-table");
  EXPECT_EQ(d["file"], "supabase/migrations/001_a.sql");
  EXPECT_EQ(json({"lint", "--json"}, 1), j);
  EXPECT_EQ(json({"lint", "--format", "json"}, 1), j);
}

// `strata lint` finds its database as every command does: libpq's PG* variables name one too
// (then the applied migration is not linted; without a database every migration is).
TEST_F(ToolingOps, LintResolvesItsDatabaseAsOtherCommands) {
  connect().exec("create table legacy (id bigint)");
  write("supabase/migrations/001_a.sql", "drop table legacy;\n");
  ASSERT_EQ(strata({"up"}).exit_code, 0);
  const auto& o = cluster().options();
  auto lint = [&](const std::string& env) {
    return run_process({"/bin/sh", "-c",
                        "unset DATABASE_URL PGHOST PGPORT PGDATABASE PGUSER PGSERVICE; " + env +
                            " exec \"$@\" 2>&1",
                        "sh", STRATA_BIN, "lint", "--workdir", project.string()});
  };
  auto with_pg = lint(fmt::format("PGHOST={} PGPORT={} PGDATABASE={} PGUSER=postgres",
                                  shq(o.socket_dir.string()), o.port, dbname));
  EXPECT_EQ(with_pg.exit_code, 0) << with_pg.output;
  EXPECT_EQ(with_pg.output.find("ban-drop-table"), std::string::npos) << with_pg.output;
  EXPECT_EQ(with_pg.output.find("no database"), std::string::npos) << with_pg.output;
  auto none = lint("");
  EXPECT_EQ(none.exit_code, 1) << none.output;
  EXPECT_NE(none.output.find("ban-drop-table"), std::string::npos) << none.output;
  EXPECT_NE(none.output.find("no database"), std::string::npos) << none.output;
}

// A reset that fails after it dropped the database's content says, in its error, that the
// database is half-built and how to recover.
TEST_F(ToolingOps, FailedResetSaysToRunItAgain) {
  write("supabase/migrations/001_a.sql", "create table a (id int);\n");
  write("supabase/migrations/002_b.sql", "select 1 / 0;\n");
  auto r = strata({"db", "reset", "--force", "--no-seed"});
  EXPECT_EQ(r.exit_code, 5) << r.output;
  EXPECT_NE(r.output.find("hint: "), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("the database (its user schemas were dropped) is half-built: fix the "
                          "cause, then run `strata db reset --force` again"),
            std::string::npos)
      << r.output;
  // Refused before anything was dropped: no such hint.
  auto refused = strata({"db", "reset"});
  EXPECT_EQ(refused.exit_code, 2) << refused.output;
  EXPECT_EQ(refused.output.find("half-built"), std::string::npos) << refused.output;
}

TEST_F(ToolingOps, UpOnAPipePrintsPlainLines) {
  two_migrations();
  auto r = strata_stdout({"up"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.find("Applying"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find('\x1b'), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("Applied supabase/migrations/001_a.sql"), std::string::npos);
  // --progress on a pipe: one plain line per migration as it starts, no escape codes.
  write("supabase/migrations/003_c.sql", "insert into a values (3);\n");
  auto p = strata_stdout({"up", "--progress"});
  EXPECT_NE(p.output.find("Applying supabase/migrations/003_c.sql ...\nApplied "
                          "supabase/migrations/003_c.sql"),
            std::string::npos)
      << p.output;
  EXPECT_EQ(p.output.find('\x1b'), std::string::npos) << p.output;
  // JSON: nothing but the document on stdout, also with --progress.
  write("supabase/migrations/004_d.sql", "insert into a values (4);\n");
  auto j = json({"up", "--output", "json", "--progress"}, 0);
  EXPECT_EQ(j["applied"].size(), 1u);
}

TEST_F(ToolingOps, UpOnATerminalReplacesTheStartLineWithoutColourUnderNoColor) {
  two_migrations();
  auto r = run_process({"/bin/sh", "-c", on_tty({"up"}, "NO_COLOR=1")});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  // The start line, then (erased in place) its result; a slow run may redraw the start line
  // with its elapsed seconds in between.
  size_t start = r.output.find("Applying supabase/migrations/001_a.sql ...");
  ASSERT_NE(start, std::string::npos) << r.output;
  EXPECT_NE(r.output.find("\r\x1b[KApplied supabase/migrations/001_a.sql", start),
            std::string::npos)
      << r.output;
  EXPECT_EQ(r.output.find("\x1b[2m"), std::string::npos) << r.output;  // no colour
}

// This test's session holds the migration lock for the whole run of `strata up` on a terminal:
// the lock-wait line appears (after 1 s), then the test releases the lock and the run finishes.
TEST_F(ToolingOps, UpOnATerminalNamesTheLockHolderWhileItWaits) {
  two_migrations();
  auto holder = connect();
  holder.exec("SET application_name = 'tooling-test-holder'");
  std::string pid = holder.exec("SELECT pg_backend_pid()").get(0, 0);
  std::string key =
      std::to_string(strata::MigrationLock::key_for(strata::load_project(project).lock_scope()));
  holder.exec_params("SELECT pg_advisory_lock($1::bigint)", {key});
  // The lock timeout is only a bound on a broken run: the test never waits for it.
  FILE* f = popen(on_tty({"up", "--lock-timeout", "120"}, "").c_str(), "r");
  ASSERT_NE(f, nullptr);
  const std::string line = fmt::format(
      "waiting for the migration lock held by pid {} (tooling-test-holder, since ", pid);
  std::string seen;
  char buf[4096];
  while (seen.find(line) == std::string::npos) {
    ssize_t n = read(fileno(f), buf, sizeof buf);
    if (n <= 0) break;
    seen.append(buf, static_cast<size_t>(n));
  }
  EXPECT_NE(seen.find(line), std::string::npos) << seen;
  EXPECT_EQ(seen.find("Applied"), std::string::npos) << seen;  // nothing ran while it waited
  holder.exec_params("SELECT pg_advisory_unlock($1::bigint)", {key});
  for (ssize_t n; (n = read(fileno(f), buf, sizeof buf)) > 0;) seen.append(buf, n);
  int status = pclose(f);
  EXPECT_EQ(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0) << seen;
  EXPECT_NE(seen.find("giving up after 120 s (--lock-timeout)"), std::string::npos) << seen;
  // Colour allowed (no NO_COLOR): the start line is dim, then replaced by the result.
  size_t start = seen.find("\x1b[2mApplying supabase/migrations/002_b.sql ...\x1b[0m");
  ASSERT_NE(start, std::string::npos) << seen;
  EXPECT_NE(seen.find("\r\x1b[KApplied supabase/migrations/002_b.sql", start), std::string::npos)
      << seen;
}

}  // namespace
