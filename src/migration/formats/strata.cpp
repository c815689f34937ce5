// strata's own layout: `<version>_<name>.sql` (also `YYYYMMDD_HHMMSS_<name>.sql`,
// `<version>-<name>.sql`, bare `<version>.sql`), `-- strata:` directives, and down files beside
// the up file (paired by name in discover.cpp). The fallback when no tool's files are detected.
#include "migration/formats/format.hpp"
#include "migration/version.hpp"

namespace strata::formats {

void split_native(Migration& m, const std::string& file_text) {
  apply_directives(m, file_text);
  // Another tool's down marker in the up part would be applied forward: refuse it.
  if (m.text.find("+goose") == std::string::npos && m.text.find("igrat") == std::string::npos)
    return;
  auto lines = text_lines(m.text);
  for (size_t i = 0; i < lines.size(); ++i) {
    // Only comment lines can be markers: lowercase those alone (most lines are SQL).
    size_t a = lines[i].find_first_not_of(" \t");
    if (a == std::string_view::npos || lines[i].compare(a, 2, "--") != 0) continue;
    std::string body = lower(lines[i].substr(a + 2));
    size_t b = body.find_first_not_of(" \t-");
    body = b == std::string::npos ? "" : body.substr(b);
    const char* tool = nullptr;
    if (body.starts_with("+goose down"))
      tool = "goose";
    else if (body.starts_with("migrate:down"))
      tool = "dbmate";
    else if (body.starts_with("down migration"))
      tool = "node-pg-migrate";
    if (!tool) continue;
    // Only when SQL follows: a banner comment over commented-out statements runs nothing.
    bool sql_after = false;
    for (size_t j = i + 1; j < lines.size() && !sql_after; ++j) {
      size_t c = lines[j].find_first_not_of(" \t");
      sql_after = c != std::string_view::npos && lines[j].compare(c, 2, "--") != 0;
    }
    if (sql_after) {
      marker_error(m, static_cast<int>(i) + 1,
                   std::string("a ") + tool +
                       " down marker in a file read as strata migrations: the down SQL after it "
                       "would run forward",
                   std::string("set [migrations] format = \"") + tool +
                       "\" in strata.toml (or remove the other tool's markers)");
    }
  }
}

namespace {

class StrataFormat : public Format {
 public:
  std::string_view name() const override { return "strata"; }
  std::string detect(const std::vector<FileSample>&) const override { return {}; }
  std::optional<NameInfo> parse_name(std::string_view file) const override {
    auto f = parse_prefixed_name(file);
    if (!f) return std::nullopt;
    return NameInfo{f->version, f->name, FileKind::up};
  }
  void split(Migration& m, const std::string& text) const override { split_native(m, text); }
};

}  // namespace

const Format& strata_format() {
  static const StrataFormat f;
  return f;
}

}  // namespace strata::formats
