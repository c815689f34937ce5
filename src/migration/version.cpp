// Version parsing and the numeric, timestamp-aware version order.
#include "migration/version.hpp"

#include <algorithm>

namespace strata {

static bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<FileName> parse_versioned_name(std::string_view file_name) {
  if (!file_name.ends_with(".sql")) return std::nullopt;
  std::string_view stem = file_name.substr(0, file_name.size() - 4);
  size_t us = stem.find('_');
  if (us == std::string_view::npos || us == 0) return std::nullopt;
  std::string_view digits = stem.substr(0, us);
  if (!all_digits(digits)) return std::nullopt;
  std::string_view name = stem.substr(us + 1);
  if (name.empty()) return std::nullopt;
  return FileName{std::string(digits), std::string(name)};
}

// A calendar-looking prefix (19xx/20xx with a valid month and day) of 8 or 12 digits is
// widened to 14 digits so dates and timestamps interleave chronologically. No allocation: the
// sort of thousands of files compares versions tens of thousands of times.
namespace {

struct Widened {
  std::string_view digits;  // without leading zeros
  size_t pad = 0;           // trailing zeros appended (8/12-digit dates -> 14)
  size_t size() const { return digits.size() + pad; }
  char at(size_t i) const { return i < digits.size() ? digits[i] : '0'; }
};

int two(std::string_view d, size_t at) {
  return (d[at] - '0') * 10 + (d[at + 1] - '0');
}

Widened widen(std::string_view v) {
  if (v.size() == 8 || v.size() == 12) {
    int year = two(v, 0) * 100 + two(v, 2), month = two(v, 4), day = two(v, 6);
    if (year >= 1900 && year <= 2199 && month >= 1 && month <= 12 && day >= 1 && day <= 31)
      return {v, 14 - v.size()};
  }
  size_t nz = v.find_first_not_of('0');
  return {nz == std::string_view::npos ? std::string_view("0") : v.substr(nz), 0};
}

}  // namespace

int compare_versions(std::string_view a, std::string_view b) {
  bool da = all_digits(a), db = all_digits(b);
  if (da != db) return da ? -1 : 1;
  if (!da) return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
  Widened wa = widen(a), wb = widen(b);
  if (wa.size() != wb.size()) return wa.size() < wb.size() ? -1 : 1;
  for (size_t i = 0; i < wa.size(); ++i) {
    char ca = wa.at(i), cb = wb.at(i);
    if (ca != cb) return ca < cb ? -1 : 1;
  }
  // Same value written differently (e.g. 20260420 and 20260420000000): shorter first.
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return 0;
}

}  // namespace strata
