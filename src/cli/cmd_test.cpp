// `strata test`: run supabase/tests/**/*.sql (pgTAP or plain SQL), each rolled back; TAP output.
#include <iostream>

#include "cli/command.hpp"
#include "ops/sql_tests.hpp"

namespace strata::cli {
namespace {

void setup(CLI::App& cmd, Globals& g) {
  auto what = std::make_shared<std::string>();
  cmd.add_option("what", *what, "`db` (optional; Supabase's spelling `test db`)")
      ->check(CLI::IsMember({"db"}));
  cmd.callback([&g, what] {  // `what` is bound to the option: it must live as long as the app
    Project p = g.project(false);
    Target t = g.target(p);
    auto conn = db::Connection::open(t.conninfo);
    SqlTestReport r = run_sql_tests(p, conn, std::cout);
    g.exit_code = r.failed ? 1 : 0;
  });
}

Register test{{"test",
               "Run the database tests in supabase/tests (pgTAP or plain SQL), each rolled back",
               setup}};

}  // namespace
}  // namespace strata::cli
