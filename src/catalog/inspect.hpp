// Catalog inspection: reads pg_catalog into a SchemaModel (tables, columns, constraints,
// indexes, functions, triggers, views, sequences, enum types, RLS flags and policies).
#pragma once
#include <string>
#include <vector>

#include "catalog/schema_model.hpp"
#include "db/connection.hpp"

namespace strata {

// `schemas` empty: every schema except system, platform (auth, storage, extensions, ...) and
// migration-history ones.
SchemaModel inspect_schema(db::Connection& conn, const std::vector<std::string>& schemas);

}  // namespace strata
