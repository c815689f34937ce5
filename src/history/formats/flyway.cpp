// Flyway's history: `public.flyway_schema_history` (installed_rank, version, description, type,
// script, checksum, installed_by, installed_on, execution_time, success). Versioned rows have a
// version; repeatable rows (`R__`) none, and the newest row of a script wins; UNDO_* and DELETE
// rows take a version back out; a BASELINE row counts every local version up to it as applied.
// Checksums are compared with Flyway's own CRC32 of the local file: equal is applied, different
// is modified (a repeatable one is applied again).
#include <fmt/format.h>

#include <map>

#include "history/formats/history_format.hpp"
#include "migration/version.hpp"

namespace strata {
namespace {

std::string stem(const std::string& script) {
  std::string s = script.substr(script.find_last_of('/') + 1);
  return s.ends_with(".sql") ? s.substr(0, s.size() - 4) : s;
}

class FlywayHistory : public HistoryFormat {
 public:
  std::string_view name() const override { return "flyway"; }
  std::string_view table() const override { return "public.flyway_schema_history"; }
  bool present(db::Connection& conn, const HistoryTable& t) const override {
    return has_columns(conn, t.name,
                       {"installed_rank", "version", "script", "checksum", "success"});
  }
  std::string ensure_sql(const HistoryTable& t) const override {
    return R"(CREATE TABLE IF NOT EXISTS )" + t.name + R"( (
  installed_rank integer NOT NULL CONSTRAINT flyway_schema_history_pk PRIMARY KEY,
  version varchar(50), description varchar(200) NOT NULL, type varchar(20) NOT NULL,
  script varchar(1000) NOT NULL, checksum integer, installed_by varchar(100) NOT NULL,
  installed_on timestamp NOT NULL DEFAULT now(), execution_time integer NOT NULL,
  success boolean NOT NULL);
CREATE INDEX IF NOT EXISTS flyway_schema_history_s_idx ON )" +
           t.name + R"( (success))";
  }
  std::vector<HistoryRow> load(db::Connection& conn, const HistoryTable& t,
                               const std::vector<Migration>& local) const override {
    struct Entry {
      std::string key, description, checksum;
      bool success = true;
    };
    std::map<std::string, Entry> applied;  // version or R__ stem -> newest row
    std::vector<std::string> order;
    std::string baseline;
    auto r = conn.exec(
        "SELECT coalesce(version, ''), description, type, script, coalesce(checksum::text, ''), "
        "success FROM " +
        t.name + " ORDER BY installed_rank");
    for (int i = 0; i < r.rows(); ++i) {
      std::string version = r.get(i, 0), type = r.get(i, 2), script = r.get(i, 3);
      if (type == "SCHEMA") continue;
      if (type == "BASELINE") {
        baseline = version;
        continue;
      }
      std::string key = version.empty() ? stem(script) : version;
      if (type.starts_with("UNDO") || type == "DELETE") {
        applied.erase(key);
        continue;
      }
      if (!applied.count(key)) order.push_back(key);
      applied[key] = {key, r.get(i, 1), r.get(i, 4), r.get(i, 5) == "t"};
    }
    std::vector<HistoryRow> out;
    if (!baseline.empty()) {
      for (const auto& m : local)
        if (!m.repeatable && compare_versions(m.version, baseline) <= 0 &&
            !applied.count(m.version))
          out.push_back(foreign_row(local, name(), m.version, m.name));
    }
    for (const auto& key : order) {
      auto it = applied.find(key);
      if (it == applied.end()) continue;
      const Entry& e = it->second;
      HistoryRow h = foreign_row(local, name(), key, e.description);
      if (!e.success) {
        h.success = false;
        h.checksum = "flyway:failed";
        h.error = "Flyway recorded this migration as failed";
      } else if (const Migration* m = local_version(local, key); m && !e.checksum.empty()) {
        int mine = flyway_checksum(read_text_file(m->path));
        if (std::to_string(mine) != e.checksum) h.checksum = "flyway-crc32:" + e.checksum;
      }
      out.push_back(std::move(h));
    }
    return out;
  }
  std::vector<HistoryStore::Sql> record_apply(const AppliedRecord& r,
                                              const HistoryTable& t) const override {
    std::string description = r.name;
    for (char& c : description)
      if (c == '_') c = ' ';
    std::string script = r.path.filename().string();
    // Applied again after a revert or a repair: one row per version, as Flyway keeps it.
    return {{"DELETE FROM " + t.name + " WHERE version = $1", {r.version}},
            {"INSERT INTO " + t.name +
                 " (installed_rank, version, description, "
                 "type, script, checksum, installed_by, execution_time, success) "
                 "SELECT coalesce(max(installed_rank), 0) + 1, nullif($1, ''), $2, 'SQL', $3, "
                 "$4::integer, current_user, $5::integer, true FROM " +
                 t.name,
             {r.repeatable ? "" : r.version, description, script,
              std::to_string(flyway_checksum(read_text_file(r.path))),
              std::to_string(r.execution_ms < 0 ? 0 : r.execution_ms)}}};
  }
  std::vector<HistoryStore::Sql> record_revert(const AppliedRecord& r,
                                               const HistoryTable& t) const override {
    return {{"DELETE FROM " + t.name +
                 " WHERE version = $1 OR (version IS NULL "
                 "AND script = $1 || '.sql')",
             {r.version}}};
  }
};

}  // namespace

const HistoryFormat& flyway_history() {
  static const FlywayHistory f;
  return f;
}

}  // namespace strata
