// dbmate's history: `public.schema_migrations (version varchar PRIMARY KEY)`, one row per applied
// version, deleted on rollback. (golang-migrate's table of the same name has a `dirty` column.)
#include "history/formats/history_format.hpp"

namespace strata {
namespace {

class DbmateHistory : public HistoryFormat {
 public:
  std::string_view name() const override { return "dbmate"; }
  std::string_view table() const override { return "public.schema_migrations"; }
  bool present(db::Connection& conn, const HistoryTable& t) const override {
    return has_columns(conn, t.name, {"version"}, {"dirty"});
  }
  std::string ensure_sql(const HistoryTable& t) const override {
    return "CREATE TABLE IF NOT EXISTS " + t.name + " (version varchar PRIMARY KEY)";
  }
  std::vector<HistoryRow> load(db::Connection& conn, const HistoryTable& t,
                               const std::vector<Migration>& local) const override {
    std::vector<HistoryRow> out;
    auto r = conn.exec("SELECT version FROM " + t.name + " ORDER BY version");
    for (int i = 0; i < r.rows(); ++i) out.push_back(foreign_row(local, name(), r.get(i, 0), ""));
    return out;
  }
  std::vector<HistoryStore::Sql> record_apply(const AppliedRecord& r,
                                              const HistoryTable& t) const override {
    return {
        {"INSERT INTO " + t.name + " (version) VALUES ($1) ON CONFLICT DO NOTHING", {r.version}}};
  }
  std::vector<HistoryStore::Sql> record_revert(const AppliedRecord& r,
                                               const HistoryTable& t) const override {
    return {{"DELETE FROM " + t.name + " WHERE version = $1", {r.version}}};
  }
};

}  // namespace

const HistoryFormat& dbmate_history() {
  static const DbmateHistory f;
  return f;
}

}  // namespace strata
