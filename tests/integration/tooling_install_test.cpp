// Integration tests for installing strata: `cmake --install` into a temporary prefix puts the
// binary, the generated man pages and the three shells' completions in their usual places, and
// the .deb's Depends (cmake/package.cmake, as written into CPackConfig.cmake) names the package
// of every shared library the built binary loads. No .deb is built here (see README, Install).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "util/process.hpp"

namespace fs = std::filesystem;
using strata::run_process;

namespace {

fs::path build_dir() {
  return fs::path(STRATA_BIN).parent_path();
}

TEST(ToolingInstall, CmakeInstallPutsBinaryManPagesAndCompletionsInPlace) {
  fs::path prefix = fs::temp_directory_path() / fmt::format("strata-install-{}", getpid());
  fs::remove_all(prefix);
  auto r = run_process({"cmake", "--install", build_dir().string(), "--prefix", prefix.string()});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char* rel :
       {"bin/strata", "share/man/man1/strata.1", "share/man/man1/strata-up.1",
        "share/man/man1/strata-db-start.1", "share/man/man1/strata-doctor.1",
        "share/bash-completion/completions/strata", "share/zsh/vendor-completions/_strata",
        "share/fish/vendor_completions.d/strata.fish"})
    EXPECT_TRUE(fs::exists(prefix / rel)) << rel;
  auto v = run_process({(prefix / "bin/strata").string(), "--version"});
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_EQ(v.output, std::string("strata ") + STRATA_VERSION + "\n");
  // The man page is help2man's rendering of --help: it lists the commands and global options.
  std::ifstream man(prefix / "share/man/man1/strata.1");
  std::string page((std::istreambuf_iterator<char>(man)), std::istreambuf_iterator<char>());
  EXPECT_NE(page.find("help2man"), std::string::npos);
  EXPECT_NE(page.find("doctor"), std::string::npos);
  EXPECT_NE(page.find("lock\\-timeout"), std::string::npos) << page.substr(0, 2000);
  std::ifstream up(prefix / "share/man/man1/strata-up.1");
  std::string up_page((std::istreambuf_iterator<char>(up)), std::istreambuf_iterator<char>());
  EXPECT_NE(up_page.find("dry\\-run"), std::string::npos);
  fs::remove_all(prefix);
}

TEST(ToolingInstall, DebDependsCoversEveryLibraryTheBinaryLoads) {
  std::ifstream cfg(build_dir() / "CPackConfig.cmake");
  ASSERT_TRUE(cfg) << "no CPackConfig.cmake in " << build_dir();
  std::string text((std::istreambuf_iterator<char>(cfg)), std::istreambuf_iterator<char>());
  std::smatch m;
  ASSERT_TRUE(std::regex_search(text, m, std::regex(R"(CPACK_DEBIAN_PACKAGE_DEPENDS "([^"]*)\")")));
  std::string depends = m[1];
  std::set<std::string> declared;
  std::regex name_re(R"(([a-z0-9][a-z0-9.+-]+)(\s*\([^)]*\))?\s*(,|$))");
  for (auto it = std::sregex_iterator(depends.begin(), depends.end(), name_re);
       it != std::sregex_iterator(); ++it)
    declared.insert((*it)[1]);
  EXPECT_TRUE(declared.count("libpq5")) << depends;
  EXPECT_TRUE(std::regex_search(
      text, std::regex(R"(CPACK_DEBIAN_PACKAGE_RECOMMENDS "[^"]*postgresql-15)")));

  // The libraries the binary links itself (NEEDED); ldd says where each one resolves.
  auto needed = run_process({"objdump", "-p", STRATA_BIN});
  ASSERT_EQ(needed.exit_code, 0) << needed.output;
  auto ldd = run_process({"ldd", STRATA_BIN});
  ASSERT_EQ(ldd.exit_code, 0) << ldd.output;
  std::map<std::string, std::string> resolved;  // soname -> path
  std::regex ldd_re(R"((\S+) => (/\S+))");
  for (auto it = std::sregex_iterator(ldd.output.begin(), ldd.output.end(), ldd_re);
       it != std::sregex_iterator(); ++it)
    resolved[(*it)[1]] = (*it)[2];
  int checked = 0;
  std::regex needed_re(R"(NEEDED\s+(\S+))");
  for (auto it = std::sregex_iterator(needed.output.begin(), needed.output.end(), needed_re);
       it != std::sregex_iterator(); ++it) {
    std::string soname = (*it)[1];
    // The dynamic loader is libc6's; sanitizer runtimes only appear in the ASan test build.
    if (soname.find("ld-linux") != std::string::npos || soname.find("libasan") == 0 ||
        soname.find("libubsan") == 0)
      continue;
    ASSERT_TRUE(resolved.count(soname)) << soname << " not resolved by ldd:\n" << ldd.output;
    std::string path = resolved[soname];
    // Debian 12 registers some libraries under /lib, others under /usr/lib (merged /usr).
    std::vector<std::string> candidates = {path, fs::canonical(path).string()};
    if (path.rfind("/usr/", 0) == 0)
      candidates.push_back(path.substr(4));
    else
      candidates.push_back("/usr" + path);
    std::string pkg;
    for (const auto& c : candidates) {
      auto owner = run_process({"dpkg", "-S", c});
      if (owner.exit_code == 0) {
        pkg = owner.output.substr(0, owner.output.find(':'));
        break;
      }
    }
    ASSERT_FALSE(pkg.empty()) << "no package owns " << path;
    EXPECT_TRUE(declared.count(pkg))
        << soname << " comes from " << pkg << ", missing in Depends: " << depends;
    ++checked;
  }
  EXPECT_GE(checked, 3);
}

}  // namespace
