// goose's history: `public.goose_db_version (id, version_id bigint, is_applied boolean, tstamp)`,
// an append log (a row with version 0 when created); the newest row of a version says whether it
// is applied. goose v3 deletes the rows of a version on rollback.
#include <map>

#include "history/formats/history_format.hpp"

namespace strata {
namespace {

class GooseHistory : public HistoryFormat {
 public:
  std::string_view name() const override { return "goose"; }
  std::string_view table() const override { return "public.goose_db_version"; }
  bool present(db::Connection& conn, const HistoryTable& t) const override {
    return has_columns(conn, t.name, {"version_id", "is_applied"});
  }
  std::string ensure_sql(const HistoryTable& t) const override {
    return "CREATE TABLE IF NOT EXISTS " + t.name +
           " (id integer PRIMARY KEY GENERATED "
           "BY DEFAULT AS IDENTITY, version_id bigint NOT NULL, is_applied boolean NOT NULL, "
           "tstamp timestamp NOT NULL DEFAULT now());\n"
           "INSERT INTO " +
           t.name +
           " (version_id, is_applied) SELECT 0, true WHERE NOT "
           "EXISTS (SELECT 1 FROM " +
           t.name + ")";
  }
  std::vector<HistoryRow> load(db::Connection& conn, const HistoryTable& t,
                               const std::vector<Migration>& local) const override {
    std::map<std::string, bool> state;  // version -> applied, newest row wins
    std::vector<std::string> order;
    auto r = conn.exec("SELECT version_id::text, is_applied FROM " + t.name +
                       " WHERE version_id > 0 "
                       "ORDER BY id");
    for (int i = 0; i < r.rows(); ++i) {
      if (!state.count(r.get(i, 0))) order.push_back(r.get(i, 0));
      state[r.get(i, 0)] = r.get(i, 1) == "t";
    }
    std::vector<HistoryRow> out;
    for (const auto& v : order)
      if (state[v]) out.push_back(foreign_row(local, name(), v, ""));
    return out;
  }
  std::vector<HistoryStore::Sql> record_apply(const AppliedRecord& r,
                                              const HistoryTable& t) const override {
    if (r.version.find_first_not_of("0123456789") != std::string::npos) return {};
    return {{"INSERT INTO " + t.name +
                 " (version_id, is_applied) VALUES ($1::bigint, "
                 "true)",
             {r.version}}};
  }
  std::vector<HistoryStore::Sql> record_revert(const AppliedRecord& r,
                                               const HistoryTable& t) const override {
    if (r.version.find_first_not_of("0123456789") != std::string::npos) return {};
    return {{"DELETE FROM " + t.name + " WHERE version_id = $1::bigint", {r.version}}};
  }
};

}  // namespace

const HistoryFormat& goose_history() {
  static const GooseHistory f;
  return f;
}

}  // namespace strata
