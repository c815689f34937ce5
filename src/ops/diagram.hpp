// Schema diagram: the tables, columns (type, PK / NOT NULL marks), unique keys and foreign keys
// of a SchemaModel as Graphviz dot text, Mermaid erDiagram text, SVG (Graphviz's `dot -Tsvg`)
// or one self-contained HTML page (the SVG inline plus each table's RLS policies).
#pragma once
#include <string>

#include "catalog/schema_model.hpp"

namespace strata {

enum class DiagramFormat { dot, mermaid, svg, html };

// "dot", "mermaid", "svg", "html"; false for anything else.
bool parse_diagram_format(const std::string& text, DiagramFormat& out);

// Graphviz source: one node per table (an HTML-like label listing its columns), one edge per
// foreign key from the referencing table to the referenced one (a table outside the model,
// such as auth.users, is drawn dashed).
std::string diagram_dot(const SchemaModel& model);

// Mermaid `erDiagram`: one entity per table (public tables by bare name, others schema_table),
// attributes `type name PK|FK|UK "not null"`, one relationship per foreign key.
std::string diagram_mermaid(const SchemaModel& model);

// Runs `dot -Tsvg` on diagram_dot(model). Throws Error(failure) naming the Debian package
// (graphviz) when `dot` is not on PATH, or with dot's output when it fails.
std::string diagram_svg(const SchemaModel& model);

// A complete HTML document (no scripts, no external resources): the SVG inline, then per table
// its columns, whether row level security is on, and its policies (command, roles, USING,
// WITH CHECK).
std::string diagram_html(const SchemaModel& model, const std::string& title);

std::string render_diagram(const SchemaModel& model, DiagramFormat format,
                           const std::string& title);

}  // namespace strata
