// Positions in text: byte offsets to 1-based line/column, and the server's character-based
// error positions (1-based, counting characters not bytes) to byte offsets.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace strata {

struct LineCol {
  int line = 1;
  int column = 1;  // 1-based, in characters
};

LineCol line_col_at(std::string_view text, size_t byte_offset);
// 1-based character position -> byte offset (clamped to text size).
size_t byte_offset_of_char(std::string_view text, int char_pos_1based);
std::string line_at(std::string_view text, int line);  // without newline
std::string trim(std::string_view s);
// "name" with embedded quotes doubled: a SQL identifier, no connection needed.
std::string quote_ident(std::string_view s);
std::vector<std::string> split_lines(std::string_view s);

}  // namespace strata
