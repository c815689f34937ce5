// Schema diff: the typed Change values that turn one SchemaModel (`from`) into another (`to`).
// Pure: no database. A change is a create, a drop, an in-place alter (with one detail line per
// property that differs) or a recreate (drop + create, with the reason PostgreSQL cannot alter
// it in place). Dependents that a drop, recreate or column retype would break are recreated too,
// following `from`'s pg_depend edges, so the DDL writer can drop and rebuild exactly them.
#pragma once
#include <string>
#include <vector>

#include "catalog/schema_model.hpp"

namespace strata {

enum class ChangeKind { create, drop, alter, recreate };

struct Change {
  ChangeKind kind = ChangeKind::alter;
  std::string key;                   // the object's key in both models
  const Object* from = nullptr;      // drop, alter, recreate
  const Object* to = nullptr;        // create, alter, recreate
  std::vector<std::string> details;  // alter: "default: 'new'::text -> 'open'::text"
  std::string reason;                // recreate: why not in place
  bool breaks_dependents = false;    // alter that needs dependent views/policies rebuilt
  bool destructive = false;          // drops data or a used object (listed in the report)
  const Object& object() const { return to ? *to : *from; }
};

// Sorted by key; deterministic.
std::vector<Change> diff_models(const SchemaModel& from, const SchemaModel& to);

// "public.t" for "table:public.t": the name part of a key.
std::string display_name(const std::string& key);

}  // namespace strata
