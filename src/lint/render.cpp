// Renderers for lint results (see render.hpp).
#include "lint/render.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <set>

#include "lint/rule.hpp"
#include "util/text.hpp"

namespace strata::lint {

bool parse_format(std::string_view s, Format& out) {
  if (s == "text")
    out = Format::text;
  else if (s == "json")
    out = Format::json;
  else if (s == "sarif")
    out = Format::sarif;
  else if (s == "github")
    out = Format::github;
  else
    return false;
  return true;
}

namespace {
std::string plural(int n, const char* word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}
}  // namespace

std::string summary_line(const LintResult& r) {
  int errors = 0, warnings = 0, infos = 0;
  for (const auto& d : r.diagnostics) {
    if (d.severity == Severity::error)
      ++errors;
    else if (d.severity == Severity::warning)
      ++warnings;
    else
      ++infos;
  }
  std::string out = plural(errors, "error") + ", " + plural(warnings, "warning");
  if (infos) out += fmt::format(", {} info", infos);
  return out + " in " + plural(r.files_linted, "file");
}

std::string render_text(const LintResult& r) {
  std::string out;
  for (const auto& d : r.diagnostics) {
    out += fmt::format("{}:{}:{}: {} [{}] {}\n", d.file, d.line, d.column,
                       severity_name(d.severity), d.rule, d.message);
    auto src = r.sources.find(d.file);
    if (src != r.sources.end() && d.line > 0) {
      std::string line = line_at(src->second, d.line);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      std::string num = std::to_string(d.line);
      // Caret under the column: keep tabs so it lines up, count characters not bytes.
      std::string pad;
      int col = 1;
      for (size_t i = 0; i < line.size() && col < d.column; ++i) {
        unsigned char c = static_cast<unsigned char>(line[i]);
        if ((c & 0xC0) == 0x80) continue;
        pad.push_back(c == '\t' ? '\t' : ' ');
        ++col;
      }
      out += fmt::format("  {} | {}\n  {} | {}^\n", num, line, std::string(num.size(), ' '), pad);
    }
    if (!d.help.empty()) out += fmt::format("  help: {}\n", d.help);
  }
  out += summary_line(r) + "\n";
  return out;
}

std::string render_json(const LintResult& r) {
  nlohmann::json diags = nlohmann::json::array();
  int errors = 0, warnings = 0, infos = 0;
  for (const auto& d : r.diagnostics) {
    diags.push_back({{"rule", d.rule},
                     {"severity", severity_name(d.severity)},
                     {"message", d.message},
                     {"help", d.help},
                     {"file", d.file},
                     {"line", d.line},
                     {"column", d.column},
                     {"offset", d.offset}});
    (d.severity == Severity::error ? errors : d.severity == Severity::warning ? warnings : infos)++;
  }
  nlohmann::json out = {
      {"diagnostics", diags},
      {"summary",
       {{"errors", errors}, {"warnings", warnings}, {"infos", infos}, {"files", r.files_linted}}}};
  return out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string render_sarif(const LintResult& r) {
  nlohmann::json rules = nlohmann::json::array();
  std::map<std::string, int> index;
  for (const auto& info : registered_rules()) {
    index[info.id] = static_cast<int>(rules.size());
    rules.push_back({{"id", info.id},
                     {"shortDescription", {{"text", info.summary}}},
                     {"helpUri", "docs/lint/" + info.id + ".md"},
                     {"defaultConfiguration",
                      {{"level", info.severity == Severity::error     ? "error"
                                 : info.severity == Severity::warning ? "warning"
                                                                      : "note"}}}});
  }
  nlohmann::json results = nlohmann::json::array();
  for (const auto& d : r.diagnostics) {
    nlohmann::json res = {
        {"ruleId", d.rule},
        {"level", d.severity == Severity::error     ? "error"
                  : d.severity == Severity::warning ? "warning"
                                                    : "note"},
        {"message", {{"text", d.help.empty() ? d.message : d.message + " (help: " + d.help + ")"}}},
        {"locations", nlohmann::json::array({{{"physicalLocation",
                                               {{"artifactLocation", {{"uri", d.file}}},
                                                {"region",
                                                 {{"startLine", std::max(1, d.line)},
                                                  {"startColumn", std::max(1, d.column)}}}}}}})}};
    if (auto it = index.find(d.rule); it != index.end()) res["ruleIndex"] = it->second;
    results.push_back(std::move(res));
  }
  nlohmann::json out = {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs", nlohmann::json::array({{{"tool",
                                        {{"driver",
                                          {{"name", "strata"},
                                           {"version", STRATA_VERSION},
                                           {"informationUri", "https://github.com/strata"},
                                           {"rules", rules}}}}},
                                       {"results", results}}})}};
  return out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

namespace {
std::string gh_escape(std::string_view s, bool property) {
  std::string out;
  for (char c : s) {
    if (c == '%')
      out += "%25";
    else if (c == '\r')
      out += "%0D";
    else if (c == '\n')
      out += "%0A";
    else if (property && c == ':')
      out += "%3A";
    else if (property && c == ',')
      out += "%2C";
    else
      out.push_back(c);
  }
  return out;
}
}  // namespace

std::string render_github(const LintResult& r) {
  std::string out;
  for (const auto& d : r.diagnostics) {
    const char* level = d.severity == Severity::error     ? "error"
                        : d.severity == Severity::warning ? "warning"
                                                          : "notice";
    std::string msg = d.message;
    if (!d.help.empty()) msg += "\nhelp: " + d.help;
    out += fmt::format("::{} file={},line={},col={},title={}::{}\n", level, gh_escape(d.file, true),
                       d.line, d.column, gh_escape(d.rule, true), gh_escape(msg, false));
  }
  return out;
}

std::string render(const LintResult& r, Format f) {
  switch (f) {
    case Format::json:
      return render_json(r);
    case Format::sarif:
      return render_sarif(r);
    case Format::github:
      return render_github(r);
    case Format::text:
      break;
  }
  return render_text(r);
}

}  // namespace strata::lint
