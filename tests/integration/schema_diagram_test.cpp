// Integration tests: `strata db diagram` on examples/supabase-notes applied to a real server:
// every format lists every table; the HTML page renders in headless Chromium without errors.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "fixture.hpp"

namespace fs = std::filesystem;
using namespace strata::testing;

namespace {

const std::vector<std::string> kTables = {"profiles", "notes"};

bool on_path(const std::string& prog) {
  return strata::run_process({"sh", "-c", "command -v " + prog}).exit_code == 0;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class SchemaDiagram : public DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    copy_tree(fs::path(STRATA_SOURCE_DIR) / "examples" / "supabase-notes");
    auto c = strata({"compat", "install"});
    ASSERT_EQ(c.exit_code, 0) << c.output;
    auto u = strata({"up"});
    ASSERT_EQ(u.exit_code, 0) << u.output;
  }
};

TEST_F(SchemaDiagram, DotListsTablesColumnsAndForeignKeys) {
  auto r = strata({"db", "diagram", "--format", "dot"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("digraph schema {"), std::string::npos) << r.output;
  for (const auto& t : kTables)
    EXPECT_NE(r.output.find("<B>public." + t + "</B>"), std::string::npos) << t << r.output;
  // Columns with types and marks; the foreign keys to auth.users (outside the model) dashed.
  EXPECT_NE(r.output.find("<U>id</U></TD><TD ALIGN=\"LEFT\">bigint</TD><TD ALIGN=\"LEFT\">PK"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find(">user_id</TD><TD ALIGN=\"LEFT\">uuid</TD><TD ALIGN=\"LEFT\">FK "
                          "NOT NULL"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("\"table:public.notes\" -> \"external:auth.users\" [label=\"user_id\""),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("\"external:auth.users\" [shape=box, style=dashed"), std::string::npos);
  // Platform tables are not drawn as tables of the project.
  EXPECT_EQ(r.output.find("<B>auth.users</B>"), std::string::npos) << r.output;
}

TEST_F(SchemaDiagram, MermaidErDiagram) {
  auto r = strata({"db", "diagram", "--format", "mermaid"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.rfind("erDiagram\n", 0), 0u) << r.output;
  for (const auto& t : kTables)
    EXPECT_NE(r.output.find("  " + t + " {\n"), std::string::npos) << t << r.output;
  EXPECT_NE(r.output.find("    bigint id PK\n"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("    text[] tags \"not null\"\n"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("  auth_users ||--o{ notes : \"user_id\"\n"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("  auth_users ||--o{ profiles : \"id\"\n"), std::string::npos)
      << r.output;
}

TEST_F(SchemaDiagram, SvgToFileAndSchemaFilter) {
  if (!on_path("dot")) GTEST_SKIP() << "graphviz not installed (scripts/deps.sh installs it)";
  auto r = strata({"db", "diagram", "-o", (project / "schema.svg").string()});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("(2 table(s)"), std::string::npos) << r.output;
  std::string svg = slurp(project / "schema.svg");
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  for (const auto& t : kTables) EXPECT_NE(svg.find("public." + t), std::string::npos) << t;
  // --schema narrows the model: a schema with no tables draws none.
  connect().exec("create schema other; create table other.lonely (id int primary key)");
  auto o = strata({"db", "diagram", "--format", "dot", "--schema", "other"});
  ASSERT_EQ(o.exit_code, 0) << o.output;
  EXPECT_NE(o.output.find("other.lonely"), std::string::npos) << o.output;
  EXPECT_EQ(o.output.find("public.notes"), std::string::npos) << o.output;
}

TEST_F(SchemaDiagram, HtmlPageRendersInChromium) {
  if (!on_path("dot")) GTEST_SKIP() << "graphviz not installed (scripts/deps.sh installs it)";
  fs::path page = project / "schema.html";
  auto r = strata({"db", "diagram", "--format", "html", "-o", page.string()});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::string html = slurp(page);
  // Self-contained: inline SVG, no scripts, no external resources.
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("src=\"http"), std::string::npos);
  EXPECT_EQ(html.find("href=\"http"), std::string::npos);
  // RLS policies per table.
  EXPECT_NE(html.find("<b>Users manage their own notes</b> permissive for ALL to authenticated"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("<b>Profiles are readable by signed-in users</b>"), std::string::npos);
  if (!on_path("chromium")) GTEST_SKIP() << "chromium not installed (scripts/deps.sh installs it)";
  fs::path profile = project / ".chromium";
  auto c = strata::run_process({"chromium", "--headless", "--no-sandbox", "--disable-gpu",
                                "--user-data-dir=" + profile.string(), "--enable-logging=stderr",
                                "--v=0", "--dump-dom", "file://" + page.string()});
  ASSERT_EQ(c.exit_code, 0) << c.output;
  // The rendered DOM holds every table (in the SVG and in the policy list).
  EXPECT_NE(c.output.find("<svg"), std::string::npos) << c.output.substr(0, 2000);
  for (const auto& t : kTables) {
    EXPECT_NE(c.output.find("<title>table:public." + t + "</title>"), std::string::npos) << t;
    EXPECT_NE(c.output.find("<h3>public." + t + "</h3>"), std::string::npos) << t;
  }
  // No console errors from the page itself (Chromium's own startup noise is not the page's).
  EXPECT_EQ(c.output.find("CONSOLE"), std::string::npos) << c.output.substr(0, 4000);
  EXPECT_EQ(c.output.find("Uncaught"), std::string::npos);
  EXPECT_EQ(c.output.find("Failed to load resource"), std::string::npos);
}

}  // namespace
