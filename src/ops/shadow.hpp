// Shadow databases: throwaway databases on the target's server in which strata builds
// migrations or schema files to inspect them (db diff, schema plan, db pull, migration squash).
// A shadow gets strata's compat layer / Supabase stand-ins when the target has them, so
// migrations that refer to auth.users, net.http_post, ... build there as they did on the target.
#pragma once
#include <string>

#include "db/connection.hpp"

namespace strata {

// What the target holds that a shadow must hold too (one query on the target).
struct ShadowExtras {
  bool compat = false;     // strata_compat.layer: the Supabase compat layer
  bool stand_ins = false;  // strata_compat.stand_in: Supabase stand-ins
};
ShadowExtras shadow_extras_of(const std::string& conninfo);

// A database named strata_shadow_<pid>_<n>, created with TEMPLATE template0 and the extras, and
// dropped (WITH (FORCE)) by the destructor. Throws Error(failure) with a CREATEDB hint when it
// cannot be created.
class ShadowDatabase {
 public:
  ShadowDatabase(const std::string& conninfo, ShadowExtras extras);
  ~ShadowDatabase();
  ShadowDatabase(const ShadowDatabase&) = delete;
  ShadowDatabase& operator=(const ShadowDatabase&) = delete;
  const std::string& url() const { return url_; }  // the target's conninfo, this database

 private:
  void drop() noexcept;
  db::Connection admin_;
  std::string name_, url_;
};

// The same connection with another database name (URL or key=value conninfo).
std::string conninfo_with_database(const std::string& conninfo, const std::string& db);

}  // namespace strata
