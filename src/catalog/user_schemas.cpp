// The platform schema list, in one place.
#include "catalog/user_schemas.hpp"

namespace strata {

std::string user_schema_condition(bool with_history) {
  std::string platform =
      "'pg_catalog','information_schema','pg_toast','auth','storage','extensions','graphql',"
      "'graphql_public','realtime','supabase_functions','vault','pgsodium','pgsodium_masks','net','"
      "cron',"
      "'pgbouncer','_realtime','_analytics','strata_compat','pgtle','topology','tiger','pgmq'";
  if (!with_history) platform += ",'strata','supabase_migrations'";
  return "n.nspname NOT IN (" + platform +
         ") AND n.nspname NOT LIKE 'pg\\_%' AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE "
         "d.objid = n.oid AND "
         "d.deptype = 'e')";
}

}  // namespace strata
