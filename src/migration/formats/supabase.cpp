// The Supabase CLI's layout: only `<digits>_<name>.sql` files run (the CLI's pattern
// `^([0-9]+)_(.*)\.sql$`); any other file in supabase/migrations is skipped with a warning, as
// the CLI does. Directives and down files as in strata's own layout.
#include "migration/formats/format.hpp"
#include "migration/version.hpp"

namespace strata::formats {
namespace {

class SupabaseFormat : public Format {
 public:
  std::string_view name() const override { return "supabase"; }
  std::string detect(const std::vector<FileSample>&) const override { return {}; }
  std::optional<NameInfo> parse_name(std::string_view file) const override {
    auto f = parse_versioned_name(file);
    if (!f) return std::nullopt;
    return NameInfo{f->version, f->name, FileKind::up};
  }
  void split(Migration& m, const std::string& text) const override { split_native(m, text); }
};

}  // namespace

const Format& supabase_format() {
  static const SupabaseFormat f;
  return f;
}

}  // namespace strata::formats
