// Flyway: `V<version>__<description>.sql` (versions `1`, `1.1`, `1_1`: underscores read as dots,
// as Flyway does), `U<version>__<description>.sql` undo files (the down migration of that
// version) and `R__<description>.sql` repeatable migrations, applied after the versioned ones
// and again whenever their checksum changes. A `<file>.sql.conf` beside a script with
// `executeInTransaction=false` runs it outside a transaction.
#include <algorithm>
#include <fstream>
#include <sstream>

#include "migration/formats/format.hpp"

namespace strata::formats {
namespace {

// `1`, `1.1`, `1_1`, `2.0.10` -> dotted form; "" if not a Flyway version.
std::string flyway_version(std::string_view v) {
  std::string out;
  bool digit_before = false;
  for (char c : v) {
    if (c >= '0' && c <= '9') {
      out += c;
      digit_before = true;
    } else if ((c == '.' || c == '_') && digit_before) {
      out += '.';
      digit_before = false;
    } else {
      return {};
    }
  }
  return digit_before ? out : std::string();
}

class FlywayFormat : public Format {
 public:
  std::string_view name() const override { return "flyway"; }
  std::string detect(const std::vector<FileSample>& files) const override {
    for (const auto& f : files) {
      auto n = parse_name(f.file);
      if (n && n->kind == FileKind::up) return "the V<version>__<description>.sql name " + f.file;
    }
    return {};
  }
  std::optional<NameInfo> parse_name(std::string_view file) const override {
    if (!file.ends_with(".sql") || file.size() < 7) return std::nullopt;
    std::string_view stem = file.substr(0, file.size() - 4);
    char prefix = stem[0];
    if (prefix == 'R' && stem.starts_with("R__") && stem.size() > 3)
      return NameInfo{std::string(stem), std::string(stem.substr(3)), FileKind::repeatable};
    if (prefix != 'V' && prefix != 'U') return std::nullopt;
    size_t sep = stem.find("__");
    if (sep == std::string_view::npos || sep < 2 || sep + 2 >= stem.size()) return std::nullopt;
    std::string version = flyway_version(stem.substr(1, sep - 1));
    if (version.empty()) return std::nullopt;
    return NameInfo{version, std::string(stem.substr(sep + 2)),
                    prefix == 'V' ? FileKind::up : FileKind::down};
  }
  std::string skip_note(std::string_view file) const override {
    // Flyway's callback events: `<event>.sql` or `<event>__<description>.sql`.
    static constexpr std::string_view kEvents[] = {"beforeMigrate",
                                                   "beforeRepeatables",
                                                   "beforeEachMigrate",
                                                   "beforeEachMigrateStatement",
                                                   "afterEachMigrateStatement",
                                                   "afterEachMigrateStatementError",
                                                   "afterEachMigrate",
                                                   "afterEachMigrateError",
                                                   "afterMigrate",
                                                   "afterMigrateApplied",
                                                   "afterVersioned",
                                                   "afterMigrateError",
                                                   "beforeUndo",
                                                   "beforeEachUndo",
                                                   "beforeEachUndoStatement",
                                                   "afterEachUndoStatement",
                                                   "afterEachUndoStatementError",
                                                   "afterEachUndo",
                                                   "afterEachUndoError",
                                                   "afterUndo",
                                                   "afterUndoError",
                                                   "beforeClean",
                                                   "afterClean",
                                                   "afterCleanError",
                                                   "beforeInfo",
                                                   "afterInfo",
                                                   "afterInfoError",
                                                   "beforeValidate",
                                                   "afterValidate",
                                                   "afterValidateError",
                                                   "beforeBaseline",
                                                   "afterBaseline",
                                                   "afterBaselineError",
                                                   "beforeRepair",
                                                   "afterRepair",
                                                   "afterRepairError",
                                                   "createSchema",
                                                   "beforeCreateSchema",
                                                   "beforeConnect",
                                                   "afterConnect"};
    if (!file.ends_with(".sql")) return {};
    std::string_view stem = file.substr(0, file.size() - 4);
    std::string_view event = stem.substr(0, stem.find("__"));
    for (std::string_view e : kEvents)
      if (event == e)
        return std::string("a Flyway callback (") + std::string(e) +
               "): strata does not run Flyway callbacks; run it yourself or turn it into an "
               "`R__` repeatable migration";
    return {};
  }
  void split(Migration& m, const std::string& text) const override {
    m.text = text;
    std::ifstream conf(m.path.string() + ".conf");
    std::string line;
    while (std::getline(conf, line)) {
      std::string l = lower(line);
      l.erase(std::remove_if(l.begin(), l.end(), [](char c) { return c == ' ' || c == '\t'; }),
              l.end());
      if (l == "executeintransaction=false") m.no_transaction = true;
    }
  }
};

}  // namespace

const Format& flyway_format() {
  static const FlywayFormat f;
  return f;
}

}  // namespace strata::formats
