// Query as a user: run SQL as role `authenticated` with Supabase's JWT claim settings for a
// user id (or as `anon` / `service_role`), inside a transaction rolled back unless asked to
// commit. This is how "test RLS with different user contexts" becomes one command.
#pragma once
#include <optional>
#include <string>

#include "db/connection.hpp"

namespace strata {

struct QueryRequest {
  std::optional<std::string> as_user;  // a UUID: role authenticated, request.jwt.claim.sub = it
  std::string role;  // anon | authenticated | service_role (default: authenticated with --as)
  bool commit = false;
  std::string sql;
};

bool is_uuid(const std::string& s);

// Returns the last statement's result rendered as an aligned table (or its command tag).
std::string run_query(db::Connection& conn, const QueryRequest& request);

std::string render_table(const db::Result& r);

}  // namespace strata
