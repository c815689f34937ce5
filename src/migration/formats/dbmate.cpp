// dbmate (github.com/amacneil/dbmate): files whose names start with digits
// (`<version>_<name>.sql`), each with a `-- migrate:up` and a `-- migrate:down` block; options
// follow the marker on its line (`-- migrate:up transaction:false`). Only comments may precede `--
// migrate:up`.
#include "migration/formats/format.hpp"

namespace strata::formats {
namespace {

// "up" or "down" for a marker line (`--` at column 1, optional spaces, `migrate:up|down`, then
// the end of the line or options), else "". `options` gets the rest of the line.
std::string marker(std::string_view line, std::string* options) {
  if (!line.starts_with("--")) return {};
  std::string_view rest = line.substr(2);
  size_t a = rest.find_first_not_of(" \t");
  if (a == std::string_view::npos) return {};
  rest = rest.substr(a);
  for (const char* dir : {"up", "down"}) {
    std::string key = std::string("migrate:") + dir;
    if (!rest.starts_with(key)) continue;
    std::string_view after = rest.substr(key.size());
    if (!after.empty() && after[0] != ' ' && after[0] != '\t') return {};
    if (options) *options = std::string(after);
    return dir;
  }
  return {};
}

bool no_transaction(const std::string& options) {
  return options.find("transaction:false") != std::string::npos;
}

class DbmateFormat : public Format {
 public:
  std::string_view name() const override { return "dbmate"; }
  std::string detect(const std::vector<FileSample>& files) const override {
    for (const auto& f : files) {
      if (f.text.find("migrate:up") == std::string_view::npos) continue;
      for (auto l : text_lines(f.text))
        if (marker(l, nullptr) == "up") return "`-- migrate:up` in " + f.file;
    }
    return {};
  }
  std::optional<NameInfo> parse_name(std::string_view file) const override {
    // dbmate: `^(\d+).*\.sql$`, the version being the leading digits.
    if (!file.ends_with(".sql")) return std::nullopt;
    std::string_view stem = file.substr(0, file.size() - 4);
    size_t n = stem.find_first_not_of("0123456789");
    if (n == 0) return std::nullopt;
    if (n == std::string_view::npos) return NameInfo{std::string(stem), std::string(stem)};
    std::string_view rest = stem.substr(n);
    if (rest[0] == '_' || rest[0] == '-') rest.remove_prefix(1);
    return NameInfo{std::string(stem.substr(0, n)), std::string(rest.empty() ? stem : rest)};
  }
  void split(Migration& m, const std::string& text) const override {
    auto lines = text_lines(text);
    int up = 0, down = 0;
    std::string up_options, down_options;
    for (size_t i = 0; i < lines.size(); ++i) {
      int line = static_cast<int>(i) + 1;
      std::string options;
      std::string dir = marker(lines[i], &options);
      if (dir == "up" && !up) {
        if (down)
          marker_error(m, line, "`-- migrate:up` after `-- migrate:down`",
                       "dbmate requires the up block first");
        up = line;
        up_options = options;
      } else if (dir == "down" && !down) {
        if (!up)
          marker_error(m, line, "`-- migrate:down` without a `-- migrate:up` before it",
                       "add `-- migrate:up` above the forward SQL; without it the down SQL would "
                       "run forward");
        down = line;
        down_options = options;
      } else if (dir.empty() && !up) {
        std::string_view l = lines[i];
        size_t b = l.find_first_not_of(" \t");
        if (b != std::string_view::npos && l.compare(b, 2, "--") != 0)
          marker_error(m, line, "SQL before `-- migrate:up`",
                       "dbmate refuses statements preceding the up block: move it below the "
                       "marker");
      }
    }
    m.no_transaction = no_transaction(up_options);
    if (up && !down)
      marker_error(m, static_cast<int>(lines.size()),
                   "no `-- migrate:down` block (dbmate refuses to apply such a file)",
                   "add a `-- migrate:down` line at the end (an empty block rolls back without "
                   "SQL)");
    if (!down) {
      m.text = text;
      return;
    }
    m.text = keep_lines(text, 1, down);
    // dbmate reads `transaction:false` per block; strata also runs the down block of a
    // `transaction:false` up block outside a transaction (its reverse, e.g. DROP INDEX
    // CONCURRENTLY, usually cannot run in one either).
    m.down = DownScript{m.path, keep_lines(text, down + 1, 0).substr(static_cast<size_t>(down)),
                        down + 1, m.no_transaction || no_transaction(down_options)};
  }
};

}  // namespace

const Format& dbmate_format() {
  static const DbmateFormat f;
  return f;
}

}  // namespace strata::formats
