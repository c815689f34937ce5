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

std::optional<FileName> parse_prefixed_name(std::string_view file_name) {
  if (!file_name.ends_with(".sql")) return std::nullopt;
  std::string_view stem = file_name.substr(0, file_name.size() - 4);
  size_t n = 0;
  while (n < stem.size() && stem[n] >= '0' && stem[n] <= '9') ++n;
  if (n == 0) return std::nullopt;
  if (n == stem.size()) return FileName{std::string(stem), std::string(stem)};  // 000001.sql
  if (stem[n] == '-') {
    if (n + 1 == stem.size()) return std::nullopt;
    return FileName{std::string(stem.substr(0, n)), std::string(stem.substr(n + 1))};
  }
  if (stem[n] != '_') return std::nullopt;
  // YYYYMMDD_HHMMSS_name: a date, then a time of day, then the name.
  if (n == 8 && stem.size() > 16 && all_digits(stem.substr(9, 6)) && stem[15] == '_') {
    int month = (stem[4] - '0') * 10 + (stem[5] - '0');
    int hour = (stem[9] - '0') * 10 + (stem[10] - '0');
    if (month >= 1 && month <= 12 && hour < 24)
      return FileName{std::string(stem.substr(0, 8)) + std::string(stem.substr(9, 6)),
                      std::string(stem.substr(16))};
  }
  return parse_versioned_name(file_name);
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

// Digits separated by single dots, with at least one dot: `1.1`, `2.0.10`.
static bool dotted(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.' || s.find('.') == std::string_view::npos)
    return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '.') {
      if (s[i + 1] == '.') return false;
    } else if (s[i] < '0' || s[i] > '9') {
      return false;
    }
  }
  return true;
}

// Segment-wise numeric order of dotted (or plain digit) versions; missing segments count as 0.
static int compare_segments(std::string_view a, std::string_view b) {
  while (!a.empty() || !b.empty()) {
    size_t ea = a.find('.'), eb = b.find('.');
    std::string_view sa = a.substr(0, ea), sb = b.substr(0, eb);
    a = ea == std::string_view::npos ? std::string_view() : a.substr(ea + 1);
    b = eb == std::string_view::npos ? std::string_view() : b.substr(eb + 1);
    size_t za = sa.find_first_not_of('0'), zb = sb.find_first_not_of('0');
    sa = za == std::string_view::npos ? std::string_view() : sa.substr(za);
    sb = zb == std::string_view::npos ? std::string_view() : sb.substr(zb);
    if (sa.size() != sb.size()) return sa.size() < sb.size() ? -1 : 1;
    if (int c = sa.compare(sb)) return c < 0 ? -1 : 1;
  }
  return 0;
}

bool same_version(std::string_view a, std::string_view b) {
  bool na = all_digits(a) || dotted(a), nb = all_digits(b) || dotted(b);
  if (na && nb) return compare_segments(a, b) == 0;
  return a == b;
}

int compare_versions(std::string_view a, std::string_view b) {
  if ((dotted(a) || dotted(b)) && (dotted(a) || all_digits(a)) && (dotted(b) || all_digits(b))) {
    if (int c = compare_segments(a, b)) return c;
    return a.size() == b.size() ? a.compare(b) : (a.size() < b.size() ? -1 : 1);
  }
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
