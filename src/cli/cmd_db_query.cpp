// `strata db query [--as <user-uuid> | --role anon] [--commit] "<sql>"`: run SQL as an API user
// (role + JWT claims like PostgREST sets them), rolled back unless --commit.
#include <iostream>

#include "cli/command.hpp"
#include "ops/query.hpp"

namespace strata::cli {
namespace {

void setup(CLI::App& cmd, Globals& g) {
  auto req = std::make_shared<QueryRequest>();
  auto as = std::make_shared<std::string>();
  cmd.add_option("sql", req->sql,
                 "SQL to run (several statements allowed; the last one's rows are printed)")
      ->required();
  cmd.add_option("--as", *as,
                 "Run as this auth.users id: role authenticated, request.jwt.claim.sub set");
  cmd.add_option("--role", req->role, "anon, authenticated or service_role");
  cmd.add_flag("--commit", req->commit, "Commit instead of rolling back");
  cmd.callback([&g, req, as] {
    if (!as->empty()) req->as_user = *as;
    Project p = g.project(false);
    Target t = g.target(p);
    auto conn = db::Connection::open(t.conninfo);
    std::cout << run_query(conn, *req);
  });
}

Register query{
    {"db query", "Run SQL as an API user (RLS applies), rolled back unless --commit", setup}};

}  // namespace
}  // namespace strata::cli
