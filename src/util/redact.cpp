// Redaction of passwords in URLs (scheme://user:password@host) and conninfo (password=...).
#include "util/redact.hpp"

#include <algorithm>
#include <cctype>

namespace strata {

namespace {
bool iequals_at(std::string_view s, size_t pos, std::string_view word) {
  if (pos + word.size() > s.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[pos + i])) != word[i]) return false;
  }
  return true;
}
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
}  // namespace

std::string redact_secrets(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    // URL userinfo: after "://", "user:secret@" ends at the last '@' before the first '/' (as
    // libpq reads it: a password may contain '?', '#' or '&').
    if (text.compare(i, 3, "://") == 0) {
      out.append("://");
      i += 3;
      size_t end = i;
      while (end < text.size() && text[end] != '/' && !is_space(text[end]) && text[end] != '"')
        ++end;
      size_t at = text.rfind('@', end == 0 ? 0 : end - 1);
      if (at != std::string_view::npos && at >= i && at < end) {
        size_t colon = text.find(':', i);
        if (colon != std::string_view::npos && colon < at) {
          out.append(text.substr(i, colon - i));
          out.append(":***");
          i = at;
        }
      }
      continue;
    }
    // conninfo: password=value or password='quoted value'
    if (iequals_at(text, i, "password") &&
        (i == 0 || !std::isalnum(static_cast<unsigned char>(text[i - 1])))) {
      size_t j = i + 8;
      while (j < text.size() && is_space(text[j])) ++j;
      if (j < text.size() && text[j] == '=') {
        ++j;
        while (j < text.size() && is_space(text[j])) ++j;
        out.append(text.substr(i, j - i));
        out.append("***");
        if (j < text.size() && text[j] == '\'') {
          ++j;
          while (j < text.size() && text[j] != '\'') j += (text[j] == '\\') ? 2 : 1;
          i = std::min(text.size(), j + 1);
        } else {
          while (j < text.size() && !is_space(text[j]) && text[j] != '&') ++j;
          i = j;
        }
        continue;
      }
    }
    out.push_back(text[i++]);
  }
  return out;
}

}  // namespace strata
