// `strata migration squash [--version V] [--dry-run]` (alias `strata squash`): replace the
// migrations up to V with one verified file that builds the same schema and rows (ops/squash).
#include <iostream>
#include <sstream>

#include "cli/command.hpp"
#include "ops/squash.hpp"

namespace strata::cli {
namespace {

nlohmann::json statements_json(const std::vector<SquashStatement>& list) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& s : list) a.push_back({{"file", s.file}, {"line", s.line}, {"kind", s.kind}});
  return a;
}

void setup(CLI::App& cmd, Globals& g) {
  auto req = std::make_shared<SquashRequest>();
  auto version = std::make_shared<std::string>();
  cmd.add_option("--version", *version, "Last version to squash (default: the newest)");
  cmd.add_option("--source", req->source, "Migration source (default: the first)");
  cmd.add_flag("--dry-run", req->dry_run, "Print the squashed file; change nothing");
  add_output_option(cmd, g);
  cmd.callback([&g, req, version] {
    Project p = g.project();
    Target t = g.target(p);
    if (!version->empty()) req->version = *version;
    std::ostringstream log;
    bool text = !g.json() && !g.quiet;
    // --dry-run prints the file on stdout: progress and notes go to stderr.
    std::ostream& progress = !text          ? static_cast<std::ostream&>(log)
                             : req->dry_run ? std::cerr
                                            : std::cout;
    SquashResult r = run_squash(p, t.conninfo, *req, progress);
    if (g.json()) {
      print_json({{"version", r.version},
                  {"file", r.file},
                  {"dry_run", req->dry_run},
                  {"replaced", r.replaced},
                  {"ddl_statements", r.ddl_statements},
                  {"data_statements", statements_json(r.data)},
                  {"left_out", statements_json(r.left_out)},
                  {"tables_checked", r.tables_checked},
                  {"later_files", r.later_files},
                  {"squashed", r.squashed},
                  {"sql", r.sql}});
      return;
    }
    if (text)
      for (const auto& l : r.left_out)
        progress << "note: left out " << l.file << ":" << l.line << " (" << l.kind << ")\n";
    if (req->dry_run) {
      std::cout << r.sql;
      return;
    }
    if (!text) return;
    std::cout << "Squashed " << r.squashed << " migration(s) into " << r.file << " ("
              << r.ddl_statements << " DDL statement(s), " << r.data.size()
              << " data statement(s)); " << r.later_files << " later migration(s) kept.\n"
              << "Databases that applied the old files count it as applied; their next "
                 "`strata up` records that in the history.\n";
  });
}

Register squash{{"migration squash",
                 "Replace the migrations up to a version with one verified file (schema and data)",
                 setup}};
Register squash_alias{{"squash", "Same as `strata migration squash`", setup}};

}  // namespace
}  // namespace strata::cli
