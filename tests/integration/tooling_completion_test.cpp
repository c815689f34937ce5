// Integration tests for `strata completion bash|zsh|fish` and the hidden `strata __complete`:
// each script parses in its shell (bash -n, zsh -n, fish -n), bash and fish complete commands,
// options, fixed choices and the project's version numbers when driven like the shell does.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "fixture.hpp"

namespace fs = std::filesystem;
using namespace strata::testing;
using strata::run_process;

namespace {

class Completion : public DbTest {
 protected:
  fs::path script(const std::string& shell) {
    auto r = run_process(
        {"/bin/sh", "-c", "exec \"$0\" completion \"$1\" 2>/dev/null", STRATA_BIN, shell});
    EXPECT_EQ(r.exit_code, 0) << r.output;
    fs::path p = project / ("completion." + shell);
    std::ofstream(p) << r.output;
    return p;
  }
  static bool have(const std::string& exe) {
    return run_process({"/bin/sh", "-c", "command -v \"$0\" >/dev/null", exe}).exit_code == 0;
  }
  // What bash offers for the words typed so far (the last word is the one being completed).
  std::string bash_complete(const std::vector<std::string>& words) {
    std::string arr;
    for (const auto& w : words) arr += " '" + w + "'";
    std::string cmd = fmt::format(
        "source '{}'; COMP_WORDS=('{}'{}); COMP_CWORD={}; _strata; printf '%s\\n' "
        "\"${{COMPREPLY[@]}}\"",
        script("bash").string(), STRATA_BIN, arr, words.size());
    auto r = run_process({"bash", "-c", cmd});
    EXPECT_EQ(r.exit_code, 0) << r.output;
    return r.output;
  }
  void add_migrations() {
    write("supabase/migrations/20250101000000_init.sql", "create table a (id int);\n");
    write("supabase/migrations/20250102000000_more.sql", "create table b (id int);\n");
  }
};

TEST_F(Completion, BashScriptParses) {
  auto r = run_process({"bash", "-n", script("bash").string()});
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

TEST_F(Completion, ZshScriptParses) {
  if (!have("zsh")) GTEST_SKIP() << "zsh not installed (apt-get install zsh)";
  fs::path p = script("zsh");
  auto r = run_process({"zsh", "-n", p.string()});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  std::ifstream in(p);
  std::string first;
  std::getline(in, first);
  EXPECT_EQ(first, "#compdef strata");
}

TEST_F(Completion, ZshOffersVersionsSubcommandsAndOptions) {
  if (!have("zsh")) GTEST_SKIP() << "zsh not installed (apt-get install zsh)";
  add_migrations();
  // Outside an interactive shell the completion system is absent: stand-ins for _describe and
  // compadd print what they are given, so the script's own logic is what is tested.
  auto run = [&](const std::string& words, int current) {
    std::string cmd = fmt::format(
        "compdef() {{}}; _describe() {{ print -l -- \"${{(@P)${{@[-1]}}}}\"; }}; "
        "_directories() {{}}; _files() {{}}; _message() {{}}; "
        "compadd() {{ shift; print -l -- \"${{(@P)1}}\"; }}; source '{}'; words=({}); "
        "CURRENT={}; _strata",
        script("zsh").string(), words, current);
    auto r = run_process({"zsh", "-c", cmd});
    EXPECT_EQ(r.exit_code, 0) << r.output;
    return r.output;
  };
  std::string v =
      run(fmt::format("'{}' --workdir '{}' up --to ''", STRATA_BIN, project.string()), 6);
  EXPECT_EQ(v, "20250101000000:init\n20250102000000:more\n");
  std::string db = run(fmt::format("'{}' db ''", STRATA_BIN), 3);
  EXPECT_NE(db.find("start:Start the project's local PostgreSQL"), std::string::npos) << db;
  std::string opts = run(fmt::format("'{}' doctor --", STRATA_BIN), 3);
  EXPECT_NE(opts.find("--output:Output format: text or json"), std::string::npos) << opts;
  EXPECT_EQ(run(fmt::format("'{}' repair --status ''", STRATA_BIN), 4), "applied\nreverted\n");
}

TEST_F(Completion, FishScriptParses) {
  if (!have("fish")) GTEST_SKIP() << "fish not installed (apt-get install fish)";
  auto r = run_process({"fish", "-n", script("fish").string()});
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

TEST_F(Completion, BashCompletesCommandsSubcommandsOptionsAndChoices) {
  std::string top = bash_complete({""});
  for (const char* c : {"up", "status", "doctor", "completion", "db", "migration"})
    EXPECT_NE(top.find(std::string(c) + "\n"), std::string::npos) << c << " in " << top;
  EXPECT_EQ(top.find("__complete"), std::string::npos);  // hidden
  std::string db = bash_complete({"db", "st"});
  EXPECT_NE(db.find("start\n"), std::string::npos) << db;
  EXPECT_NE(db.find("status\n"), std::string::npos) << db;
  EXPECT_NE(db.find("stop\n"), std::string::npos) << db;
  std::string opts = bash_complete({"up", "--"});
  for (const char* o : {"--to", "--dry-run", "--output", "--json", "--db-url", "--quiet"})
    EXPECT_NE(opts.find(std::string(o) + "\n"), std::string::npos) << o << " in " << opts;
  EXPECT_EQ(bash_complete({"repair", "--status", ""}), "applied\nreverted\n");
  EXPECT_EQ(bash_complete({"status", "--output", "j"}), "json\n");
}

TEST_F(Completion, BashCompletesVersionsForToRepairAndDown) {
  add_migrations();
  std::string wd = project.string();
  EXPECT_EQ(bash_complete({"--workdir", wd, "up", "--to", ""}), "20250101000000\n20250102000000\n");
  EXPECT_EQ(bash_complete({"--workdir", wd, "down", "--to", "202501020"}), "20250102000000\n");
  EXPECT_EQ(bash_complete({"--workdir", wd, "repair", "--status", "applied", "2025"}),
            "20250101000000\n20250102000000\n");
  EXPECT_EQ(bash_complete({"--workdir", wd, "migration", "repair", "20250101"}),
            "20250101000000\n");
}

TEST_F(Completion, FishCompletesVersionsAndSubcommands) {
  if (!have("fish")) GTEST_SKIP() << "fish not installed (apt-get install fish)";
  add_migrations();
  fs::path s = script("fish");
  // `complete -C` asks fish what it would offer for a command line; the function calls the
  // command named on that line, so name the binary under test through a symlink called strata.
  fs::path bin = project / "bin";
  fs::create_directories(bin);
  fs::create_symlink(STRATA_BIN, bin / "strata");
  auto run = [&](const std::string& line) {
    auto r = run_process({"fish", "-c",
                          fmt::format("set -x PATH '{}' $PATH; source '{}'; complete -C '{}'",
                                      bin.string(), s.string(), line)});
    EXPECT_EQ(r.exit_code, 0) << r.output;
    return r.output;
  };
  std::string v = run(fmt::format("strata --workdir {} up --to ", project.string()));
  EXPECT_NE(v.find("20250101000000\tinit"), std::string::npos) << v;
  EXPECT_NE(v.find("20250102000000\tmore"), std::string::npos) << v;
  std::string db = run("strata db ");
  EXPECT_NE(db.find("start\t"), std::string::npos) << db;
  EXPECT_EQ(db.find("up\t"), std::string::npos) << db;
}

TEST_F(Completion, VersionsHelperListsEveryFileAndStaysQuietWithoutAProject) {
  add_migrations();
  auto with = run_process({STRATA_BIN, "--workdir", project.string(), "__complete", "versions"});
  EXPECT_EQ(with.exit_code, 0);
  EXPECT_EQ(with.output, "20250101000000\tinit\n20250102000000\tmore\n");
  auto none = run_process(
      {STRATA_BIN, "--workdir", (project / "does-not-exist").string(), "__complete", "versions"});
  EXPECT_EQ(none.exit_code, 0);
  EXPECT_EQ(none.output, "");
}

}  // namespace
