// `strata db diff [-f NAME]`: run the diff (ops/db_diff.hpp) and, with a name, write the SQL as
// the next migration (migration/create.hpp). Also the JSON shape of the report
// (docs/output.md, `db diff`).
#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "config/project.hpp"
#include "ops/db_diff.hpp"

namespace strata {

struct DiffCommand {
  DiffResult diff;
  std::string sql;            // diff.plan.sql()
  bool default_mode = false;  // neither --from nor --to: migrations vs the database (drift)
  std::string from_label;     // "the migrations' schema" in default mode, else diff.from_label
  std::string to_label;       // "the database's" in default mode, else diff.to_label
  std::string file;           // display path of the written migration; "" when none
  std::string version;        // its version
};

// `name` non-empty: check it first (Error(usage) before any database work), then write the
// migration when there are changes. `conninfo`: see run_db_diff.
DiffCommand run_diff_command(const Project& project, const std::string& conninfo,
                             const DiffRequest& request, const std::string& name);

// {"from", "to", "changes": [{"action", "kind", "name", "destructive", "details"?,
// "reason"?}], "sql", "destructive", "repairs", "file"?}
nlohmann::json diff_json(const DiffCommand& result);

}  // namespace strata
