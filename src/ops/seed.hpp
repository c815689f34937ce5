// Seeds: the project's seed files (supabase/config.toml [db.seed] sql_paths, or strata.toml
// [seed] paths), run in one transaction each and recorded like the Supabase CLI does in
// supabase_migrations.seed_files(path, hash). An unchanged seed is not re-run.
#pragma once
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "config/project.hpp"
#include "db/connection.hpp"

namespace strata {

// Seed files in order (globs expanded, sorted within each glob, duplicates dropped).
std::vector<std::filesystem::path> seed_files(const Project& project);

struct SeedReport {
  int applied = 0;
  int skipped = 0;  // unchanged since last run
};

// force: re-run seeds whose hash changed (and unchanged ones too).
SeedReport run_seeds(const Project& project, db::Connection& conn, bool force, std::ostream& out);

}  // namespace strata
