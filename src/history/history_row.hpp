// HistoryRow: what the database says about one migration (strata's table, or adopted from the
// Supabase CLI's supabase_migrations.schema_migrations or another tool's table, see
// src/history/formats/). AppliedRecord: what strata records for one migration it applied or
// reverted, one value handed to every history table format.
#pragma once
#include <filesystem>
#include <string>

namespace strata {

struct HistoryRow {
  std::string source = "default";
  std::string version;
  std::string name;
  std::string checksum;  // "" when adopted from a tool that records none
  int statements_total = 0;
  int statements_applied = 0;
  bool transactional = true;
  bool success = true;     // false: a non-transactional migration stopped part-way
  std::string applied_at;  // ISO 8601
  std::string applied_by;
  long long execution_ms = 0;
  std::string error;
  // "strata", or the tool whose table alone records it: "supabase", "legacy", "dbmate", "goose",
  // "golang-migrate", "flyway", "node-pg-migrate", "postgres-migrations", "graphile-migrate"
  std::string origin = "strata";
};

struct AppliedRecord {
  std::string source = "default";
  std::string version;
  std::string name;
  std::filesystem::path path;  // the migration file as written (tools that checksum it)
  std::string checksum;        // strata's "sha256:<hex>"
  bool repeatable = false;     // Flyway `R__`
  int statements_total = 0;
  int statements_applied = 0;
  bool transactional = true;
  bool success = true;
  long long execution_ms = 0;  // -1: measured server-side
  std::string error;
  std::string failed_statement;
  std::string history_schema;  // strata's own schema, quoted (for formats that read it)
};

}  // namespace strata
