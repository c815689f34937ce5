// Whole-file reads (see util/file.hpp).
#include "util/file.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "util/error.hpp"

namespace strata {

std::optional<std::string> try_read_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return std::move(s).str();
}

std::string read_file(const std::filesystem::path& path) {
  std::optional<std::string> text = try_read_file(path);
  if (!text) throw Error(fmt::format("cannot read {}", path.string()), ExitCode::usage);
  return std::move(*text);
}

}  // namespace strata
