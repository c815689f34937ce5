// Debian's PostgreSQL 15 client programs (pg_dump, pg_dumpall, pg_restore, psql), run without a
// shell, with the connection in their environment (the password as PGPASSWORD, never on the
// command line) and their standard output streamed to the caller.
#pragma once
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace strata {

// /usr/lib/postgresql/15/bin/<program> (the folder can be overridden with STRATA_PG_BIN_DIR).
// Throws Error(ExitCode::failure) naming the Debian package postgresql-client-15 when the
// program is not there.
std::filesystem::path pg_client_program(const std::string& program);

struct ClientRun {
  int exit_code = -1;
  std::string errors;  // the program's standard error, passwords redacted
};

// Runs `program args...` with the parameters of `conninfo` as PG* variables added to strata's
// environment. Standard output goes to `on_output` in chunks as it arrives (nullptr: discarded),
// standard input is /dev/null. Throws Error when the program cannot be started; a non-zero exit
// is returned, not thrown.
ClientRun run_pg_client(const std::string& program, const std::vector<std::string>& args,
                        const std::string& conninfo,
                        const std::function<void(std::string_view)>& on_output);

}  // namespace strata
