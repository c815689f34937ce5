// node-pg-migrate's history: `public.pgmigrations (id serial, name varchar(255), run_on
// timestamp)`, one row per applied migration named by its file name without extension
// (`1700000000000_create-posts`), deleted on rollback.
#include "history/formats/history_format.hpp"

namespace strata {
namespace {

class NodePgMigrateHistory : public HistoryFormat {
 public:
  std::string_view name() const override { return "node-pg-migrate"; }
  std::string_view table() const override { return "public.pgmigrations"; }
  bool present(db::Connection& conn, const HistoryTable& t) const override {
    return has_columns(conn, t.name, {"name", "run_on"});
  }
  std::string ensure_sql(const HistoryTable& t) const override {
    return "CREATE TABLE IF NOT EXISTS " + t.name +
           " (id SERIAL PRIMARY KEY, name "
           "varchar(255) NOT NULL, run_on timestamp NOT NULL)";
  }
  std::vector<HistoryRow> load(db::Connection& conn, const HistoryTable& t,
                               const std::vector<Migration>& local) const override {
    std::vector<HistoryRow> out;
    auto r = conn.exec("SELECT name FROM " + t.name + " ORDER BY run_on, id");
    for (int i = 0; i < r.rows(); ++i) {
      std::string file = r.get(i, 0);
      size_t n = file.find_first_not_of("0123456789");
      std::string version = n == 0 ? file : file.substr(0, n);
      std::string rest = n == std::string::npos || n == 0 ? file : file.substr(n + 1);
      out.push_back(foreign_row(local, name(), version, rest));
    }
    return out;
  }
  std::vector<HistoryStore::Sql> record_apply(const AppliedRecord& r,
                                              const HistoryTable& t) const override {
    return {
        {"INSERT INTO " + t.name + " (name, run_on) VALUES ($1, now())", {r.path.stem().string()}}};
  }
  std::vector<HistoryStore::Sql> record_revert(const AppliedRecord& r,
                                               const HistoryTable& t) const override {
    return {{"DELETE FROM " + t.name + " WHERE substring(name from '^[0-9]+') = $1", {r.version}}};
  }
};

}  // namespace

const HistoryFormat& node_pg_migrate_history() {
  static const NodePgMigrateHistory f;
  return f;
}

}  // namespace strata
