// Integration tests, as data: one folder per history table format under
// tests/fixtures/history/<format>/ (every tool's table, the Supabase CLI's, seed 003's three):
// table.sql writes the table the way its owner does; case.txt lists the local migrations
// (`local: <version> <name>`), the source's seed 003 tracking (`legacy: <kind> [type name
// [entity]]`), the rows strata must adopt from it (`expect: <version> <name> <origin>
// applied|failed`), and a migration to record and take back through HistoryStore
// (`roundtrip: <version> <name>`, or `none` for a table strata cannot write), and optionally the
// rows strata's own creation of the table must hold, as the tool writes them (`created_query:
// <SQL returning one text column>`, `created: <row>`). Adding a format is
// one file in src/history/formats/ and one folder here.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "fixture.hpp"
#include "history/formats/history_format.hpp"
#include "history/history_store.hpp"

namespace fs = std::filesystem;
using namespace strata;
using namespace strata::testing;

namespace {

fs::path cases_dir() {
  return fs::path(STRATA_FIXTURES) / "history";
}

std::vector<std::string> case_names() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(cases_dir()))
    if (e.is_directory() && fs::exists(e.path() / "case.txt")) out.push_back(e.path().filename());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

const HistoryFormat* format_named(const std::string& name) {
  if (name == "supabase") return &supabase_history();
  if (name.starts_with("legacy-")) return tier_runner_history(name.substr(7));
  return find_history_format(name);
}

struct Case {
  SourceConfig source;
  std::vector<Migration> local;
  std::vector<std::string> expect;  // "<version> <name> <origin> applied|failed"
  std::vector<std::string> roundtrip;
  std::string created_query;
  std::vector<std::string> created;
};

Case read_case(const fs::path& dir) {
  Case c;
  std::ifstream in(dir / "case.txt");
  for (std::string line; std::getline(in, line);) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string key = line.substr(0, colon);
    auto w = words(line.substr(colon + 1));
    if (key == "local") {
      Migration m;
      m.version = w.at(0);
      m.name = w.at(1);
      c.local.push_back(m);
    } else if (key == "legacy") {
      c.source.legacy.kind = w.at(0);
      if (w.size() > 2) c.source.legacy.source_type = w[1], c.source.legacy.source_name = w[2];
      if (w.size() > 3) c.source.legacy.entity = w[3];
    } else if (key == "expect") {
      c.expect.push_back(line.substr(colon + 2));
    } else if (key == "created_query") {
      c.created_query = line.substr(colon + 2);
    } else if (key == "created") {
      c.created.push_back(line.substr(colon + 2));
    } else if (key == "roundtrip") {
      c.roundtrip = w;
    }
  }
  return c;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class HistoryFormatCase : public DbTest, public ::testing::WithParamInterface<std::string> {};

TEST_P(HistoryFormatCase, AdoptsWhatItsOwnerWroteAndKeepsInStep) {
  const fs::path dir = cases_dir() / GetParam();
  const HistoryFormat* format = format_named(GetParam());
  ASSERT_NE(format, nullptr) << "no history format named " << GetParam();
  Case c = read_case(dir);
  db::Connection conn = connect();
  HistoryTable table{std::string(format->table()), c.source};
  if (!c.created_query.empty()) {
    // strata creates the table (for a mirror) as the tool would: same rows, twice idempotent.
    conn.exec(format->ensure_sql(table));
    conn.exec(format->ensure_sql(table));
    std::vector<std::string> rows;
    auto r = conn.exec(c.created_query);
    for (int i = 0; i < r.rows(); ++i) rows.push_back(r.get(i, 0));
    EXPECT_EQ(rows, c.created);
    conn.exec("DROP TABLE " + table.name);
  }
  conn.exec(slurp(dir / "table.sql"));

  HistoryStore store("strata");
  store.keep(c.source, *format, "", true, c.roundtrip != std::vector<std::string>{"none"});
  ASSERT_TRUE(format->present(conn, table)) << "the owner's table is not recognised";

  // Adoption: strata's own table does not exist yet; every row comes from the owner's table.
  std::vector<std::string> got;
  for (const HistoryRow& h : store.load(conn, c.source, c.local))
    got.push_back(h.version + " " + h.name + " " + h.origin + " " +
                  (h.success ? "applied" : "failed"));
  EXPECT_EQ(got, c.expect);

  if (c.roundtrip.size() < 2) return;
  // Recorded through HistoryStore (strata's row and the owner's table in one batch), then taken
  // back: the owner's table says applied, then not.
  Migration m;
  m.version = c.roundtrip[0];
  m.name = c.roundtrip[1];
  m.path = dir / (m.version + "_" + m.name + ".sql");
  std::vector<Migration> local = c.local;
  auto owner_has = [&] {
    for (const HistoryRow& h : format->load(conn, table, local))
      if (h.version == m.version && h.success) return true;
    return false;
  };
  ASSERT_FALSE(owner_has());
  store.ensure(conn);
  AppliedRecord r = applied_record(m);
  r.checksum = "sha256:test";
  r.statements = {"create table t (id int)"};
  db::in_transaction(conn, [&] { store.run(conn, store.record_applied(r)); });
  EXPECT_TRUE(owner_has()) << "record_applied did not write the owner's table";
  EXPECT_EQ(
      conn.exec_params("SELECT count(*) FROM strata.migrations WHERE version = $1", {m.version})
          .get(0, 0),
      "1");
  db::in_transaction(conn, [&] { store.run(conn, store.record_reverted(r)); });
  EXPECT_FALSE(owner_has()) << "record_reverted did not take it out of the owner's table";
}

INSTANTIATE_TEST_SUITE_P(Formats, HistoryFormatCase, ::testing::ValuesIn(case_names()),
                         [](const ::testing::TestParamInfo<std::string>& p) {
                           std::string n = p.param;
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n;
                         });

}  // namespace
