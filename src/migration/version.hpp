// Versions: the digit prefix of `<digits>_<name>.sql`, ordered numerically, with 8-digit dates
// (YYYYMMDD) and 12-digit minutes read as the 14-digit timestamps they abbreviate, so that
// 20260420 < 20260420010000 < 20260501 and 9 < 10. Dotted versions (Flyway's `1.1`, `1.10`)
// compare segment by segment: 1 < 1.1 < 1.2 < 1.10 < 2.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace strata {

struct FileName {
  std::string version;  // digits, as written (leading zeros kept)
  std::string name;     // after the first underscore, without .sql
};

// `<digits>_<name>.sql` -> {version, name}; nullopt for anything else (the Supabase CLI's rule).
std::optional<FileName> parse_versioned_name(std::string_view file_name);

// strata's own layouts: `<digits>_<name>.sql`, `YYYYMMDD_HHMMSS_<name>.sql` (version: the 14
// digits), `<digits>-<name>.sql` and a bare `<digits>.sql` (name: the digits); nullopt otherwise.
std::optional<FileName> parse_prefixed_name(std::string_view file_name);

// True when two versions name the same migration: equal numbers whatever the leading zeros
// (`001` and `1`), segment by segment for dotted ones (`1.01` and `1.1`), else equal bytes.
bool same_version(std::string_view a, std::string_view b);

// <0, 0, >0 like strcmp, by the ordering described above. Non-digit versions (unversioned file
// stems) sort after digit versions, by byte order.
int compare_versions(std::string_view a, std::string_view b);

struct VersionLess {
  bool operator()(std::string_view a, std::string_view b) const {
    return compare_versions(a, b) < 0;
  }
};

}  // namespace strata
