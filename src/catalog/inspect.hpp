// Catalog inspection: reads pg_catalog into a typed SchemaModel with a fixed number of queries
// (about fifteen, one per object family, whatever the number of objects) plus one pg_depend
// query for the dependency edges. Names are printed with an empty search_path, so every
// reference in the model is schema-qualified.
#pragma once
#include <string>
#include <vector>

#include "catalog/schema_model.hpp"
#include "db/connection.hpp"

namespace strata {

// `schemas` empty: every schema except system, platform (auth, storage, extensions, ...) and
// migration-history ones; objects owned by extensions are always left out. Throws db::DbError.
SchemaModel inspect_schema(db::Connection& conn, const std::vector<std::string>& schemas);

}  // namespace strata
