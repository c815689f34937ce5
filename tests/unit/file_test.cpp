// Unit tests: util/file.hpp reads a file's exact bytes and refuses what is not a readable file.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "util/error.hpp"
#include "util/file.hpp"

using namespace strata;
namespace fs = std::filesystem;

namespace {

fs::path temp_dir() {
  fs::path d = fs::temp_directory_path() / ("strata-file-test-" + std::to_string(getpid()));
  fs::create_directories(d);
  return d;
}

}  // namespace

TEST(ReadFile, ReturnsTheBytesAsOnDisk) {
  fs::path d = temp_dir();
  using namespace std::string_literals;
  const std::string bytes = "\xEF\xBB\xBFselect 1;\r\nselect '\0';\n"s;  // BOM, CRLF, NUL
  std::ofstream(d / "a.sql", std::ios::binary) << bytes;
  std::ofstream(d / "empty.sql", std::ios::binary).flush();
  EXPECT_EQ(read_file(d / "a.sql"), bytes);
  EXPECT_EQ(read_file(d / "empty.sql"), "");
  EXPECT_EQ(try_read_file(d / "a.sql"), bytes);
  fs::remove_all(d);
}

TEST(ReadFile, MissingFileOrDirectoryIsAUsageError) {
  fs::path d = temp_dir();
  EXPECT_FALSE(try_read_file(d / "missing.sql"));
  EXPECT_FALSE(try_read_file(d));
  try {
    read_file(d / "missing.sql");
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::usage);
    EXPECT_NE(std::string(e.what()).find("cannot read " + (d / "missing.sql").string()),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(read_file(d), Error);
  fs::remove_all(d);
}
