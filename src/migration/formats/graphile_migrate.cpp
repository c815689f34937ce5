// graphile-migrate committed migrations (`migrations/committed/000001.sql` or
// `000001-<message>.sql`): a header of `--! Previous: ...`, `--! Hash: sha1:...`,
// `--! Message: ...` lines, then the SQL; `--! no-transaction` in the header runs it outside a
// transaction. Forward only. Point `[migrations] dir` at the committed folder.
#include "migration/formats/format.hpp"

namespace strata::formats {
namespace {

class GraphileMigrateFormat : public Format {
 public:
  std::string_view name() const override { return "graphile-migrate"; }
  std::string detect(const std::vector<FileSample>& files) const override {
    for (const auto& f : files)
      if (f.text.starts_with("--! Previous:")) return "the `--! Previous:` header of " + f.file;
    return {};
  }
  std::optional<NameInfo> parse_name(std::string_view file) const override {
    if (!file.ends_with(".sql")) return std::nullopt;
    std::string_view stem = file.substr(0, file.size() - 4);
    size_t n = stem.find_first_not_of("0123456789");
    if (n == 0) return std::nullopt;
    if (n == std::string_view::npos) return NameInfo{std::string(stem), std::string(stem)};
    if (stem[n] != '-' || n + 1 == stem.size()) return std::nullopt;
    return NameInfo{std::string(stem.substr(0, n)), std::string(stem.substr(n + 1))};
  }
  void split(Migration& m, const std::string& text) const override {
    m.text = text;
    for (auto l : text_lines(text)) {
      if (!l.starts_with("--!")) break;  // the header ends at the first other line
      if (lower(l).find("no-transaction") != std::string::npos) m.no_transaction = true;
    }
  }
};

}  // namespace

const Format& graphile_migrate_format() {
  static const GraphileMigrateFormat f;
  return f;
}

}  // namespace strata::formats
