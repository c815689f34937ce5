// Unit tests for write_next_migration (migration/create.hpp), the one writer of a new migration
// file: the version after the newest file, never a version a file already has (also a down file
// or one discovery ignores), the name check, the `[migrations] order` refusal, and nothing left
// behind when the text cannot be produced.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "config/project.hpp"
#include "migration/create.hpp"
#include "util/error.hpp"

using namespace strata;
namespace fs = std::filesystem;

namespace {

class ToolingCreate : public ::testing::Test {
 protected:
  void SetUp() override {
    root = fs::temp_directory_path() /
           ("strata-create-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root);
    fs::create_directories(root / "migrations");
  }
  void TearDown() override { fs::remove_all(root); }
  void touch(const std::string& rel, const std::string& text = "select 1;\n") {
    std::ofstream(root / rel) << text;
  }
  size_t count_files() {
    size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(root / "migrations")) ++n;
    return n;
  }
  NewMigration write(const std::string& name, const std::string& stamp) {
    Project p = load_project(root);
    return write_next_migration(
        p, p.sources.front(), name, [](const std::string& v) { return "-- " + v + "\n"; },
        "strata new x", stamp);
  }
  fs::path root;
};

TEST_F(ToolingCreate, SequentialProjectGetsTheNextNumberAndTheBodySeesIt) {
  touch("migrations/001_a.sql");
  touch("migrations/002_b.sql");
  NewMigration m = write("add_c", "20260101000000");
  EXPECT_EQ(m.version, "003");
  EXPECT_EQ(m.path.filename(), "003_add_c.sql");
  std::ifstream in(m.path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "-- 003\n");
  EXPECT_EQ(count_files(), 3u);  // no temporary file left
}

TEST_F(ToolingCreate, AVersionTakenByAnyFileIsSkipped) {
  touch("migrations/20260101000000_a.sql");
  // The timestamp's own version is taken by a down file discovery does not list as a migration.
  touch("migrations/20260101000001_a.down.sql");
  NewMigration m = write("b", "20260101000001");
  EXPECT_NE(m.version, "20260101000001");
  EXPECT_GT(m.version, std::string("20260101000001"));
  EXPECT_TRUE(fs::exists(m.path));
}

TEST_F(ToolingCreate, TwoWritesInTheSameSecondGetTwoVersions) {
  NewMigration a = write("a", "20260101000000");
  NewMigration b = write("b", "20260101000000");
  EXPECT_EQ(a.version, "20260101000000");
  EXPECT_NE(a.version, b.version);
}

TEST_F(ToolingCreate, BadNameAndOrderedProjectsAreRefusedWithoutWriting) {
  try {
    write("Bad-Name", "20260101000000");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::usage);
    EXPECT_EQ(e.hint, "for example: strata new x");
  }
  touch("strata.toml", "[migrations]\ndir = \"migrations\"\norder = [\"001_a.sql\"]\n");
  touch("migrations/001_a.sql");
  try {
    write("b", "20260101000000");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::config);
  }
  EXPECT_EQ(count_files(), 1u);
}

TEST_F(ToolingCreate, NothingIsLeftWhenTheTextCannotBeMade) {
  Project p = load_project(root);
  EXPECT_THROW(write_next_migration(
                   p, p.sources.front(), "a",
                   [](const std::string&) -> std::string { throw std::runtime_error("no"); }),
               std::runtime_error);
  EXPECT_EQ(count_files(), 0u);
}

}  // namespace
