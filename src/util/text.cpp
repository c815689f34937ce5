// Text position helpers shared by the SQL layer, the executor and lint output.
#include "util/text.hpp"

namespace strata {

static bool is_continuation(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

LineCol line_col_at(std::string_view text, size_t byte_offset) {
  LineCol lc;
  if (byte_offset > text.size()) byte_offset = text.size();
  for (size_t i = 0; i < byte_offset; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++lc.line;
      lc.column = 1;
    } else if (!is_continuation(c)) {
      ++lc.column;
    }
  }
  return lc;
}

size_t byte_offset_of_char(std::string_view text, int char_pos_1based) {
  int chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (is_continuation(static_cast<unsigned char>(text[i]))) continue;
    if (++chars == char_pos_1based) return i;
  }
  return text.size();
}

std::string line_at(std::string_view text, int line) {
  int current = 1;
  size_t start = 0;
  for (size_t i = 0; i < text.size() && current < line; ++i) {
    if (text[i] == '\n') {
      ++current;
      start = i + 1;
    }
  }
  if (current != line) return {};
  size_t end = text.find('\n', start);
  return std::string(
      text.substr(start, end == std::string_view::npos ? text.size() - start : end - start));
}

std::string quote_ident(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

std::vector<std::string> split_lines(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find('\n', start);
    if (end == std::string_view::npos) {
      if (start < s.size()) out.emplace_back(s.substr(start));
      break;
    }
    out.emplace_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace strata
