// The CLI's command registry: each command file registers its name, help and a setup function
// that adds its options and its run callback. main.cpp mounts them (and Supabase-style aliases).
#pragma once
#include <CLI/CLI.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "config/project.hpp"
#include "ops/target.hpp"
#include "util/error.hpp"

namespace strata::cli {

struct Globals {
  std::string db_url;
  std::string workdir = ".";
  int lock_timeout_s = 60;
  bool quiet = false;
  int exit_code = 0;

  Project project(bool require_migrations_dir = true) const;
  Target target(const Project& p, bool start_local = true) const;
  std::chrono::milliseconds lock_timeout() const { return std::chrono::seconds(lock_timeout_s); }
};

struct CommandSpec {
  std::string path;  // "up", "db start", "migration list"
  std::string help;
  std::function<void(CLI::App& cmd, Globals& g)> setup;
};

std::vector<CommandSpec>& registry();

struct Register {
  explicit Register(CommandSpec spec) { registry().push_back(std::move(spec)); }
};

}  // namespace strata::cli
