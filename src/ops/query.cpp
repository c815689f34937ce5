// Setting role and JWT claims the way PostgREST does, then running the user's SQL.
#include "ops/query.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <ctime>
#include <fstream>

#include <algorithm>

#include "execute/executor.hpp"
#include "util/error.hpp"

namespace strata {

bool is_uuid(const std::string& s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

std::string render_table(const db::Result& r) {
  if (r.columns() == 0)
    return r.command_tuples().empty() ? "OK\n" : r.command_tuples() + " row(s) affected\n";
  std::vector<size_t> width(static_cast<size_t>(r.columns()));
  for (int c = 0; c < r.columns(); ++c) {
    width[static_cast<size_t>(c)] = r.column_name(c).size();
    for (int i = 0; i < r.rows(); ++i)
      width[static_cast<size_t>(c)] =
          std::max(width[static_cast<size_t>(c)], r.is_null(i, c) ? 4 : r.get(i, c).size());
  }
  std::string out;
  auto row = [&](auto cell) {
    for (int c = 0; c < r.columns(); ++c) {
      out += fmt::format("{}{:<{}}", c ? " | " : "", cell(c), width[static_cast<size_t>(c)]);
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += "\n";
  };
  row([&](int c) { return r.column_name(c); });
  for (int c = 0; c < r.columns(); ++c)
    out += (c ? "-+-" : "") + std::string(width[static_cast<size_t>(c)], '-');
  out += "\n";
  for (int i = 0; i < r.rows(); ++i)
    row([&](int c) { return r.is_null(i, c) ? std::string("NULL") : r.get(i, c); });
  out += fmt::format("({} row{})\n", r.rows(), r.rows() == 1 ? "" : "s");
  return out;
}

namespace {

std::string random_hex(size_t bytes) {
  std::string out;
  std::ifstream in("/dev/urandom", std::ios::binary);
  static const char* kHex = "0123456789abcdef";
  for (size_t i = 0; i < bytes; ++i) {
    unsigned char c = static_cast<unsigned char>(in.get());
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

// In one transaction on `conn`: the JWT claims and SET LOCAL ROLE (when `role` is set), the
// user's SQL, then COMMIT or ROLLBACK.
std::string run_sql(db::Connection& conn, const QueryRequest& request, const std::string& role) {
  conn.exec("BEGIN");
  try {
    if (!role.empty()) {
      std::string claims =
          fmt::format(R"({{"role":"{}"{}}})", role,
                      request.as_user ? fmt::format(R"(,"sub":"{}")", *request.as_user) : "");
      conn.exec_params(
          "SELECT set_config('request.jwt.claims', $1, true), set_config('request.jwt.claim.sub', "
          "$2, true), "
          "set_config('request.jwt.claim.role', $3, true)",
          {claims, request.as_user.value_or(""), role});
      conn.exec(fmt::format("SET LOCAL ROLE {}", conn.quote_identifier(role)));
    }
    auto results = run_script(conn, request.sql, "<query>");
    std::string out = results.empty() ? "OK\n" : render_table(results.back());
    conn.exec(request.commit ? "COMMIT" : "ROLLBACK");
    return out;
  } catch (...) {
    if (conn.is_open() && conn.in_transaction()) conn.exec("ROLLBACK");
    throw;
  }
}

}  // namespace

std::string run_query(db::Connection& conn, const QueryRequest& request) {
  std::string role = request.role;
  if (request.as_user) {
    if (!is_uuid(*request.as_user)) {
      Error e(fmt::format("--as {}: not a UUID", *request.as_user), ExitCode::usage);
      e.hint =
          "pass the user's id from auth.users, e.g. --as 11111111-1111-1111-1111-111111111111 "
          "(auth.uid() casts the claim to uuid, so anything else would fail inside every policy)";
      throw e;
    }
    if (role.empty()) role = "authenticated";
  }
  if (!role.empty() && role != "anon" && role != "authenticated" && role != "service_role") {
    throw Error(fmt::format("--role {}: use anon, authenticated or service_role", role),
                ExitCode::usage);
  }
  if (role.empty()) return run_sql(conn, request, "");
  // The user's SQL runs on its own session that logged in as a throwaway role that is no
  // superuser and inherits nothing (as PostgREST's `authenticator`), then SET ROLE: RESET ROLE,
  // SET ROLE postgres, SET SESSION AUTHORIZATION or set_config('role', ...) cannot get back to
  // the connecting superuser, so RLS really applies.
  std::string login = fmt::format("strata_query_{}_{}", conn.backend_pid(), random_hex(4));
  std::string password = random_hex(24);
  try {
    conn.exec(
        fmt::format("CREATE ROLE {} LOGIN NOINHERIT "
                    "PASSWORD {} VALID UNTIL {}",
                    conn.quote_identifier(login), conn.quote_literal(password),
                    conn.quote_literal(fmt::format("{:%Y-%m-%d %H:%M:%S}+00",
                                                   fmt::gmtime(std::time(nullptr) + 3600)))));
    conn.exec(
        fmt::format("GRANT {} TO {}", conn.quote_identifier(role), conn.quote_identifier(login)));
  } catch (const db::DbError& e) {
    Error err(fmt::format("--role {}: cannot create the login role the query runs under: {}", role,
                          e.what()),
              ExitCode::failure);
    err.hint =
        "connect as a user that may create roles (the local database's postgres does); strata "
        "runs the SQL on a session that logged in as a role without superuser rights";
    throw err;
  }
  auto drop_login = [&] {
    try {
      conn.exec(
          fmt::format("REASSIGN OWNED BY {0} TO CURRENT_USER; DROP OWNED BY {0}; DROP ROLE {0}",
                      conn.quote_identifier(login)));
    } catch (const std::exception&) {
      // Best effort: the role cannot log in after VALID UNTIL anyway.
    }
  };
  try {
    db::Connection user = conn.open_as(login, password, "strata db query");
    std::string out = run_sql(user, request, role);
    drop_login();
    return out;
  } catch (...) {
    drop_login();
    throw;
  }
}

}  // namespace strata
