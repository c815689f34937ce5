// The psql-like pass over a SQL file (see script_scan.hpp): linear, no allocation per byte.
#include "sql/script_scan.hpp"

#include <cctype>

namespace strata::sql {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}
bool ident_start(char c) {
  auto u = static_cast<unsigned char>(c);
  return std::isalpha(u) || c == '_' || u >= 0x80;
}
bool ident_char(char c) {
  auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '_' || c == '$' || u >= 0x80;
}
std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}
std::string trimmed(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && is_space(s[b])) ++b;
  while (e > b && is_space(s[e - 1])) --e;
  return std::string(s.substr(b, e - b));
}

// True when only blanks precede `pos` on its line.
bool alone_on_line(std::string_view t, size_t pos, size_t floor) {
  while (pos > floor) {
    char c = t[pos - 1];
    if (c == '\n') return true;
    if (c != ' ' && c != '\t' && c != '\r' && c != '\f') return false;
    --pos;
  }
  return true;
}

}  // namespace

size_t first_invalid_utf8(std::string_view t) {
  size_t i = 0, n = t.size();
  while (i < n) {
    auto c = static_cast<unsigned char>(t[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    unsigned min;
    unsigned cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2, min = 0x80, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, min = 0x800, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, min = 0x10000, cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (size_t k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(t[i + k]);
      if ((cc & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return std::string_view::npos;
}

ScriptScan scan_script(std::string_view t) {
  ScriptScan s;
  const size_t n = t.size();
  size_t i = 0;
  if (n >= 3 && t.substr(0, 3) == "\xEF\xBB\xBF") {
    s.bom = true;
    i = 3;
  }
  const size_t floor = i;
  s.invalid_utf8 = first_invalid_utf8(t);

  // The statement being read.
  bool in_statement = false;
  int depth = 0;
  int words = 0;
  std::string first_word, prev_word, last_word;
  size_t last_word_end = std::string_view::npos;
  bool copy_stdin = false;
  auto reset = [&] {
    in_statement = false;
    depth = 0;
    words = 0;
    first_word.clear();
    prev_word.clear();
    copy_stdin = false;
  };

  while (i < n) {
    char c = t[i];
    if (is_space(c)) {
      ++i;
      continue;
    }
    char next = i + 1 < n ? t[i + 1] : '\0';
    if (c == '-' && next == '-') {
      size_t eol = t.find('\n', i);
      if (eol == std::string_view::npos) eol = n;
      std::string body = trimmed(t.substr(i + 2, eol - i - 2));
      if (!in_statement && body.starts_with("strata:") && body.size() > 7 &&
          std::isalpha(static_cast<unsigned char>(body[7])) && alone_on_line(t, i, floor)) {
        DirectiveComment d;
        size_t w = 7;
        while (w < body.size() && !is_space(body[w])) ++w;
        d.word = body.substr(7, w - 7);
        d.argument = trimmed(std::string_view(body).substr(w));
        d.offset = i;
        d.line_end = eol == n ? n : eol + 1;
        s.directives.push_back(std::move(d));
      }
      i = eol;
      continue;
    }
    if (c == '/' && next == '*') {
      int nest = 1;
      i += 2;
      while (i < n && nest > 0) {
        if (t[i] == '/' && i + 1 < n && t[i + 1] == '*') {
          ++nest;
          i += 2;
        } else if (t[i] == '*' && i + 1 < n && t[i + 1] == '/') {
          --nest;
          i += 2;
        } else {
          ++i;
        }
      }
      continue;
    }
    if (c == '\'') {
      bool escapes = last_word_end == i && last_word == "e";
      ++i;
      while (i < n) {
        if (escapes && t[i] == '\\') {
          i += 2;
        } else if (t[i] == '\'') {
          if (i + 1 < n && t[i + 1] == '\'') {
            i += 2;
          } else {
            ++i;
            break;
          }
        } else {
          ++i;
        }
      }
      in_statement = true;
      continue;
    }
    if (c == '"') {
      ++i;
      while (i < n) {
        if (t[i] == '"') {
          if (i + 1 < n && t[i + 1] == '"') {
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        ++i;
      }
      in_statement = true;
      continue;
    }
    if (c == '$' && (i == 0 || !ident_char(t[i - 1]))) {
      size_t j = i + 1;
      if (j < n && ident_start(t[j])) {
        while (j < n && ident_char(t[j]) && t[j] != '$') ++j;
      }
      if (j < n && t[j] == '$') {
        std::string_view delim = t.substr(i, j - i + 1);
        size_t close = t.find(delim, j + 1);
        i = close == std::string_view::npos ? n : close + delim.size();
        in_statement = true;
        continue;
      }
      ++i;  // $1: a parameter
      in_statement = true;
      continue;
    }
    if (c == '\\') {
      size_t eol = t.find('\n', i);
      if (eol == std::string_view::npos) eol = n;
      MetaCommand m;
      size_t w = i + 1;
      while (w < eol && !is_space(t[w]) && t[w] != '\\') ++w;
      m.name = std::string(t.substr(i + 1, w - i - 1));
      m.argument = trimmed(t.substr(w, eol - w));
      m.offset = i;
      m.end = eol;
      s.meta_commands.push_back(std::move(m));
      i = eol;
      continue;
    }
    if (ident_start(c)) {
      size_t b = i;
      while (i < n && ident_char(t[i])) ++i;
      std::string w = lower(t.substr(b, i - b));
      if (words == 0) first_word = w;
      if (first_word == "copy" && w == "stdin" && prev_word == "from") copy_stdin = true;
      prev_word = w;
      last_word = std::move(w);
      last_word_end = i;
      ++words;
      in_statement = true;
      continue;
    }
    if (std::isdigit(static_cast<unsigned char>(c))) {
      while (i < n && (ident_char(t[i]) || t[i] == '.')) ++i;
      in_statement = true;
      continue;
    }
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c == ';' && depth <= 0) {
      s.semicolons.push_back(i);
      bool copy = copy_stdin;
      reset();
      if (copy) {
        CopyData d;
        d.semicolon = i;
        size_t eol = t.find('\n', i);
        size_t p = eol == std::string_view::npos ? n : eol + 1;
        d.data_begin = p;
        d.data_end = d.block_end = n;
        while (p < n) {
          size_t le = t.find('\n', p);
          size_t content_end = le == std::string_view::npos ? n : le;
          std::string_view line = t.substr(p, content_end - p);
          if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
          if (line == "\\.") {
            d.data_end = p;
            d.block_end = le == std::string_view::npos ? n : le + 1;
            break;
          }
          p = le == std::string_view::npos ? n : le + 1;
        }
        s.copies.push_back(d);
        i = d.block_end;
        continue;
      }
      ++i;
      continue;
    }
    in_statement = true;
    ++i;
  }
  return s;
}

LineCursor::LineCursor(std::string_view text) : text_(text) {
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") begin_ = 3;
  pos_ = begin_;
}

std::pair<int, int> LineCursor::at(size_t offset) {
  if (offset > text_.size()) offset = text_.size();
  if (offset < begin_) return {1, 1};
  if (offset < pos_) {
    pos_ = begin_;
    line_ = 1;
    column_ = 1;
  }
  const char* p = text_.data();
  for (; pos_ < offset; ++pos_) {
    char c = p[pos_];
    if (c == '\n') {
      ++line_;
      column_ = 1;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++column_;
    }
  }
  return {line_, column_};
}

}  // namespace strata::sql
