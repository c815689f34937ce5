// DDL writer: turns typed Changes into SQL statements, one sort node per create / drop / alter,
// with edges from both models' pg_depend graphs (what a new object needs is created first;
// what a dropped object is needed by is dropped or altered first), then orders them with
// ddl/dep_sort (kind priority only as the tie-break). ALTER where PostgreSQL has one; drop and
// create for the rest; destructive drops carry a comment in the SQL.
#pragma once
#include <string>
#include <vector>

#include "diff/schema_diff.hpp"

namespace strata {

struct DdlPlan {
  std::vector<std::string> statements;   // in order; each ends with ';' (comments start with --)
  std::vector<std::string> repairs;      // cycles broken: "sequence owned by after table: ..."
  std::vector<std::string> destructive;  // one line per destructive drop, for the report
  bool empty() const { return statements.empty(); }
  std::string sql() const;  // the statements, one per line (a SET line first when needed)
};

// `changes` from diff_models(from, to). Throws Error on a dependency cycle with no repair.
DdlPlan plan_ddl(const SchemaModel& from, const SchemaModel& to,
                 const std::vector<Change>& changes);

// One line per change for people: "+ table public.x", "- policy ...", "~ column ...: detail".
// `plus_note` / `minus_note` follow created / dropped objects (may be empty).
std::string describe_changes(const std::vector<Change>& changes, const std::string& plus_note = "",
                             const std::string& minus_note = "");

}  // namespace strata
