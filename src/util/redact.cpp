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
bool word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
}  // namespace

std::string redact_secrets(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    // URL userinfo: after "://" up to the last '@' of the URL (the URL ends at a blank or a
    // quote): "user:secret@" -> "user:***@", whatever the secret holds.
    if (text.compare(i, 3, "://") == 0) {
      out.append("://");
      i += 3;
      size_t end = i;
      while (end < text.size() && !is_space(text[end]) && text[end] != '"' && text[end] != '\'')
        ++end;
      size_t at = text.substr(i, end - i).rfind('@');
      if (at != std::string_view::npos) {
        at += i;
        size_t colon = text.substr(i, at - i).find(':');
        if (colon != std::string_view::npos) {
          out.append(text.substr(i, colon));
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

std::string scrub_secret(std::string text, std::string_view secret) {
  if (secret.empty()) return text;
  const bool anywhere = secret.size() >= 6;
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    size_t hit = text.find(secret, pos);
    if (hit == std::string::npos) break;
    size_t end = hit + secret.size();
    bool left_ok = hit == 0 || !word_char(text[hit - 1]) || !word_char(secret.front());
    bool right_ok = end >= text.size() || !word_char(text[end]) || !word_char(secret.back());
    out.append(text, pos, hit - pos);
    if (anywhere || (left_ok && right_ok)) {
      out.append("***");
    } else {
      out.append(text, hit, secret.size());
    }
    pos = end;
  }
  out.append(text, pos, std::string::npos);
  return out;
}

}  // namespace strata
