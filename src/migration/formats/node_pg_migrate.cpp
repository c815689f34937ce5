// node-pg-migrate SQL migrations: `<timestamp>_<name>.sql` with a `-- Up Migration` and an
// optional `-- Down Migration` comment (case-insensitive, `--` then dashes or spaces). Without an
// up marker the text before the down marker is the up migration (never the down SQL).
#include "migration/formats/format.hpp"

namespace strata::formats {
namespace {

// "up" / "down" for a marker line, else "".
std::string marker(std::string_view line) {
  size_t a = line.find_first_not_of(" \t");
  if (a == std::string_view::npos || line.compare(a, 2, "--") != 0) return {};
  std::string l = lower(line.substr(a + 2));
  size_t b = l.find_first_not_of(" \t-");
  if (b == std::string::npos) return {};
  l = l.substr(b);
  for (const char* dir : {"up", "down"}) {
    std::string d(dir);
    if (!l.starts_with(d)) continue;
    size_t c = l.find_first_not_of(" \t", d.size());
    if (c == d.size() || c == std::string::npos) continue;  // needs whitespace, then "migration"
    if (l.compare(c, 9, "migration") == 0) return d;
  }
  return {};
}

class NodePgMigrateFormat : public Format {
 public:
  std::string_view name() const override { return "node-pg-migrate"; }
  std::string detect(const std::vector<FileSample>& files) const override {
    // As node-pg-migrate writes them: the up marker is the file's first non-blank line (a
    // banner comment "-- UP MIGRATION" further down a strata file is not evidence).
    for (const auto& f : files) {
      for (auto l : text_lines(f.text.substr(0, 4096))) {
        if (l.find_first_not_of(" \t") == std::string_view::npos) continue;
        if (marker(l) == "up" && parse_name(f.file)) return "`-- Up Migration` in " + f.file;
        break;
      }
    }
    return {};
  }
  std::optional<NameInfo> parse_name(std::string_view file) const override {
    if (!file.ends_with(".sql")) return std::nullopt;
    std::string_view stem = file.substr(0, file.size() - 4);
    size_t n = stem.find_first_not_of("0123456789");
    if (n == 0 || n == std::string_view::npos || (stem[n] != '_' && stem[n] != '-') ||
        n + 1 == stem.size())
      return std::nullopt;
    return NameInfo{std::string(stem.substr(0, n)), std::string(stem.substr(n + 1))};
  }
  void split(Migration& m, const std::string& text) const override {
    auto lines = text_lines(text);
    int up = 0, down = 0;
    for (size_t i = 0; i < lines.size(); ++i) {
      std::string d = marker(lines[i]);
      if (d == "up" && !up) up = static_cast<int>(i) + 1;
      if (d == "down" && !down) down = static_cast<int>(i) + 1;
    }
    if (!down) {
      m.text = text;
      return;
    }
    if (up > down)
      marker_error(m, up, "`-- Up Migration` after `-- Down Migration`",
                   "put the up section first");
    m.text = keep_lines(text, 1, down);
    m.down = DownScript{m.path, keep_lines(text, down + 1, 0).substr(static_cast<size_t>(down)),
                        down + 1};
  }
};

}  // namespace

const Format& node_pg_migrate_format() {
  static const NodePgMigrateFormat f;
  return f;
}

}  // namespace strata::formats
