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
  std::string format;  // `[migrations] format`: a tool's file format; "" = detect from the files
  // `[migrations] run_last` globs: files matching them are left out of this source and run, in a
  // second part of the same source (same name, history scope and tracking), after every source.
  std::vector<std::string> run_last;
  bool run_last_part = false;  // true: this is that second part (only the matching files)
  // `history_table` of `[migrations]` / `[[sources]]`: the table another migration tool keeps
  // this source's history in ("schema.name", "public." added to a bare name), for adoption and
  // `[history] mirror`. Empty: the tools' default tables for the first source, none for others.
  std::string history_table;
};

// `[placeholders]` (name -> value) and `[migrations] placeholder_forms`: substituted into
// migration SQL before it runs; checksums stay over the files as written.
struct PlaceholderConfig {
  std::vector<std::pair<std::string, std::string>> values;  // in strata.toml order
  // Token forms with NAME where the name goes: "${NAME}" (Flyway's, the default), ":NAME",
  // "/* TEMPLATE: NAME */".
  std::vector<std::string> forms;
  bool configured = false;  // [placeholders] present: ${...} is substituted in every format
};

// `[history]` keys for other tools' tables (see src/history/formats/).
struct ForeignHistoryConfig {
  std::vector<std::string> mirror;  // tools whose table strata keeps writing ("dbmate", ...)
  std::optional<std::vector<std::string>> adopt;  // tools to adopt from; unset = every one found
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
  bool compat = true;  // [local] compat: false = a bare cluster (no compat layer, no stand-ins)
  std::vector<std::string> shared_preload_libraries;          // [local] shared_preload_libraries
  std::vector<std::pair<std::string, std::string>> settings;  // [local] settings: name -> value
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
  PlaceholderConfig placeholders;
  ForeignHistoryConfig foreign_history;
  bool notify_postgrest =
      true;  // NOTIFY pgrst, 'reload schema' after a run that changed the schema
  std::vector<std::string> warnings;  // non-fatal config remarks to show the user
  std::filesystem::path backup_dir;   // [backup] dir (absolute); empty = no backup before `up`

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

  // Who and where the target connection logs in (user, database): the values of the tools'
  // connection placeholders (`${flyway:user}`, `:DATABASE_OWNER`, ...). Set by ops/ for the
  // command's target (ops/project_state.cpp); unset, those placeholders are unknown (an error
  // naming file:line where a file uses them).
  struct TargetIdentity {
    std::string user, database;
  };
  std::optional<TargetIdentity> target;

  std::string display(const std::filesystem::path& p) const;  // path relative to root
};

// Loads the project at `root`. Throws Error(ExitCode::config) with file:line:col for a config
// file that does not parse, and a hint when no migrations directory can be found.
Project load_project(const std::filesystem::path& root, bool require_migrations_dir = true);

}  // namespace strata
