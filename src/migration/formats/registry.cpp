// The list of migration file formats and the helpers they share. Adding a tool: one file with a
// `Format` and one line here.
#include "migration/formats/format.hpp"

#include <fmt/format.h>

#include "util/error.hpp"

namespace strata::formats {

const Format& goose_format();
const Format& dbmate_format();
const Format& node_pg_migrate_format();
const Format& postgres_migrations_format();
const Format& graphile_migrate_format();
const Format& golang_migrate_format();
const Format& flyway_format();
const Format& strata_format();
const Format& supabase_format();

const std::vector<const Format*>& all_formats() {
  static const std::vector<const Format*> list = {&goose_format(),
                                                  &dbmate_format(),
                                                  &node_pg_migrate_format(),
                                                  &postgres_migrations_format(),
                                                  &graphile_migrate_format(),
                                                  &golang_migrate_format(),
                                                  &flyway_format(),
                                                  &strata_format(),
                                                  &supabase_format()};
  return list;
}

const Format* find_format(std::string_view name) {
  for (const Format* f : all_formats())
    if (f->name() == name) return f;
  return nullptr;
}

std::vector<std::string_view> text_lines(std::string_view text) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view l = text.substr(pos, end - pos);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    out.push_back(l);
    pos = end + 1;
  }
  return out;
}

std::string keep_lines(const std::string& text, int from_line, int to_line) {
  std::string out;
  size_t pos = 0;
  int line = 1;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    size_t next = end == std::string::npos ? text.size() : end + 1;
    bool keep = line >= from_line && (to_line == 0 || line < to_line);
    if (keep)
      out.append(text, pos, next - pos);
    else if (end != std::string::npos)
      out += '\n';
    pos = next;
    ++line;
  }
  return out;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

void marker_error(const Migration& m, int line, const std::string& message,
                  const std::string& hint) {
  Error e(fmt::format("{}:{}: {}", m.display_path, line, message), ExitCode::config);
  e.position = SourcePosition{m.display_path, line, 1};
  e.hint = hint;
  throw e;
}

}  // namespace strata::formats
