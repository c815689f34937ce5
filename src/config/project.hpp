// Project: where a project's migrations live and how strata treats them, read from strata.toml
// and/or supabase/config.toml (see docs/config.md), with defaults that fit a Supabase layout.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace strata {

// Where a source's rows live in the tracking tables of seed 003's runner (`_migrations`,
// `_content_migrations`, `_entity_migrations`), for adoption and for keeping them written.
struct LegacyTracking {
  std::string kind;         // "core", "content" or "entity"; empty = none
  std::string source_type;  // "theme" or "plugin" (content, entity)
  std::string source_name;  // theme/plugin name
  std::string entity;       // entity name (entity)
};

struct SourceConfig {
  std::string name = "default";    // history scope: "default", an app name, "core", "theme:x", ...
  std::string tier = "default";    // for the per-tier summary: core, content, entity
  std::filesystem::path dir;       // absolute
  std::vector<std::string> order;  // explicit file order (file names), optional
  std::vector<std::string> dev_only;  // file-name globs that run only in dev (sample data)
  LegacyTracking legacy;
};

// An app sharing a database with others (seed 004): its own schema, history scope and lock.
struct AppConfig {
  std::string name;    // history scope; empty = not an app
  std::string schema;  // search_path for its migrations
};

// Grants applied after each migration to the objects in a schema (`[grants]`).
struct GrantConfig {
  std::string schema;                                       // default: the app schema, else public
  std::vector<std::string> usage;                           // roles given USAGE on the schema
  std::vector<std::pair<std::string, std::string>> tables;  // role -> privileges
  std::vector<std::pair<std::string, std::string>> sequences;  // role -> privileges
  std::vector<std::pair<std::string, std::string>> functions;  // role -> privileges
  bool empty() const {
    return usage.empty() && tables.empty() && sequences.empty() && functions.empty();
  }
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
  // `[schema] paths`: globs (relative to the project root) of the declarative schema files that
  // `strata schema plan|apply` build; empty = not configured.
  std::vector<std::string> schema_paths;
  LocalDbConfig local;
  bool migrations_enabled = true;
  AppConfig app;
  GrantConfig grants;
  bool notify_postgrest =
      true;  // NOTIFY pgrst, 'reload schema' after a run that changed the schema
  std::vector<std::string> warnings;  // non-fatal config remarks to show the user

  // What the migration lock and the Supabase history table are scoped to.
  std::string lock_scope() const {
    return history_schema + "/" + (app.name.empty() ? "default" : app.name);
  }
  bool supabase_history() const { return supabase && app.name.empty(); }
  bool legacy_tracking() const {
    for (const auto& s : sources)
      if (!s.legacy.kind.empty()) return true;
    return false;
  }

  std::string display(const std::filesystem::path& p) const;  // path relative to root
};

// Loads the project at `root`. Throws Error(ExitCode::config) with file:line:col for a config
// file that does not parse, and a hint when no migrations directory can be found.
Project load_project(const std::filesystem::path& root, bool require_migrations_dir = true);

}  // namespace strata
