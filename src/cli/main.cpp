// strata's entry point: mounts the registered commands, runs one, and turns errors into a
// clear message (file:line:col, SQLSTATE, detail, hint) and a documented exit code.
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>

#include "cli/command.hpp"
#include "db/connection.hpp"
#include "sql/splitter.hpp"
#include "util/redact.hpp"
#include "util/text.hpp"

namespace strata::cli {

std::vector<CommandSpec>& registry() {
  static std::vector<CommandSpec> specs;
  return specs;
}

bool Globals::color(int fd) {
  const char* no_color = std::getenv("NO_COLOR");
  const char* term = std::getenv("TERM");
  return isatty(fd) && !(no_color && *no_color) && !(term && std::string(term) == "dumb");
}

void add_output_option(CLI::App& cmd, Globals& g) {
  cmd.add_option("--output", g.output, "Output format: text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->default_str("text");
  cmd.add_flag_callback(
      "--json", [&g] { g.output = "json"; }, "Same as --output json");
}

nlohmann::json lines_json(const std::string& text) {
  nlohmann::json out = nlohmann::json::array();
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

void print_json(const nlohmann::json& j) {
  std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

Project Globals::project(bool require_migrations_dir) const {
  Project p = load_project(workdir, require_migrations_dir);
  for (const auto& w : p.warnings) std::cerr << "warning: " << w << "\n";
  return p;
}

Target Globals::target(const Project& p, bool start_local) const {
  return resolve_target(p, db_url, quiet ? std::clog : std::cerr, start_local);
}

static std::string error_prefix() {
  return Globals::color(2) ? "\033[1;31merror:\033[0m " : "error: ";
}

static void print_error(const Error& e) {
  std::cerr << error_prefix() << redact_secrets(e.what()) << "\n";
  if (e.position && e.position->line > 0) {
    std::ifstream in(e.position->file);
    if (!in) in.open(std::string(e.position->file));
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::string line = line_at(text, e.position->line);
    if (!line.empty()) {
      std::string num = std::to_string(e.position->line);
      std::cerr << fmt::format(
          "  {} | {}\n  {} | {}^\n", num, line, std::string(num.size(), ' '),
          std::string(static_cast<size_t>(std::max(0, e.position->column - 1)), ' '));
    }
  }
  if (!e.detail.empty()) std::cerr << "  detail: " << redact_secrets(e.detail) << "\n";
  if (const auto* dbe = dynamic_cast<const db::DbError*>(&e); dbe && !dbe->context.empty())
    std::cerr << "  context: " << dbe->context << "\n";
  if (!e.hint.empty()) std::cerr << "  hint: " << e.hint << "\n";
}

}  // namespace strata::cli

int main(int argc, char** argv) {
  using namespace strata;
  using namespace strata::cli;
  CLI::App app{"strata: PostgreSQL schema migrations (Supabase-compatible)", "strata"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("strata ") + STRATA_VERSION);
  Globals g;
  app.add_option("--db-url", g.db_url,
                 "Database URL (default: $DATABASE_URL, PG* variables, else the local database)")
      ->envname("")
      ->group("Global");
  app.add_option("--workdir", g.workdir,
                 "Project root: the folder holding supabase/ or strata.toml")
      ->group("Global");
  app.add_option("--lock-timeout", g.lock_timeout_s,
                 "Seconds to wait for another run's migration lock")
      ->group("Global");
  app.add_flag("--quiet,-q", g.quiet,
               "Print nothing on stdout (errors and warnings still go to stderr) unless the "
               "output is JSON; the exit code tells the result")
      ->group("Global");
  app.fallthrough();
  // Runs once every option is parsed, before the command's callback.
  static std::ofstream null_stream;  // never opened: writes to it are dropped
  app.parse_complete_callback([&g] {
    if (g.quiet && !g.json()) std::cout.rdbuf(null_stream.rdbuf());
  });

  std::map<std::string, CLI::App*> groups;
  auto parent_for = [&](const std::string& path, std::string& leaf) -> CLI::App* {
    size_t sp = path.find(' ');
    if (sp == std::string::npos) {
      leaf = path;
      return &app;
    }
    std::string group = path.substr(0, sp);
    leaf = path.substr(sp + 1);
    auto it = groups.find(group);
    if (it == groups.end()) {
      std::string help = group == "db" ? "Local database and database-level commands"
                         : group == "migration"
                             ? "Supabase CLI spellings: migration new|list|up|down|repair"
                             : group + " commands";
      CLI::App* sub = app.add_subcommand(group, help);
      sub->require_subcommand(1);
      sub->fallthrough();
      it = groups.emplace(group, sub).first;
    }
    return it->second;
  };
  for (auto& spec : registry()) {
    std::string leaf;
    CLI::App* parent = parent_for(spec.path, leaf);
    CLI::App* cmd = parent->add_subcommand(leaf, spec.help);
    cmd->fallthrough();
    spec.setup(*cmd, g);
  }
  if (isatty(2)) {
    // A file that takes more than a couple of seconds to split shows its progress on stderr.
    sql::set_split_progress([](size_t done, size_t total) {
      static std::mutex mutex;  // lint splits files on several threads
      std::lock_guard<std::mutex> lock(mutex);
      static auto start = std::chrono::steady_clock::now();
      static size_t last = 0;
      static bool shown = false;
      auto now = std::chrono::steady_clock::now();
      if (done < last || last == 0) start = now;  // a new file
      last = done >= total ? 0 : done;
      if (done >= total) {
        if (shown) std::cerr << "\r\033[K" << std::flush;
        shown = false;
        return;
      }
      if (now - start < std::chrono::seconds(2)) return;
      shown = true;
      std::cerr << fmt::format("\rreading SQL: {} of {} MB", done >> 20, total >> 20) << std::flush;
    });
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : static_cast<int>(ExitCode::usage);
  } catch (const Error& e) {
    print_error(e);
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    std::cerr << error_prefix() << redact_secrets(e.what()) << "\n";
    return static_cast<int>(ExitCode::failure);
  }
  return g.exit_code;
}
