// Seed 003's runner's tracking tables, one per tier, keyed by file name: `public._migrations
// (filename)` for core, `public._content_migrations (source_type, source_name, filename)` for a
// theme's or plugin's content, `public._entity_migrations (entity_name, source_type,
// source_name, filename)` for an entity. Kept for a source whose `legacy` tracking names its
// tier and rows (SourceConfig::legacy), so the runner's other tooling keeps working; rows only
// they record are adopted with origin "legacy".
#include <algorithm>

#include "history/formats/history_format.hpp"

namespace strata {
namespace {

// A row's file name -> version as strata's file layouts read it: the digits before the first
// `_` (an explicit file order keeps the whole stem).
HistoryRow legacy_row(const SourceConfig& source, const std::string& file) {
  std::string stem = file.ends_with(".sql") ? file.substr(0, file.size() - 4) : file;
  size_t us = stem.find('_');
  bool numbered = us != std::string::npos &&
                  std::all_of(stem.begin(), stem.begin() + static_cast<long>(us), ::isdigit);
  HistoryRow h;
  h.version = source.order.empty() && numbered ? stem.substr(0, us) : stem;
  h.name = stem;
  h.origin = "legacy";
  return h;
}

// What differs between the three tables: the table, its shape, the key columns that pick this
// source's rows (besides `filename`), and the columns an insert also fills.
class TierRunnerHistory : public HistoryFormat {
 public:
  TierRunnerHistory(std::string_view name, std::string_view table, std::string_view columns,
                    std::vector<std::string> keys, std::vector<std::string> also = {})
      : name_(name), table_(table), columns_(columns), keys_(std::move(keys)) {
    inserted_ = keys_;
    inserted_.insert(inserted_.end(), also.begin(), also.end());
  }
  std::string_view name() const override { return name_; }
  std::string_view table() const override { return table_; }
  bool present(db::Connection& conn, const HistoryTable& t) const override {
    std::vector<std::string> required = {"filename"};
    required.insert(required.end(), keys_.begin(), keys_.end());
    return has_columns(conn, t.name, required);
  }
  std::string ensure_sql(const HistoryTable& t) const override {
    return "CREATE TABLE IF NOT EXISTS " + t.name + " (" + columns_ + ")";
  }
  std::vector<HistoryRow> load(db::Connection& conn, const HistoryTable& t,
                               const std::vector<Migration>&) const override {
    auto r = conn.exec_params("SELECT filename FROM " + t.name + where(1) + " ORDER BY filename",
                              key_values(t.source));
    std::vector<HistoryRow> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(legacy_row(t.source, r.get(i, 0)));
    return out;
  }
  std::vector<HistoryStore::Sql> record_apply(const AppliedRecord& r,
                                              const HistoryTable& t) const override {
    if (r.path.empty()) return {};
    db::Params params = values_of(inserted_, t.source);
    std::string cols, values;
    for (size_t i = 0; i < inserted_.size(); ++i) {
      cols += inserted_[i] + ", ";
      values += "$" + std::to_string(i + 1) + ", ";
    }
    params.push_back(r.path.filename().string());
    return {{"INSERT INTO " + t.name + " (" + cols + "filename) VALUES (" + values + "$" +
                 std::to_string(params.size()) + ") ON CONFLICT DO NOTHING",
             params}};
  }
  std::vector<HistoryStore::Sql> record_revert(const AppliedRecord& r,
                                               const HistoryTable& t) const override {
    if (r.path.empty()) return {};
    db::Params params = key_values(t.source);
    params.push_back(r.path.filename().string());
    std::string w = where(1);
    return {{"DELETE FROM " + t.name + w + (w.empty() ? " WHERE " : " AND ") + "filename = $" +
                 std::to_string(params.size()),
             params}};
  }

 private:
  std::string name_, table_, columns_;
  std::vector<std::string> keys_;      // "source_type", "source_name", "entity_name"
  std::vector<std::string> inserted_;  // keys_ and the other columns an insert fills

  // " WHERE k1 = $first AND ..." over the key columns ("" for none).
  std::string where(size_t first) const {
    std::string w;
    for (size_t i = 0; i < keys_.size(); ++i)
      w += (i ? " AND " : " WHERE ") + keys_[i] + " = $" + std::to_string(first + i);
    return w;
  }
  db::Params key_values(const SourceConfig& s) const { return values_of(keys_, s); }
  static db::Params values_of(const std::vector<std::string>& columns, const SourceConfig& s) {
    db::Params out;
    for (const auto& k : columns)
      out.push_back(k == "entity_name"   ? s.legacy.entity
                    : k == "source_type" ? s.legacy.source_type
                                         : s.legacy.source_name);
    return out;
  }
};

}  // namespace

const HistoryFormat* tier_runner_history(std::string_view kind) {
  // The shapes seed 003's runner creates.
  static const TierRunnerHistory core(
      "legacy-core", "public._migrations",
      "id SERIAL PRIMARY KEY, filename TEXT UNIQUE NOT NULL, executed_at TIMESTAMP DEFAULT "
      "CURRENT_TIMESTAMP",
      {});
  static const TierRunnerHistory content(
      "legacy-content", "public._content_migrations",
      "id SERIAL PRIMARY KEY, source_type TEXT NOT NULL, source_name TEXT NOT NULL, filename "
      "TEXT NOT NULL, executed_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, UNIQUE (source_type, "
      "source_name, filename)",
      {"source_type", "source_name"});
  static const TierRunnerHistory entity(
      "legacy-entity", "public._entity_migrations",
      "id SERIAL PRIMARY KEY, entity_name TEXT NOT NULL, source_type TEXT NOT NULL, source_name "
      "TEXT NOT NULL, filename TEXT NOT NULL, executed_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, "
      "UNIQUE (entity_name, filename)",
      {"entity_name"}, {"source_type", "source_name"});
  if (kind == "core") return &core;
  if (kind == "content") return &content;
  if (kind == "entity") return &entity;
  return nullptr;
}

}  // namespace strata
