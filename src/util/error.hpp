// Error: the one exception type strata throws. It carries what a user needs to act on a failure:
// a message, optional detail and hint, the server's SQLSTATE, a file position, and an exit code.
#pragma once
#include <optional>
#include <stdexcept>
#include <string>

namespace strata {

// Documented in docs/exit-codes.md. Keep the numbers stable.
enum class ExitCode : int {
  ok = 0,
  failure = 1,           // a command failed (generic)
  usage = 2,             // bad command line
  pending = 3,           // status/validate: migrations are pending
  drift = 4,             // modified, missing, out-of-order or partial migrations
  migration_failed = 5,  // a migration's SQL failed; history is as the last good migration left it
  connection = 6,        // cannot reach or authenticate to the server
  lock_timeout = 7,      // another strata holds the migration lock
  config = 8,            // bad project layout, strata.toml, config.toml or file names
  in_doubt = 9,  // an interrupted run may or may not have run a statement: `strata repair` decides
};

struct SourcePosition {
  std::string file;
  int line = 0;    // 1-based; 0 = unknown
  int column = 0;  // 1-based; 0 = unknown
};

class Error : public std::runtime_error {
 public:
  explicit Error(std::string message, ExitCode code = ExitCode::failure)
      : std::runtime_error(std::move(message)), code_(code) {}

  ExitCode code() const { return code_; }
  Error& with_code(ExitCode c) {
    code_ = c;
    return *this;
  }

  std::string detail;
  std::string hint;
  std::string sqlstate;
  std::string statement;  // the failing statement's text, when there is one
  std::optional<SourcePosition> position;

 private:
  ExitCode code_;
};

}  // namespace strata
