// postgres-migrations (github.com/ThomWright/postgres-migrations): `<id>_<name>.sql` or
// `<id>-<name>.sql` (the separator is optional), forward only; a file containing
// `-- postgres-migrations disable-transaction` runs outside a transaction.
#include "migration/formats/format.hpp"

namespace strata::formats {
namespace {

constexpr std::string_view kDisable = "-- postgres-migrations disable-transaction";

class PostgresMigrationsFormat : public Format {
 public:
  std::string_view name() const override { return "postgres-migrations"; }
  std::string detect(const std::vector<FileSample>& files) const override {
    for (const auto& f : files)
      if (f.text.find(kDisable) != std::string_view::npos)
        return "`" + std::string(kDisable) + "` in " + f.file;
    return {};
  }
  std::optional<NameInfo> parse_name(std::string_view file) const override {
    if (!file.ends_with(".sql")) return std::nullopt;
    std::string_view stem = file.substr(0, file.size() - 4);
    size_t n = stem.find_first_not_of("0123456789");
    if (n == 0) return std::nullopt;
    if (n == std::string_view::npos) return NameInfo{std::string(stem), std::string(file)};
    std::string_view rest = stem.substr(n);
    if (rest[0] == '_' || rest[0] == '-') rest.remove_prefix(1);
    return NameInfo{std::string(stem.substr(0, n)),
                    rest.empty() ? std::string(file) : std::string(rest)};
  }
  void split(Migration& m, const std::string& text) const override {
    m.text = text;
    m.no_transaction = text.find(kDisable) != std::string::npos;
  }
};

}  // namespace

const Format& postgres_migrations_format() {
  static const PostgresMigrationsFormat f;
  return f;
}

}  // namespace strata::formats
