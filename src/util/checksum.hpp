// Checksums of migration files: "sha256:<hex>" over the text with any BOM removed and CRLF/CR
// line endings normalised to LF, so a checkout on Windows does not look like an edit.
#pragma once
#include <string>
#include <string_view>

namespace strata {

std::string sha256_hex(std::string_view bytes);
std::string normalize_sql_text(std::string_view text);       // strip BOM, CRLF/CR -> LF
std::string migration_checksum(std::string_view file_text);  // "sha256:" + hex of normalized

}  // namespace strata
