// `strata db copy --from URL --to URL --schema S [--to-schema T]`: move an app's data between
// environments, verbatim, with per-table row counts verified and sequences reset.
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "cli/transfer_progress.hpp"
#include "ops/data_copy.hpp"
#include "ops/dump.hpp"
#include "util/redact.hpp"

namespace strata::cli {
namespace {

void setup(CLI::App& cmd, Globals& g) {
  auto req = std::make_shared<CopyRequest>();
  cmd.add_option("--from", req->from_url, "Source database URL")->required();
  cmd.add_option("--to", req->to_url,
                 "Target database URL (its tables must exist: run its migrations first)")
      ->required();
  cmd.add_option("--schema", req->schema, "Source schema")->required();
  cmd.add_option("--to-schema", req->to_schema, "Target schema (default: the same name)");
  cmd.add_option("--table", req->tables,
                 "Only this table (repeatable; default: every table of the schema)");
  cmd.add_flag("--allow-non-empty", req->allow_non_empty,
               "Add rows to target tables that already have rows");
  auto progress = std::make_shared<bool>(false);
  cmd.add_flag("--progress", *progress,
               "Show rows copied per table on stderr even when it is not a terminal");
  add_output_option(cmd, g);
  cmd.callback([req, progress, &g] {
    TransferProgress line(*progress, g.quiet, g.json());
    if (line.enabled())
      req->on_progress = [&line](const std::string& table, long long rows, long long total,
                                 long long bytes, bool done) {
        line.update(fmt::format("{} {}: {} of {} rows ({})", done ? "copied" : "copying", table,
                                rows, total, human_size(bytes)),
                    done);
      };
    CopyReport r = run_copy(*req);
    req->on_progress = nullptr;
    if (g.json()) {
      nlohmann::json j = {{"from", redact_secrets(req->from_url)},
                          {"to", redact_secrets(req->to_url)},
                          {"tables", nlohmann::json::array()},
                          {"sequences", r.sequences}};
      for (const auto& t : r.tables)
        j["tables"].push_back({{"table", t.table},
                               {"source_rows", t.source_rows},
                               {"copied_rows", t.target_rows},
                               {"bytes", t.bytes}});
      std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
      return;
    }
    std::cout << fmt::format("{:<32} {:>12} {:>12} {:>12}\n", "TABLE", "SOURCE ROWS", "COPIED ROWS",
                             "BYTES");
    for (const auto& t : r.tables)
      std::cout << fmt::format("{:<32} {:>12} {:>12} {:>12}\n", t.table, t.source_rows,
                               t.target_rows, t.bytes);
    for (const auto& s : r.sequences) std::cout << "sequence " << s << "\n";
    std::cout << fmt::format("Copied {} table(s) from {} to {}; every row count matches.\n",
                             r.tables.size(), redact_secrets(req->from_url),
                             redact_secrets(req->to_url));
  });
}

Register copy{{"db copy",
               "Copy a schema's data to another database, counts verified, sequences reset",
               setup}};

}  // namespace
}  // namespace strata::cli
