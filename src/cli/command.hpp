// The CLI's command registry: each command file registers its name, help and a setup function
// that adds its options and its run callback. main.cpp mounts them (and Supabase-style aliases).
#pragma once
#include <CLI/CLI.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "config/project.hpp"
#include "ops/target.hpp"
#include "util/error.hpp"

namespace strata::cli {

// The output convention (docs/output.md): a command that reports something takes
// `--output text|json` (alias `--json`, see add_output_option); `--quiet` (global) leaves stdout
// empty unless the output is JSON; colour only on a terminal and without NO_COLOR.
struct Globals {
  std::string db_url;
  std::string workdir = ".";
  int lock_timeout_s = 60;
  bool quiet = false;
  std::string output = "text";  // "text" or "json"
  int exit_code = 0;

  bool json() const { return output == "json"; }
  // Colour for this stream (1 = stdout, 2 = stderr): a TTY, NO_COLOR unset or empty, TERM not dumb.
  static bool color(int fd);

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

// Adds `--output text|json` and its alias `--json` to a command that reports something; the
// choice lands in g.output (read it in the callback with g.json()).
void add_output_option(CLI::App& cmd, Globals& g);
// The lines a command would have printed as text, as a JSON array of strings ("messages").
nlohmann::json lines_json(const std::string& text);
// A JSON document on stdout, as every --output json prints it (2-space indent, bad UTF-8 replaced).
void print_json(const nlohmann::json& j);

struct Register {
  explicit Register(CommandSpec spec) { registry().push_back(std::move(spec)); }
};

}  // namespace strata::cli
