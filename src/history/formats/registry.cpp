// The list of other tools' history table formats and the helpers they share. Adding a tool: one
// file with a `HistoryFormat` and one line here.
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "history/formats/history_format.hpp"
#include "migration/version.hpp"
#include "util/error.hpp"
#include "util/file.hpp"

namespace strata {

const HistoryFormat& dbmate_history();
const HistoryFormat& golang_migrate_history();
const HistoryFormat& goose_history();
const HistoryFormat& flyway_history();
const HistoryFormat& node_pg_migrate_history();
const HistoryFormat& postgres_migrations_history();
const HistoryFormat& graphile_migrate_history();

const std::vector<const HistoryFormat*>& all_history_formats() {
  static const std::vector<const HistoryFormat*> list = {
      &dbmate_history(),          &golang_migrate_history(),  &goose_history(),
      &flyway_history(),          &node_pg_migrate_history(), &postgres_migrations_history(),
      &graphile_migrate_history()};
  return list;
}

const HistoryFormat* find_history_format(std::string_view name) {
  for (const HistoryFormat* f : all_history_formats())
    if (f->name() == name) return f;
  return nullptr;
}

std::vector<const HistoryFormat*> history_formats_named(const std::vector<std::string>& names,
                                                        const char* key) {
  std::vector<const HistoryFormat*> out;
  for (const auto& n : names) {
    const HistoryFormat* f = find_history_format(n);
    if (!f) {
      std::vector<std::string> known;
      for (const auto* k : all_history_formats()) known.emplace_back(k->name());
      Error e(fmt::format("strata.toml: [history] {} names an unknown tool \"{}\"", key, n),
              ExitCode::config);
      e.hint = fmt::format("known tools: {}", fmt::join(known, ", "));
      throw e;
    }
    out.push_back(f);
  }
  return out;
}

std::vector<std::string> table_columns(db::Connection& conn, const std::string& table) {
  auto r = conn.exec_params(
      "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT "
      "attisdropped",
      {table});
  std::vector<std::string> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(r.get(i, 0));
  return out;
}

bool has_columns(db::Connection& conn, const std::string& table,
                 const std::vector<std::string>& required, const std::vector<std::string>& absent) {
  auto cols = table_columns(conn, table);
  if (cols.empty()) return false;
  auto has = [&](const std::string& c) {
    return std::find(cols.begin(), cols.end(), c) != cols.end();
  };
  return std::all_of(required.begin(), required.end(), has) &&
         std::none_of(absent.begin(), absent.end(), has);
}

const Migration* local_version(const std::vector<Migration>& local, std::string_view version) {
  for (const auto& m : local)
    if (m.version == version) return &m;
  for (const auto& m : local)
    if (same_version(m.version, version)) return &m;
  return nullptr;
}

HistoryRow foreign_row(const std::vector<Migration>& local, std::string_view origin,
                       const std::string& version, const std::string& name) {
  HistoryRow h;
  const Migration* m = local_version(local, version);
  h.version = m ? m->version : version;
  h.name = m ? m->name : name;
  h.origin = std::string(origin);
  return h;
}

int flyway_checksum(std::string_view text) {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  uint32_t crc = 0xFFFFFFFFu;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\r' || c == '\n') continue;  // line terminators are not part of any line
    crc = table[(crc ^ static_cast<unsigned char>(c)) & 0xFF] ^ (crc >> 8);
  }
  return static_cast<int>(static_cast<int32_t>(crc ^ 0xFFFFFFFFu));
}

std::string read_text_file(const std::filesystem::path& path) {
  return try_read_file(path).value_or("");
}

}  // namespace strata
