// graphile-migrate's history: `graphile_migrate.migrations (hash, previous_hash, filename, date)`,
// one row per committed migration (`000001.sql`); read for adoption. Not mirrored: each row's
// hash chains the previous one's over graphile-migrate's own normalisation of the file.
#include "history/formats/history_format.hpp"

namespace strata {
namespace {

class GraphileMigrateHistory : public HistoryFormat {
 public:
  std::string_view name() const override { return "graphile-migrate"; }
  std::string_view table() const override { return "graphile_migrate.migrations"; }
  bool present(db::Connection& conn, const HistoryTable& t) const override {
    return has_columns(conn, t.name, {"hash", "filename"});
  }
  std::string ensure_sql(const HistoryTable&) const override { return {}; }
  std::vector<HistoryRow> load(db::Connection& conn, const HistoryTable& t,
                               const std::vector<Migration>& local) const override {
    std::vector<HistoryRow> out;
    auto r = conn.exec("SELECT filename FROM " + t.name + " ORDER BY date, filename");
    for (int i = 0; i < r.rows(); ++i) {
      std::string file = r.get(i, 0);
      size_t n = file.find_first_not_of("0123456789");
      std::string version = n == 0 ? file : file.substr(0, n);
      out.push_back(foreign_row(local, name(), version, file));
    }
    return out;
  }
  std::vector<HistoryStore::Sql> record_apply(const AppliedRecord&,
                                              const HistoryTable&) const override {
    return {};
  }
  std::vector<HistoryStore::Sql> record_revert(const AppliedRecord&,
                                               const HistoryTable&) const override {
    return {};
  }
};

}  // namespace

const HistoryFormat& graphile_migrate_history() {
  static const GraphileMigrateHistory f;
  return f;
}

}  // namespace strata
