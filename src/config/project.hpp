// Project: where a project's migrations live and how strata treats them, read from strata.toml
// and/or supabase/config.toml (see docs/config.md), with defaults that fit a Supabase layout.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace strata {

struct SourceConfig {
  std::string name = "default";       // history scope
  std::filesystem::path dir;          // absolute
  std::vector<std::string> order;     // explicit file order (file names), optional
  std::vector<std::string> dev_only;  // file-name globs that run only in dev (sample data)
};

struct SeedConfig {
  bool enabled = true;
  std::vector<std::string> sql_paths;  // globs relative to supabase/ (Supabase) or the root
};

struct LocalDbConfig {
  int port = 54322;
  int major_version = 15;
  std::string user = "postgres";
  std::string database = "postgres";
};

struct Project {
  std::filesystem::path root;  // --workdir
  bool supabase = false;       // has supabase/: keep supabase_migrations in step
  std::string history_schema = "strata";
  std::vector<SourceConfig> sources;  // in run order
  SeedConfig seed;
  LocalDbConfig local;
  bool migrations_enabled = true;
  std::vector<std::string> warnings;  // non-fatal config remarks to show the user

  std::string display(const std::filesystem::path& p) const;  // path relative to root
};

// Loads the project at `root`. Throws Error(ExitCode::config) with file:line:col for a config
// file that does not parse, and a hint when no migrations directory can be found.
Project load_project(const std::filesystem::path& root, bool require_migrations_dir = true);

}  // namespace strata
