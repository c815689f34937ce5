// Which schemas are the user's: not the system's, not the platform's (Supabase-managed or made
// by strata's compat layer), not owned by an extension. Shared by db diff and db reset.
#pragma once
#include <string>

namespace strata {

// A SQL condition on pg_namespace aliased `n`. `with_history`: strata's and Supabase's history
// schemas count as the user's (reset drops them; diff ignores them).
std::string user_schema_condition(bool with_history);

}  // namespace strata
