// golang-migrate's history: `public.schema_migrations (version bigint PRIMARY KEY, dirty boolean)`
// holding ONE row, the current version; every local migration up to it counts as applied. A
// dirty row (a migration failed part-way) comes back as a failed row of that version, so status
// reports it and `up` refuses until it is repaired, never adopted silently.
#include "history/formats/history_format.hpp"
#include "migration/version.hpp"

namespace strata {
namespace {

bool numeric(const std::string& v) {
  return !v.empty() && v.find_first_not_of("0123456789") == std::string::npos;
}

class GolangMigrateHistory : public HistoryFormat {
 public:
  std::string_view name() const override { return "golang-migrate"; }
  std::string_view table() const override { return "public.schema_migrations"; }
  bool present(db::Connection& conn, const HistoryTable& t) const override {
    return has_columns(conn, t.name, {"version", "dirty"});
  }
  std::string ensure_sql(const HistoryTable& t) const override {
    return "CREATE TABLE IF NOT EXISTS " + t.name +
           " (version bigint NOT NULL PRIMARY "
           "KEY, dirty boolean NOT NULL)";
  }
  std::vector<HistoryRow> load(db::Connection& conn, const HistoryTable& t,
                               const std::vector<Migration>& local) const override {
    std::vector<HistoryRow> out;
    auto r = conn.exec("SELECT version::text, dirty FROM " + t.name + " LIMIT 1");
    if (r.rows() == 0) return out;
    std::string current = r.get(0, 0);
    bool dirty = r.get(0, 1) == "t";
    bool have_current = false;
    for (const auto& m : local) {
      if (!numeric(m.version) || compare_versions(m.version, current) > 0) continue;
      HistoryRow h = foreign_row(local, name(), m.version, m.name);
      if (same_version(m.version, current)) {
        have_current = true;
        if (dirty) {
          h.success = false;
          h.checksum = "golang-migrate:dirty";  // never matches: up refuses, repair decides
          h.error = "golang-migrate marked this version dirty: it failed part-way";
        }
      }
      out.push_back(std::move(h));
    }
    if (!have_current && current != "0") {
      HistoryRow h = foreign_row(local, name(), current, "");
      if (dirty) {
        h.success = false;
        h.checksum = "golang-migrate:dirty";
      }
      out.push_back(std::move(h));
    }
    return out;
  }
  std::vector<HistoryStore::Sql> record_apply(const AppliedRecord& r,
                                              const HistoryTable& t) const override {
    if (!numeric(r.version)) return {};
    return {
        {"WITH old AS (DELETE FROM " + t.name +
             " RETURNING version) "
             "INSERT INTO " +
             t.name +
             " (version, dirty) "
             "SELECT greatest($1::bigint, coalesce((SELECT max(version) FROM old), $1::bigint)), "
             "false",
         {r.version}}};
  }
  std::vector<HistoryStore::Sql> record_revert(const AppliedRecord& r,
                                               const HistoryTable& t) const override {
    if (!numeric(r.version)) return {};
    // The version before it: the local one before it (as `migrate down 1` / `migrate force`
    // leave it), else the newest numeric one strata still has applied.
    if (numeric(r.previous_version))
      return {{"WITH old AS (DELETE FROM " + t.name + " RETURNING version) INSERT INTO " + t.name +
                   " (version, dirty) VALUES ($1::bigint, false)",
               {r.previous_version}}};
    return {{"WITH old AS (DELETE FROM " + t.name +
                 " RETURNING version) "
                 "INSERT INTO " +
                 t.name +
                 " (version, dirty) "
                 "SELECT v, false FROM (SELECT max(version::bigint) AS v FROM " +
                 r.history_schema +
                 ".migrations WHERE source = $2 AND version ~ '^[0-9]{1,18}$' AND "
                 "version::bigint < $1::bigint) s WHERE v IS NOT NULL",
             {r.version, r.source}}};
  }
};

}  // namespace

const HistoryFormat& golang_migrate_history() {
  static const GolangMigrateHistory f;
  return f;
}

}  // namespace strata
