// Seed discovery (fnmatch globs) and execution with the Supabase CLI's seed_files bookkeeping.
#include "ops/seed.hpp"

#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>
#include <set>

#include "execute/executor.hpp"
#include "util/checksum.hpp"
#include "util/error.hpp"
#include "util/file.hpp"

namespace fs = std::filesystem;

namespace strata {

std::vector<fs::path> seed_files(const Project& project) {
  std::vector<fs::path> out;
  std::set<fs::path> seen;
  // Supabase resolves sql_paths relative to supabase/; strata.toml's [seed] paths to the root.
  fs::path base = project.supabase ? project.root / "supabase" : project.root;
  for (const auto& pattern : project.seed.sql_paths) {
    fs::path full = (base / pattern).lexically_normal();
    std::vector<fs::path> matches;
    if (pattern.find_first_of("*?[") == std::string::npos) {
      if (fs::is_regular_file(full)) matches.push_back(full);
    } else {
      // Walk from the longest literal prefix directory.
      fs::path dir = full.parent_path();
      while (dir.string().find_first_of("*?[") != std::string::npos) dir = dir.parent_path();
      std::error_code ec;
      if (fs::is_directory(dir)) {
        for (auto it = fs::recursive_directory_iterator(dir, ec);
             it != fs::recursive_directory_iterator(); it.increment(ec)) {
          if (it->is_regular_file() && fnmatch(full.c_str(), it->path().c_str(), FNM_PATHNAME) == 0)
            matches.push_back(it->path());
        }
      }
      std::sort(matches.begin(), matches.end());
    }
    for (auto& m : matches)
      if (seen.insert(m).second) out.push_back(m);
  }
  return out;
}

SeedReport run_seeds(const Project& project, db::Connection& conn, bool force, std::ostream& out) {
  SeedReport report;
  conn.exec(
      "CREATE SCHEMA IF NOT EXISTS supabase_migrations;"
      "CREATE TABLE IF NOT EXISTS supabase_migrations.seed_files (path text NOT NULL PRIMARY KEY, "
      "hash text NOT NULL)");
  for (const auto& path : seed_files(project)) {
    std::string text = read_file(path);
    std::string rel = project.display(path);
    std::string hash = sha256_hex(text);
    auto r =
        conn.exec_params("SELECT hash FROM supabase_migrations.seed_files WHERE path = $1", {rel});
    if (r.rows() && !force) {
      if (r.get(0, 0) == hash) {
        out << fmt::format("Seed {} unchanged: skipped.\n", rel);
      } else {
        out << fmt::format(
            "Seed {} changed since it ran: skipped (run `strata seed --force` to run it again).\n",
            rel);
      }
      ++report.skipped;
      continue;
    }
    db::in_transaction(conn, [&] {
      run_script(conn, text, rel, false);
      conn.exec_params(
          "INSERT INTO supabase_migrations.seed_files (path, hash) VALUES ($1, $2) "
          "ON CONFLICT (path) DO UPDATE SET hash = EXCLUDED.hash",
          {rel, hash});
    });
    out << fmt::format("Seeded {}.\n", rel);
    ++report.applied;
  }
  return report;
}

}  // namespace strata
