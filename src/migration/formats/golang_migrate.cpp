// golang-migrate (github.com/golang-migrate/migrate): pairs `<version>_<title>.up.sql` and
// `<version>_<title>.down.sql`. Each file is plain SQL; the down file is the down migration of
// the up file with the same version. Also the layout of river and other Go projects.
#include "migration/formats/format.hpp"

namespace strata::formats {
namespace {

class GolangMigrateFormat : public Format {
 public:
  std::string_view name() const override { return "golang-migrate"; }
  std::string detect(const std::vector<FileSample>& files) const override {
    for (const auto& f : files) {
      auto n = parse_name(f.file);
      if (n && n->kind == FileKind::up) return "the .up.sql/.down.sql pair naming of " + f.file;
    }
    return {};
  }
  std::optional<NameInfo> parse_name(std::string_view file) const override {
    FileKind kind;
    std::string_view stem;
    if (file.ends_with(".up.sql")) {
      kind = FileKind::up;
      stem = file.substr(0, file.size() - 7);
    } else if (file.ends_with(".down.sql")) {
      kind = FileKind::down;
      stem = file.substr(0, file.size() - 9);
    } else {
      return std::nullopt;
    }
    size_t us = stem.find('_');
    std::string_view digits = stem.substr(0, us);
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos)
      return std::nullopt;
    std::string name(us == std::string_view::npos ? digits : stem.substr(us + 1));
    return NameInfo{std::string(digits), name, kind};
  }
  void split(Migration& m, const std::string& text) const override {
    m.text = text;
    // golang-migrate moves the version down without SQL when there is no .down.sql; discovery
    // replaces this with the .down.sql file when there is one.
    m.down = DownScript{m.path, "", 1, false, "no .down.sql: golang-migrate runs no SQL either"};
  }
};

}  // namespace

const Format& golang_migrate_format() {
  static const GolangMigrateFormat f;
  return f;
}

}  // namespace strata::formats
