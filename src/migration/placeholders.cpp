// Placeholder substitution over migration text (see placeholders.hpp).
#include "migration/placeholders.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <optional>

#include "util/error.hpp"
#include "util/text.hpp"

namespace strata {
namespace {

bool ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool equal_nocase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// `name` as a TOML key: bare when it can be, else quoted (`"flyway:user"`).
std::string toml_key(std::string_view name) {
  bool bare = !name.empty();
  for (char c : name) bare = bare && (ident_char(c) || c == '-');
  return bare ? std::string(name) : fmt::format("\"{}\"", name);
}

}  // namespace

PlaceholderSet placeholders_for(const Project& project, std::string_view format) {
  PlaceholderSet set;
  const PlaceholderConfig& cfg = project.placeholders;
  set.values = cfg.values;
  set.forms = cfg.forms;
  const bool flyway = format == "flyway";
  const auto& target = project.target;  // the connection placeholders' values
  if (format == "graphile-migrate") {
    if (std::find(set.forms.begin(), set.forms.end(), ":NAME") == set.forms.end())
      set.forms.push_back(":NAME");
    set.unknown_caps_colon_is_error = true;
    if (target) {
      set.values.emplace_back("DATABASE_NAME", target->database);
      set.values.emplace_back("DATABASE_OWNER", target->user);
    }
  }
  bool dollar = cfg.configured || flyway;
  if (dollar && std::find(set.forms.begin(), set.forms.end(), "${NAME}") == set.forms.end())
    set.forms.insert(set.forms.begin(), "${NAME}");
  if (flyway) {
    set.values.emplace_back("flyway:defaultSchema",
                            project.app.schema.empty() ? "public" : project.app.schema);
    set.values.emplace_back("flyway:table", "flyway_schema_history");
    char buf[32];
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    set.values.emplace_back("flyway:timestamp", buf);
    std::error_code ec;
    set.values.emplace_back("flyway:workingDirectory", std::filesystem::current_path(ec).string());
    if (target) {
      set.values.emplace_back("flyway:user", target->user);
      set.values.emplace_back("flyway:database", target->database);
    }
  }
  return set;
}

std::string substitute_placeholders(const PlaceholderSet& set, const std::string& text,
                                    const std::string& display_path, int first_line,
                                    const std::string& file_name) {
  std::string current = text;
  for (const std::string& form : set.forms) {
    size_t at = form.find("NAME");
    std::string prefix = form.substr(0, at), suffix = form.substr(at + 4);
    if (current.find(prefix) == std::string::npos) continue;
    auto lookup = [&](std::string_view name) -> std::optional<std::string> {
      if (equal_nocase(name, "flyway:filename") && !file_name.empty()) return file_name;
      for (const auto& [k, v] : set.values)
        if (equal_nocase(k, name)) return v;
      return std::nullopt;
    };
    std::string out;
    out.reserve(current.size());
    size_t pos = 0;
    while (true) {
      size_t hit = current.find(prefix, pos);
      if (hit == std::string::npos) break;
      size_t name_at = hit + prefix.size();
      size_t name_end = name_at;
      if (suffix.empty()) {
        while (name_end < current.size() && ident_char(current[name_end])) ++name_end;
        bool after_colon = hit > 0 && prefix[0] == ':' && current[hit - 1] == ':';
        bool glued = hit > 0 && ident_char(prefix[0]) && ident_char(current[hit - 1]);
        std::string_view token = std::string_view(current).substr(name_at, name_end - name_at);
        auto value = name_end > name_at && !after_colon && !glued ? lookup(token) : std::nullopt;
        bool caps = token.size() >= 2 && token[0] >= 'A' && token[0] <= 'Z';
        for (char c : token)
          caps = caps && ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
        if (!value && caps && !after_colon && !glued && prefix == ":" &&
            set.unknown_caps_colon_is_error) {
          LineCol lc = line_col_at(current, hit);
          int line = lc.line + first_line - 1;
          Error e(fmt::format("{}:{}:{}: unknown placeholder :{}", display_path, line, lc.column,
                              token),
                  ExitCode::config);
          e.position = SourcePosition{display_path, line, lc.column};
          e.hint = fmt::format(
              "define it under [placeholders] in strata.toml ({} = \"...\"), as in .gmrc "
              "`placeholders`",
              token);
          throw e;
        }
        if (!value) {
          out.append(current, pos, name_at - pos);
          pos = name_at;
          continue;
        }
        out.append(current, pos, hit - pos);
        out += *value;
        pos = name_end;
        continue;
      }
      size_t close = current.find(suffix, name_at);
      std::string_view name;
      if (close != std::string::npos && close - name_at <= 128) {
        name = std::string_view(current).substr(name_at, close - name_at);
        std::string trimmed = trim(name);
        bool plain = !trimmed.empty();
        for (char c : trimmed) plain = plain && (ident_char(c) || c == ':' || c == '.' || c == '-');
        if (!plain)
          name = {};
        else
          name = std::string_view(current).substr(name_at + name.find(trimmed), trimmed.size());
      }
      if (name.empty()) {  // not a placeholder (e.g. `${` inside a function body)
        out.append(current, pos, name_at - pos);
        pos = name_at;
        continue;
      }
      auto value = lookup(name);
      if (!value) {
        LineCol lc = line_col_at(current, hit);
        int line = lc.line + first_line - 1;
        Error e(fmt::format("{}:{}:{}: unknown placeholder {}{}{}", display_path, line, lc.column,
                            prefix, name, suffix),
                ExitCode::config);
        e.position = SourcePosition{display_path, line, lc.column};
        e.hint = fmt::format("define it under [placeholders] in strata.toml ({} = \"...\")",
                             toml_key(name));
        throw e;
      }
      out.append(current, pos, hit - pos);
      out += *value;
      pos = close + suffix.size();
    }
    out.append(current, pos, std::string::npos);
    current = std::move(out);
  }
  return current;
}

}  // namespace strata
