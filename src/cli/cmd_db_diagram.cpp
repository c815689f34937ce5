// `strata db diagram [--schema S]... [--format svg|mermaid|dot|html] [-o FILE]`: draw the
// database's tables, columns, keys and foreign keys (and, in HTML, each table's RLS policies).
#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>

#include "catalog/inspect.hpp"
#include "cli/command.hpp"
#include "ops/diagram.hpp"

namespace strata::cli {
namespace {

struct Options {
  std::vector<std::string> schemas;
  std::string format = "svg", output;
};

void setup(CLI::App& cmd, Globals& g) {
  auto o = std::make_shared<Options>();
  cmd.add_option("--schema,-s", o->schemas,
                 "Only these schemas (repeatable; default: every user schema)");
  cmd.add_option("--format", o->format,
                 "svg (Graphviz), mermaid (erDiagram text), dot (Graphviz source) or html (one "
                 "self-contained page with the SVG and each table's RLS policies)")
      ->check(CLI::IsMember({"svg", "mermaid", "dot", "html"}));
  cmd.add_option("-o,--output", o->output, "Write to this file instead of standard output");
  cmd.callback([&g, o] {
    DiagramFormat format = DiagramFormat::svg;
    parse_diagram_format(o->format, format);
    Project p = g.project(false);
    Target t = g.target(p);
    auto conn = db::Connection::open(t.conninfo);
    SchemaModel model = inspect_schema(conn, o->schemas);
    std::string title = "Schema of " + t.display;
    std::string text = render_diagram(model, format, title);
    if (o->output.empty()) {
      std::cout << text;
      return;
    }
    errno = 0;
    std::ofstream out(o->output, std::ios::binary);
    if (out) out << text;
    if (out) out.close();
    if (!out) {
      int err = errno;
      throw Error(
          fmt::format("cannot write {}: {}", o->output, err ? std::strerror(err) : "write failed"),
          ExitCode::failure);
    }
    int tables = 0;
    for (const auto& [k, obj] : model.objects) tables += obj.kind == ObjKind::table;
    std::cerr << fmt::format("Wrote {} ({} table(s), {} bytes)\n", o->output, tables, text.size());
  });
}

Register diagram{{"db diagram",
                  "Draw the schema: tables, columns, keys and foreign keys (svg, mermaid, dot "
                  "or an HTML page with RLS policies)",
                  setup}};

}  // namespace
}  // namespace strata::cli
