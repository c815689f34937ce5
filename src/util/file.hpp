// Reading a whole file into memory: the one reader of small files (a lint input, a schema
// file, ...) for code that does not need discover.cpp's fast path for 1000s of migrations.
#pragma once
#include <filesystem>
#include <optional>
#include <string>

namespace strata {

// The bytes of `path` as they are on disk (no newline translation, BOM kept). Throws
// Error(usage) "cannot read <path>" when it does not exist, cannot be opened or is a directory.
std::string read_file(const std::filesystem::path& path);

// The same, or nullopt where read_file throws (for callers to whom a missing file is a state).
std::optional<std::string> try_read_file(const std::filesystem::path& path);

}  // namespace strata
