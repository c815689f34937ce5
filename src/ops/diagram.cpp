// Schema diagram rendering: dot, Mermaid, SVG (via Graphviz) and a self-contained HTML page.
#include "ops/diagram.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "util/error.hpp"
#include "util/process.hpp"

namespace fs = std::filesystem;

namespace strata {

namespace {

struct Col {
  int num = 0;
  std::string name, type;
  bool not_null = false, pk = false, fk = false, uk = false;
};

struct Fk {
  std::string from;      // referencing table key
  std::string to_qname;  // referenced table as the constraint prints it
  std::string to;        // referenced table key, "" when outside the model
  std::string name;      // constraint name
  std::string columns;   // "user_id"
};

struct Tbl {
  const Object* obj = nullptr;
  std::vector<Col> cols;
  std::vector<const Object*> policies;
};

struct Diagram {
  std::map<std::string, Tbl> tables;  // by key
  std::vector<Fk> fks;
  std::vector<std::string> external;  // referenced tables outside the model (qnames)
};

std::string unquote(std::string s) {
  while (!s.empty() && s.front() == ' ') s.erase(0, 1);
  while (!s.empty() && s.back() == ' ') s.pop_back();
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') {
    std::string out;
    for (size_t i = 1; i + 1 < s.size(); ++i) {
      out += s[i];
      if (s[i] == '"' && s[i + 1] == '"') ++i;
    }
    return out;
  }
  return s;
}

// The names inside the first (...) of a constraint definition.
std::vector<std::string> key_columns(const std::string& def) {
  std::vector<std::string> out;
  size_t open = def.find('('), close = def.find(')', open);
  if (open == std::string::npos || close == std::string::npos) return out;
  std::string inner = def.substr(open + 1, close - open - 1);
  size_t start = 0;
  while (start <= inner.size()) {
    size_t comma = inner.find(',', start);
    if (comma == std::string::npos) comma = inner.size();
    out.push_back(unquote(inner.substr(start, comma - start)));
    start = comma + 1;
  }
  return out;
}

Diagram collect(const SchemaModel& m) {
  Diagram d;
  std::map<std::string, std::string> by_qname;
  for (const auto& [key, o] : m.objects)
    if (o.kind == ObjKind::table) {
      d.tables[key].obj = &o;
      by_qname[o.qname] = key;
    }
  for (const auto& [key, o] : m.objects) {
    auto t = d.tables.find(o.parent);
    if (t == d.tables.end()) continue;
    if (o.kind == ObjKind::column) {
      t->second.cols.push_back({o.column.num, o.name, o.column.type, o.column.not_null});
    } else if (o.kind == ObjKind::policy) {
      t->second.policies.push_back(&o);
    }
  }
  for (auto& [key, t] : d.tables)
    std::sort(t.cols.begin(), t.cols.end(),
              [](const Col& a, const Col& b) { return a.num < b.num; });
  auto mark = [&](Tbl& t, const std::vector<std::string>& names, bool Col::*flag) {
    for (auto& c : t.cols)
      if (std::find(names.begin(), names.end(), c.name) != names.end()) c.*flag = true;
  };
  for (const auto& [key, o] : m.objects) {
    if (o.kind != ObjKind::constraint) continue;
    auto t = d.tables.find(o.parent);
    if (t == d.tables.end()) continue;
    const std::string& def = o.constraint.definition;
    char type = o.constraint.type;
    if (type == 'p') mark(t->second, key_columns(def), &Col::pk);
    if (type == 'u') mark(t->second, key_columns(def), &Col::uk);
    if (type == 'f') {
      auto cols = key_columns(def);
      mark(t->second, cols, &Col::fk);
      size_t ref = def.find("REFERENCES ");
      if (ref == std::string::npos) continue;
      size_t start = ref + 11, paren = def.find('(', start);
      Fk fk;
      fk.from = t->first;
      fk.name = o.name;
      fk.to_qname =
          def.substr(start, paren == std::string::npos ? std::string::npos : paren - start);
      while (!fk.to_qname.empty() && fk.to_qname.back() == ' ') fk.to_qname.pop_back();
      for (size_t i = 0; i < cols.size(); ++i) fk.columns += (i ? ", " : "") + cols[i];
      auto target = by_qname.find(fk.to_qname);
      if (target != by_qname.end()) {
        fk.to = target->second;
      } else if (std::find(d.external.begin(), d.external.end(), fk.to_qname) == d.external.end()) {
        d.external.push_back(fk.to_qname);
      }
      d.fks.push_back(fk);
    }
  }
  std::sort(d.external.begin(), d.external.end());
  return d;
}

std::string html_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string dot_id(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string table_label(const Object& o) {
  return o.schema + "." + o.name;
}

std::string marks(const Col& c) {
  std::string m;
  if (c.pk) m += "PK ";
  if (c.fk) m += "FK ";
  if (c.uk) m += "UK ";
  if (c.not_null && !c.pk) m += "NOT NULL ";
  if (!m.empty()) m.pop_back();
  return m;
}

// Mermaid identifiers: letters, digits, '_' and '-'.
std::string mermaid_id(const std::string& schema, const std::string& name) {
  std::string raw = schema == "public" ? name : schema + "_" + name;
  std::string out;
  for (char c : raw)
    out += (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-') ? c : '_';
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out = "t_" + out;
  return out;
}

std::string mermaid_type(const std::string& type) {
  std::string out;
  for (char c : type)
    out += (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '[' || c == ']' ||
            c == '(' || c == ')' || c == '-')
               ? c
               : '_';
  if (out.empty() || !std::isalpha(static_cast<unsigned char>(out[0]))) out = "t_" + out;
  return out;
}

std::string split_qname_schema(const std::string& q) {
  size_t dot = q.find('.');
  return dot == std::string::npos ? "" : unquote(q.substr(0, dot));
}
std::string split_qname_name(const std::string& q) {
  size_t dot = q.find('.');
  return unquote(dot == std::string::npos ? q : q.substr(dot + 1));
}

std::string find_on_path(const std::string& prog) {
  const char* path = std::getenv("PATH");
  std::string p = path ? path : "/usr/local/bin:/usr/bin:/bin";
  size_t start = 0;
  while (start <= p.size()) {
    size_t colon = p.find(':', start);
    if (colon == std::string::npos) colon = p.size();
    fs::path candidate = fs::path(p.substr(start, colon - start)) / prog;
    if (!candidate.empty() && access(candidate.c_str(), X_OK) == 0) return candidate.string();
    start = colon + 1;
  }
  return "";
}

}  // namespace

bool parse_diagram_format(const std::string& text, DiagramFormat& out) {
  if (text == "dot")
    out = DiagramFormat::dot;
  else if (text == "mermaid")
    out = DiagramFormat::mermaid;
  else if (text == "svg")
    out = DiagramFormat::svg;
  else if (text == "html")
    out = DiagramFormat::html;
  else
    return false;
  return true;
}

std::string diagram_dot(const SchemaModel& model) {
  Diagram d = collect(model);
  std::ostringstream o;
  o << "// Generated by strata db diagram\n"
    << "digraph schema {\n"
    << "  graph [rankdir=LR, fontname=\"Helvetica\", bgcolor=\"white\"];\n"
    << "  node [shape=plain, fontname=\"Helvetica\", fontsize=10];\n"
    << "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#555555\"];\n";
  for (const auto& [key, t] : d.tables) {
    const Object& obj = *t.obj;
    o << "  " << dot_id(key) << " [label=<<TABLE BORDER=\"1\" CELLBORDER=\"0\" CELLSPACING=\"0\" "
      << "CELLPADDING=\"4\"><TR><TD COLSPAN=\"3\" BGCOLOR=\"#3b6ea5\"><FONT COLOR=\"white\"><B>"
      << html_escape(table_label(obj)) << "</B>" << (obj.table.rls ? " (RLS)" : "")
      << "</FONT></TD></TR>";
    for (const auto& c : t.cols) {
      std::string name = html_escape(c.name);
      if (c.pk) name = "<U>" + name + "</U>";
      o << "<TR><TD ALIGN=\"LEFT\" PORT=" << dot_id("c_" + std::to_string(c.num)) << ">" << name
        << "</TD><TD ALIGN=\"LEFT\">" << html_escape(c.type) << "</TD><TD ALIGN=\"LEFT\">"
        << html_escape(marks(c)) << "</TD></TR>";
    }
    o << "</TABLE>>];\n";
  }
  for (const auto& q : d.external)
    o << "  " << dot_id("external:" + q) << " [shape=box, style=dashed, label=" << dot_id(q)
      << "];\n";
  for (const auto& fk : d.fks) {
    std::string to = fk.to.empty() ? "external:" + fk.to_qname : fk.to;
    o << "  " << dot_id(fk.from) << " -> " << dot_id(to) << " [label=" << dot_id(fk.columns)
      << ", tooltip=" << dot_id(fk.name) << "];\n";
  }
  o << "}\n";
  return o.str();
}

std::string diagram_mermaid(const SchemaModel& model) {
  Diagram d = collect(model);
  std::ostringstream o;
  o << "erDiagram\n";
  for (const auto& [key, t] : d.tables) {
    o << "  " << mermaid_id(t.obj->schema, t.obj->name) << " {\n";
    for (const auto& c : t.cols) {
      o << "    " << mermaid_type(c.type) << " " << mermaid_id("public", c.name);
      std::vector<std::string> k;
      if (c.pk) k.push_back("PK");
      if (c.fk) k.push_back("FK");
      if (c.uk) k.push_back("UK");
      for (size_t i = 0; i < k.size(); ++i) o << (i ? ", " : " ") << k[i];
      if (c.not_null && !c.pk) o << " \"not null\"";
      o << "\n";
    }
    o << "  }\n";
  }
  for (const auto& fk : d.fks) {
    std::string from = mermaid_id(d.tables.at(fk.from).obj->schema, d.tables.at(fk.from).obj->name);
    std::string to =
        fk.to.empty() ? mermaid_id(split_qname_schema(fk.to_qname), split_qname_name(fk.to_qname))
                      : mermaid_id(d.tables.at(fk.to).obj->schema, d.tables.at(fk.to).obj->name);
    std::string label = fk.columns;
    for (char& c : label)
      if (c == '"') c = '\'';
    o << "  " << to << " ||--o{ " << from << " : \"" << label << "\"\n";
  }
  return o.str();
}

std::string diagram_svg(const SchemaModel& model) {
  std::string dot = find_on_path("dot");
  if (dot.empty()) {
    Error e("cannot draw SVG: Graphviz's `dot` program is not installed", ExitCode::failure);
    e.hint =
        "install the Debian package graphviz (apt-get install graphviz), or use --format dot "
        "or --format mermaid";
    throw e;
  }
  fs::path dir = fs::temp_directory_path() / fmt::format("strata_diagram_{}", getpid());
  fs::create_directories(dir);
  fs::path in = dir / "schema.dot", out = dir / "schema.svg";
  {
    std::ofstream f(in, std::ios::binary);
    f << diagram_dot(model);
  }
  ProcessResult r = run_process({dot, "-Tsvg", "-o", out.string(), in.string()});
  std::string svg;
  if (r.exit_code == 0) {
    std::ifstream f(out, std::ios::binary);
    std::ostringstream s;
    s << f.rdbuf();
    svg = s.str();
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  if (r.exit_code != 0 || svg.empty())
    throw Error(fmt::format("Graphviz `dot -Tsvg` failed: {}", r.output), ExitCode::failure);
  return svg;
}

std::string diagram_html(const SchemaModel& model, const std::string& title) {
  std::string svg = diagram_svg(model);
  // Inline: drop the XML declaration and DOCTYPE that precede <svg.
  size_t at = svg.find("<svg");
  if (at != std::string::npos) svg = svg.substr(at);
  Diagram d = collect(model);
  std::ostringstream o;
  o << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    << "<title>" << html_escape(title) << "</title>\n<style>\n"
    << "body{font-family:Helvetica,Arial,sans-serif;margin:2em;color:#222}\n"
    << ".diagram{overflow:auto;border:1px solid #ddd;padding:1em}\n"
    << "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px "
       "8px;text-align:left}\n"
    << "code{background:#f4f4f4;padding:0 3px}.off{color:#a33}\n</style>\n</head>\n<body>\n"
    << "<h1>" << html_escape(title) << "</h1>\n<div class=\"diagram\">\n"
    << svg << "\n</div>\n<h2>Tables</h2>\n";
  for (const auto& [key, t] : d.tables) {
    const Object& obj = *t.obj;
    std::string name = table_label(obj);
    o << "<section class=\"table\" id=\"" << html_escape(name) << "\">\n<h3>" << html_escape(name)
      << "</h3>\n<table><tr><th>column</th><th>type</th><th>keys</th></tr>\n";
    for (const auto& c : t.cols)
      o << "<tr><td>" << html_escape(c.name) << "</td><td>" << html_escape(c.type) << "</td><td>"
        << html_escape(marks(c)) << "</td></tr>\n";
    o << "</table>\n";
    if (!obj.table.rls) {
      o << "<p class=\"off\">Row level security: off</p>\n";
    } else {
      o << "<p>Row level security: on" << (obj.table.rls_forced ? " (forced)" : "") << "</p>\n";
    }
    if (t.policies.empty()) {
      o << "<p>Policies: none</p>\n";
    } else {
      o << "<ul class=\"policies\">\n";
      for (const Object* p : t.policies) {
        std::string roles;
        for (size_t i = 0; i < p->policy_roles.size(); ++i)
          roles += (i ? ", " : "") + p->policy_roles[i];
        o << "<li><b>" << html_escape(p->name) << "</b> "
          << (p->permissive ? "permissive" : "restrictive") << " for " << html_escape(p->policy_cmd)
          << " to " << html_escape(roles.empty() ? "PUBLIC" : roles);
        if (!p->policy_using.empty())
          o << " using <code>" << html_escape(p->policy_using) << "</code>";
        if (!p->policy_check.empty())
          o << " with check <code>" << html_escape(p->policy_check) << "</code>";
        o << "</li>\n";
      }
      o << "</ul>\n";
    }
    o << "</section>\n";
  }
  o << "</body>\n</html>\n";
  return o.str();
}

std::string render_diagram(const SchemaModel& model, DiagramFormat format,
                           const std::string& title) {
  switch (format) {
    case DiagramFormat::dot:
      return diagram_dot(model);
    case DiagramFormat::mermaid:
      return diagram_mermaid(model);
    case DiagramFormat::svg:
      return diagram_svg(model);
    case DiagramFormat::html:
      return diagram_html(model, title);
  }
  return "";
}

}  // namespace strata
