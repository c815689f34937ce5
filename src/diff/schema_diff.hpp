// Schema diff: what changes turn one SchemaModel (`from`) into another (`to`), as a closed set
// of small Change values. Pure: no database.
#pragma once
#include <vector>

#include "catalog/schema_model.hpp"

namespace strata {

enum class ChangeKind { create, drop, alter };

struct Change {
  ChangeKind kind;
  const SchemaObject* from = nullptr;  // drop, alter
  const SchemaObject* to = nullptr;    // create, alter
  const SchemaObject& object() const { return to ? *to : *from; }
};

std::vector<Change> diff_models(const SchemaModel& from, const SchemaModel& to);

}  // namespace strata
