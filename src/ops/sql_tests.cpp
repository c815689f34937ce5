// Running test files and reading pgTAP's own TAP lines from their results.
#include "ops/sql_tests.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "execute/executor.hpp"
#include "util/error.hpp"

namespace fs = std::filesystem;

namespace strata {

SqlTestReport run_sql_tests(const Project& project, db::Connection& conn, std::ostream& tap) {
  fs::path dir = project.supabase ? project.root / "supabase" / "tests" : project.root / "tests";
  std::vector<fs::path> files;
  if (fs::is_directory(dir)) {
    for (const auto& e : fs::recursive_directory_iterator(dir))
      if (e.is_regular_file() && e.path().extension() == ".sql") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  SqlTestReport report;
  report.files = static_cast<int>(files.size());
  tap << "TAP version 13\n1.." << files.size() << "\n";
  bool pgtap_checked = false;
  int n = 0;
  for (const auto& f : files) {
    ++n;
    std::ifstream in(f, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    std::string rel = project.display(f);
    if (!pgtap_checked && text.find("plan(") != std::string::npos) {
      pgtap_checked = true;
      auto avail = conn.exec("SELECT count(*) FROM pg_available_extensions WHERE name = 'pgtap'");
      if (avail.get(0, 0) == "0") {
        Error e("these tests use pgTAP, which this server does not have");
        e.hint = "apt-get install postgresql-15-pgtap";
        throw e;
      }
    }
    std::vector<std::string> lines;
    std::string error;
    conn.exec("BEGIN");
    try {
      if (text.find("plan(") != std::string::npos)
        conn.exec("CREATE EXTENSION IF NOT EXISTS pgtap");
      for (const auto& r : run_script(conn, text, rel)) {
        if (r.columns() != 1) continue;
        for (int i = 0; i < r.rows(); ++i) {
          std::string v = r.get(i, 0);
          if (v.starts_with("ok") || v.starts_with("not ok") || v.starts_with("#") ||
              v.starts_with("1.."))
            lines.push_back(v);
        }
      }
    } catch (const Error& e) {
      error = e.what();
    }
    if (conn.is_open() && conn.in_transaction()) conn.exec("ROLLBACK");
    bool failed =
        !error.empty() || std::any_of(lines.begin(), lines.end(), [](const std::string& l) {
          return l.starts_with("not ok") || l.find("Looks like you failed") != std::string::npos ||
                 l.find("Looks like you planned") != std::string::npos;
        });
    tap << fmt::format("{} {} - {}\n", failed ? "not ok" : "ok", n, rel);
    for (const auto& l : lines) tap << "    " << l << "\n";
    if (!error.empty()) tap << "    # " << error << "\n";
    if (failed) ++report.failed;
  }
  return report;
}

}  // namespace strata
