// `strata db diff [--from SRC] [--to SRC] [--schema s]... [-f name] [--format sql|json]`: report
// the difference between two schemas (default: the migrations, built in a shadow database, and
// the target database) and the SQL that turns --from into --to; -f writes it as a migration.
#include <fmt/format.h>

#include <iostream>

#include "cli/command.hpp"
#include "migration/create.hpp"
#include "ops/diff_migration.hpp"

namespace strata::cli {
namespace {

struct Options {
  DiffRequest req;
  std::string file, from, to, format = "sql";
};

void setup(CLI::App& cmd, Globals& g) {
  auto o = std::make_shared<Options>();
  cmd.add_option("--schema,-s", o->req.schemas,
                 "Only these schemas (repeatable; default: every user schema)");
  cmd.add_option("-f,--file", o->file, "Write the difference as a new migration with this name");
  cmd.add_option("--from", o->from,
                 "Source of the starting schema: `migrations` (default), a database URL, or a "
                 ".sql file or folder");
  cmd.add_option("--to", o->to,
                 "Source of the wanted schema: a database URL (default: the target database), "
                 "`migrations`, or a .sql file or folder");
  add_output_option(cmd, g);
  cmd.add_option("--format", o->format, "Same as --output: sql (= text) or json")
      ->check(CLI::IsMember({"sql", "json"}));
  cmd.add_option("--env", o->req.env,
                 "Environment for the shadow run (`dev` includes dev-only migrations)");
  cmd.callback([&g, o] {
    if (!o->file.empty()) check_migration_name(o->file, "strata db diff -f capture_drift");
    const bool json = g.json() || o->format == "json";
    DiffRequest req = o->req;
    if (!o->from.empty()) req.from = parse_diff_source(o->from);
    if (!o->to.empty()) req.to = parse_diff_source(o->to);
    bool needs_migrations = !req.from || req.from->kind == DiffSource::Kind::migrations ||
                            (req.to && req.to->kind == DiffSource::Kind::migrations) ||
                            !o->file.empty();
    Project p = g.project(needs_migrations);
    std::string conninfo;
    bool both_urls = req.from && req.to && req.from->kind == DiffSource::Kind::database &&
                     req.to->kind == DiffSource::Kind::database;
    if (!both_urls) {
      Target t = g.target(p);
      if (req.env.empty() && t.local) req.env = "dev";
      conninfo = t.conninfo;
    }
    DiffCommand r = run_diff_command(p, conninfo, req, o->file);
    if (json) {
      print_json(diff_json(r));
    } else if (r.diff.changes.empty()) {
      std::cout << (r.default_mode ? "No drift: the database matches what the migrations build.\n"
                                   : "No differences.\n");
    } else {
      std::cout << (r.default_mode
                        ? describe_changes(r.diff.changes, "(only in the database)",
                                           "(in the migrations, missing from the database)")
                        : describe_changes(r.diff.changes));
      for (const auto& d : r.diff.plan.destructive) std::cout << "! destructive: " << d << "\n";
      if (r.file.empty())
        std::cout << fmt::format("{} difference(s). The SQL that turns {} into {}:\n\n{}",
                                 r.diff.changes.size(), r.from_label, r.to_label, r.sql);
      else
        std::cout << "Wrote " << r.file << "\n";
    }
    if (!r.diff.changes.empty() && r.file.empty()) g.exit_code = static_cast<int>(ExitCode::drift);
  });
}

Register diff{{"db diff",
               "Compare two schemas (default: the migrations and the database); -f writes a "
               "migration",
               setup}};

}  // namespace
}  // namespace strata::cli
