// Translating dbmate's and golang-migrate's URL parameters (see tool_url.hpp).
#include "db/tool_url.hpp"

#include <fmt/format.h>

namespace strata::db {
namespace {

// Percent-encodes a query value (RFC 3986 unreserved characters stay).
std::string encode(const std::string& v) {
  std::string out;
  for (unsigned char c : v) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

// Percent-decodes a query value ("+" stays: libpq does not read it as a space either).
std::string decode(const std::string& v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '%' && i + 2 < v.size() && std::isxdigit(static_cast<unsigned char>(v[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(v[i + 2]))) {
      out += static_cast<char>(std::stoi(v.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += v[i];
    }
  }
  return out;
}

}  // namespace

std::string translate_tool_url(const std::string& url, std::vector<std::string>& notes) {
  if (!url.starts_with("postgres://") && !url.starts_with("postgresql://")) return url;
  // The query starts at the first '?' after the path's '/', which follows the userinfo's last '@'
  // (a password may itself contain '?').
  size_t authority = url.find("://") + 3;
  size_t slash = url.find('/', authority);
  size_t at = url.rfind('@', slash == std::string::npos ? std::string::npos : slash);
  size_t host = at != std::string::npos && at >= authority ? at + 1 : authority;
  size_t query = url.find('?', std::max(host, slash == std::string::npos ? host : slash));
  if (query == std::string::npos) return url;
  std::vector<std::string> kept;
  std::string search_path, options;
  bool changed = false;
  size_t i = query + 1;
  while (i <= url.size()) {
    size_t amp = url.find('&', i);
    if (amp == std::string::npos) amp = url.size();
    std::string param = url.substr(i, amp - i);
    i = amp + 1;
    if (param.empty()) continue;
    size_t eq = param.find('=');
    std::string key = param.substr(0, eq);
    std::string value = eq == std::string::npos ? "" : param.substr(eq + 1);
    if (key == "search_path") {
      search_path = decode(value);
      changed = true;
    } else if (key == "options") {
      options = decode(value);
    } else if (key.starts_with("x-")) {
      changed = true;
      notes.push_back(
          key == "x-migrations-table"
              ? fmt::format("ignored the golang-migrate URL parameter x-migrations-table: its "
                            "table is `[migrations] history_table = \"{}\"` in strata.toml",
                            decode(value))
              : fmt::format("ignored the golang-migrate URL parameter {} (strata has no such "
                            "setting)",
                            key));
    } else {
      kept.push_back(param);
    }
  }
  if (!changed) return url;
  if (!search_path.empty())
    options += (options.empty() ? "" : " ") + std::string("-c search_path=") + search_path;
  if (!options.empty()) kept.push_back("options=" + encode(options));
  std::string out = url.substr(0, query);
  for (size_t k = 0; k < kept.size(); ++k) out += (k ? "&" : "?") + kept[k];
  return out;
}

}  // namespace strata::db
