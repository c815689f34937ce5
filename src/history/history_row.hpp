// HistoryRow: what the database says about one migration (strata's table, or adopted from the
// Supabase CLI's supabase_migrations.schema_migrations).
#pragma once
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
  std::string origin = "strata";  // "strata" or "supabase" (found only in the Supabase CLI's table)
};

}  // namespace strata
