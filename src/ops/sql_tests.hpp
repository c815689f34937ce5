// Database tests: `supabase/tests/**/*.sql` (pgTAP files, as `supabase test db` runs them, or
// plain SQL that raises on failure), each in a transaction that is rolled back; TAP output.
#pragma once
#include <ostream>

#include "config/project.hpp"
#include "db/connection.hpp"

namespace strata {

struct SqlTestReport {
  int files = 0;
  int failed = 0;
};

SqlTestReport run_sql_tests(const Project& project, db::Connection& conn, std::ostream& tap);

}  // namespace strata
