// Which schemas are the user's: not the system's, not the platform's (Supabase-managed or made
// by strata's compat layer or its stand-ins for Supabase-only extensions: every schema
// src/devdb/compat/stand_ins.sql creates), not owned by an extension. Shared by db diff, db dump
// and db reset.
#pragma once
#include <string>

namespace strata {

// A SQL condition on pg_namespace aliased `n`. `with_history`: strata's and Supabase's history
// schemas count as the user's (reset drops them; diff ignores them).
std::string user_schema_condition(bool with_history);

}  // namespace strata
