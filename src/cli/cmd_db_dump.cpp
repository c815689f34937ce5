// `strata db dump [--schema-only|--data-only] [--schema S]... [--role-only] [-f FILE]`: the user
// schemas (or the roles) as SQL, to stdout or a file, as `supabase db dump` writes them.
#include <fmt/format.h>

#include <iostream>

#include "cli/command.hpp"
#include "cli/transfer_progress.hpp"
#include "ops/dump.hpp"

namespace strata::cli {
namespace {

void setup(CLI::App& cmd, Globals& g) {
  auto req = std::make_shared<DumpRequest>();
  auto schema_only = std::make_shared<bool>(false);
  auto data_only = std::make_shared<bool>(false);
  auto file = std::make_shared<std::string>();
  auto* so = cmd.add_flag("--schema-only", *schema_only, "Only the schema (no rows)");
  auto* dataopt = cmd.add_flag("--data-only", *data_only,
                               "Only the rows (INSERT statements; --use-copy for COPY)");
  so->excludes(dataopt);
  auto* roles = cmd.add_flag("--role-only", req->roles,
                             "Only the roles (no passwords, without the platform's roles)");
  roles->excludes(so)->excludes(dataopt);
  cmd.add_option("-s,--schema", req->schemas,
                 "Only this schema (repeatable or comma-separated; default: every user schema)")
      ->delimiter(',');
  cmd.add_flag("--use-copy", req->use_copy, "With --data-only: COPY instead of INSERT");
  cmd.add_option("-f,--file", *file, "Write to this file instead of stdout");
  auto progress = std::make_shared<bool>(false);
  cmd.add_flag("--progress", *progress,
               "Show the bytes dumped so far on stderr even when it is not a terminal");
  cmd.callback([&g, req, schema_only, data_only, file, progress] {
    if (*schema_only) req->content = DumpContent::schema;
    if (*data_only) req->content = DumpContent::data;
    if (req->roles && !req->schemas.empty())
      throw Error("--role-only dumps roles, which belong to no schema: drop --schema",
                  ExitCode::usage);
    Project p = g.project(false);
    Target t = g.target(p);
    TransferProgress line(*progress, g.quiet, g.json());
    long long dumped = 0;
    if (line.enabled())
      req->on_progress = [&line, &dumped](long long bytes) {
        dumped = bytes;
        line.update(fmt::format("dumping: {} from pg_dump", human_size(bytes)), false);
      };
    if (file->empty()) {
      write_dump(p, t.conninfo, *req, std::cout);
      std::cout.flush();
      line.update(fmt::format("dumped: {} from pg_dump", human_size(dumped)), true);
      return;
    }
    DumpSummary s = write_dump_file(p, t.conninfo, *req, *file);
    line.update(fmt::format("dumped: {} from pg_dump", human_size(dumped)), true);
    if (g.quiet) return;
    if (req->roles)
      std::cout << fmt::format(
          "Dumped the roles of {} to {} ({}; {} statement(s) about platform "
          "roles left out).\n",
          t.display, *file, human_size(s.bytes), s.left_out);
    else
      std::cout << fmt::format("Dumped {} schema(s) of {} to {} ({}).\n", s.schemas.size(),
                               t.display, *file, human_size(s.bytes));
  });
}

Register dump{{"db dump", "Dump the user schemas (or the roles) as SQL with pg_dump", setup}};

}  // namespace
}  // namespace strata::cli
