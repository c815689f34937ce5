// Reset: recreate the database from the migrations. On the local cluster: drop and recreate the
// database, install the compat layer, apply, seed. Elsewhere only with --force, and then it drops
// user schemas only (never roles, never Supabase-managed schemas), saying what it drops first.
#pragma once
#include <chrono>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>

#include "config/project.hpp"
#include "ops/target.hpp"

namespace strata {

struct ResetRequest {
  std::optional<std::string> version;  // stop after this version
  bool seed = true;
  bool force = false;  // required for anything but the local cluster
  std::chrono::milliseconds lock_timeout{60000};
};

// A local reset writes this file before it drops the database and removes it when the reset
// (migrations and seeds included) has finished; while it exists, commands on the local
// database warn that the last reset was interrupted.
std::filesystem::path reset_marker(const Project& project);

void run_reset(const Project& project, const Target& target, const ResetRequest& request,
               std::ostream& out);

}  // namespace strata
