// Discovery: the migration files of a source, in run order, with their down files attached.
// The files are read in the format of `[migrations] format`, else of the tool whose files they
// are (goose, dbmate, golang-migrate, Flyway, node-pg-migrate, postgres-migrations,
// graphile-migrate: detected, with a notice in `warnings`), else strata's own layout (see
// src/migration/formats/). Down files and down sections are never applied forward. In
// supabase/migrations, files the Supabase CLI would skip are skipped with a warning.
#pragma once
#include <string>
#include <vector>

#include "config/project.hpp"
#include "migration/migration.hpp"

namespace strata {

struct DiscoveredSource {
  std::vector<Migration> migrations;  // run order
  std::vector<std::string> warnings;
  // "<dir>: read as goose migrations (...)" when the format was detected rather than set by
  // `[migrations] format`: shown until strata has recorded a migration of the source (see
  // ops/project_state.cpp), not on every run.
  std::string format_notice;
};

DiscoveredSource discover_migrations(const Project& project, const SourceConfig& source);

// True when `file` (a file name) matches the source's `[migrations] run_last` globs.
bool runs_last(const SourceConfig& source, const std::string& file);

// Sequential projects (`001_x.sql`) get `NNN` next; timestamped ones a UTC YYYYMMDDHHMMSS.
std::string next_version(const std::vector<Migration>& existing, const std::string& utc_timestamp);

}  // namespace strata
