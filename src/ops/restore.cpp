// Restore: format detection, the local-or-force guard, psql / pg_restore.
#include "ops/restore.hpp"

#include <fmt/format.h>

#include <chrono>
#include <fstream>

#include "db/connection.hpp"
#include "ops/pg_client.hpp"
#include "util/error.hpp"

namespace fs = std::filesystem;

namespace strata {

RestoreReport run_restore(const Target& target, const RestoreRequest& request) {
  auto t0 = std::chrono::steady_clock::now();
  RestoreReport report;
  std::error_code ec;
  const fs::path& file = request.file;
  if (fs::is_directory(file, ec)) {
    if (!fs::exists(file / "toc.dat", ec))
      throw Error(fmt::format("{} is a folder but not a pg_dump directory dump (no toc.dat)",
                              file.string()),
                  ExitCode::usage);
    report.format = "directory";
    for (const auto& e : fs::recursive_directory_iterator(file, ec))
      if (e.is_regular_file(ec)) report.bytes += static_cast<long long>(e.file_size(ec));
  } else {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      Error e(fmt::format("cannot read {}: no such file or not readable", file.string()),
              ExitCode::usage);
      e.hint = "pass a file written by `strata db dump -f FILE` or `strata up --backup DIR`";
      throw e;
    }
    char magic[5] = {};
    in.read(magic, 5);
    report.format = in.gcount() == 5 && std::string_view(magic, 5) == "PGDMP" ? "custom" : "plain";
    report.bytes = static_cast<long long>(fs::file_size(file, ec));
  }
  if (!target.local && !request.force) {
    Error e(fmt::format("refusing to restore into {}: it is not this project's local database",
                        target.display),
            ExitCode::usage);
    e.hint = "add --force to restore into it anyway";
    throw e;
  }
  pg_client_program(report.format == "plain" ? "psql" : "pg_restore");
  // Reach the server first: a connection problem is reported as one, with its own exit code.
  std::string dbname =
      db::Connection::open(target.conninfo).exec("SELECT current_database()").get(0, 0);
  std::string program;
  std::vector<std::string> args;
  if (report.format == "plain") {
    program = "psql";
    args = {"-X", "-w",        "-q", "-v",          "ON_ERROR_STOP=1",   "--single-transaction",
            "-o", "/dev/null", "-f", file.string(), "--dbname=" + dbname};
  } else {
    program = "pg_restore";
    args = {"--no-password", "--exit-on-error", "--single-transaction", "--dbname=" + dbname,
            file.string()};
  }
  ClientRun run = run_pg_client(program, args, target.conninfo, nullptr);
  if (run.exit_code != 0) {
    std::string msg = run.errors;
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    bool conn = run.exit_code == 2 && program == "psql";
    Error e(fmt::format("restore of {} failed ({} exit {}); nothing was restored: {}",
                        file.string(), program, run.exit_code, msg),
            conn ? ExitCode::connection : ExitCode::migration_failed);
    e.hint =
        "the restore runs in one transaction: fix the cause (often an object that already "
        "exists, or a role or extension the target lacks) and run it again";
    throw e;
  }
  report.ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  return report;
}

}  // namespace strata
