// History table formats: a history table strata keeps besides its own, one file per table kind
// in this folder, each implementing `HistoryFormat`: create it in its owner's shape, read what
// its owner applied (for adoption by `strata status` / `strata up`), and the SQL that records an
// apply or a revert the way its owner does, sent in the migration's own transaction. The kinds:
// the Supabase CLI's `supabase_migrations.schema_migrations` (supabase.cpp), seed 003's runner's
// `_migrations` / `_content_migrations` / `_entity_migrations` (tier_runner.cpp), and the other
// migration tools' tables (goose, dbmate, ...: `[history] adopt` / `mirror`). Tables live where
// their owners put them by default (public, or the tool's schema).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "config/project.hpp"
#include "db/connection.hpp"
#include "history/history_row.hpp"
#include "history/history_store.hpp"
#include "migration/migration.hpp"

namespace strata {

class HistoryFormat {
 public:
  virtual ~HistoryFormat() = default;
  virtual std::string_view name() const = 0;  // as in `[history] mirror` / `adopt`
  // The tool's default table, "public.goose_db_version": the first source's. Another source's
  // table is named by its `history_table` (the tools' own table options: goose `-table`,
  // dbmate `--migrations-table`, golang-migrate `x-migrations-table`, Flyway `table`, ...).
  // Every method below is handed the table to use, `t`.
  virtual std::string_view table() const = 0;
  // The table exists with this tool's columns (not another tool's table of the same name).
  virtual bool present(db::Connection& conn, const HistoryTable& t) const = 0;
  // CREATE ... IF NOT EXISTS in the tool's own shape (idempotent).
  virtual std::string ensure_sql(const HistoryTable& t) const = 0;
  // What the tool applied, versions aligned with the local files (`001` for the tool's `1`),
  // origin = name() (seed 003's tables: "legacy"). A version the tool marks failed comes back
  // with success = false.
  virtual std::vector<HistoryRow> load(db::Connection& conn, const HistoryTable& t,
                                       const std::vector<Migration>& local) const = 0;
  // Statements recording one apply / one revert as the tool would (empty: cannot mirror).
  virtual std::vector<HistoryStore::Sql> record_apply(const AppliedRecord& r,
                                                      const HistoryTable& t) const = 0;
  virtual std::vector<HistoryStore::Sql> record_revert(const AppliedRecord& r,
                                                       const HistoryTable& t) const = 0;
  // Whether record_apply stores each statement's text (AppliedRecord::statements).
  virtual bool records_statements() const { return false; }
};

// Every other tool's table format, in adoption order (not Supabase's and seed 003's tables,
// which a project keeps by its kind, not by `[history] adopt`).
const std::vector<const HistoryFormat*>& all_history_formats();
// The Supabase CLI's table, and seed 003's table for a source's `legacy` tracking kind ("core",
// "content", "entity"; nullptr for none).
const HistoryFormat& supabase_history();
const HistoryFormat* tier_runner_history(std::string_view kind);
const HistoryFormat* find_history_format(std::string_view name);
// `[history] adopt` / `mirror` -> formats; throws Error(ExitCode::config) for unknown names.
std::vector<const HistoryFormat*> history_formats_named(const std::vector<std::string>& names,
                                                        const char* key);

// Helpers the formats share.
// Column names of a table (empty when it does not exist). `table` is "schema.name".
std::vector<std::string> table_columns(db::Connection& conn, const std::string& table);
bool has_columns(db::Connection& conn, const std::string& table,
                 const std::vector<std::string>& required,
                 const std::vector<std::string>& absent = {});
// The local migration with the same version (`1` = `001`), or nullptr.
const Migration* local_version(const std::vector<Migration>& local, std::string_view version);
// A row in the tool's words, its version aligned with the local file when there is one.
HistoryRow foreign_row(const std::vector<Migration>& local, std::string_view origin,
                       const std::string& version, const std::string& name);
// Flyway's checksum of a file: CRC32 over each line's UTF-8 bytes without line terminators (a
// leading BOM removed), as a signed 32-bit number.
int flyway_checksum(std::string_view file_text);
std::string read_text_file(const std::filesystem::path& path);  // "" when unreadable

}  // namespace strata
