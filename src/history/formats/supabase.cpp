// The Supabase CLI's history: `supabase_migrations.schema_migrations (version text PRIMARY KEY,
// statements text[], name text)`, one row per applied migration with the text of each statement
// as it ran (the CLI's `migration list` and `db push` read it). Kept for the "default" source of
// a Supabase project; rows only it records are adopted with origin "supabase".
#include <nlohmann/json.hpp>

#include "history/formats/history_format.hpp"

namespace strata {
namespace {

class SupabaseHistory : public HistoryFormat {
 public:
  std::string_view name() const override { return "supabase"; }
  std::string_view table() const override { return "supabase_migrations.schema_migrations"; }
  bool present(db::Connection& conn, const HistoryTable& t) const override {
    return has_columns(conn, t.name, {"version"});
  }
  std::string ensure_sql(const HistoryTable& t) const override {
    return "CREATE SCHEMA IF NOT EXISTS supabase_migrations;\n"
           "CREATE TABLE IF NOT EXISTS " +
           t.name +
           " (version text NOT NULL PRIMARY KEY);\n"
           "ALTER TABLE " +
           t.name +
           " ADD COLUMN IF NOT EXISTS statements text[], ADD COLUMN IF NOT EXISTS name text";
  }
  std::vector<HistoryRow> load(db::Connection& conn, const HistoryTable& t,
                               const std::vector<Migration>&) const override {
    // Tables of older CLI versions have no `name` column.
    auto r = conn.exec("SELECT version, coalesce(to_jsonb(m) ->> 'name', '') FROM " + t.name +
                       " m ORDER BY version");
    std::vector<HistoryRow> out;
    for (int i = 0; i < r.rows(); ++i) {
      HistoryRow h;
      h.version = r.get(i, 0);
      h.name = r.get(i, 1);
      h.origin = "supabase";
      out.push_back(std::move(h));
    }
    return out;
  }
  std::vector<HistoryStore::Sql> record_apply(const AppliedRecord& r,
                                              const HistoryTable& t) const override {
    // The text[] is built server-side from a JSON array: no quoting of ours.
    std::string statements =
        nlohmann::json(r.statements).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return {{"INSERT INTO " + t.name +
                 " (version, name, statements) SELECT $1, $2, "
                 "ARRAY(SELECT jsonb_array_elements_text($3::jsonb)) ON CONFLICT (version) DO "
                 "UPDATE SET name = EXCLUDED.name, statements = EXCLUDED.statements",
             {r.version, r.name, statements}}};
  }
  std::vector<HistoryStore::Sql> record_revert(const AppliedRecord& r,
                                               const HistoryTable& t) const override {
    return {{"DELETE FROM " + t.name + " WHERE version = $1", {r.version}}};
  }
  bool records_statements() const override { return true; }
};

}  // namespace

const HistoryFormat& supabase_history() {
  static const SupabaseHistory f;
  return f;
}

}  // namespace strata
