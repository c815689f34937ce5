// Progress lines for commands people wait on (`strata up`): on a terminal, each migration's name
// while it runs with its elapsed seconds (redrawn each second by a ticker thread), replaced by
// its result line, and for a non-transactional file the statement now running; a "waiting for
// the migration lock" line after 1 s of waiting. Only on a TTY (or with --progress), never with
// --quiet or --output json; colour (a dim "Applying" line) only where Globals::color allows it
// (NO_COLOR, TERM=dumb).
#pragma once
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <ostream>
#include <streambuf>
#include <string>
#include <string_view>
#include <thread>

#include "execute/lock.hpp"
#include "migration/migration.hpp"
#include "sql/statement.hpp"

namespace strata::cli {

class Progress {
 public:
  // `forced`: --progress (also on a pipe). Start lines: stdout a TTY or forced, not quiet, not
  // JSON; replaced in place only on a terminal (TERM not dumb), else plain lines. The lock-wait
  // line: stderr a TTY or forced, not quiet.
  // `verb`: how a migration's start line begins ("Applying", "Rolling back").
  Progress(bool forced, bool quiet, bool json, std::chrono::milliseconds lock_timeout,
           std::string verb = "Applying");
  ~Progress();

  // The stream to hand run_up: stdout, clearing a pending "Applying" line before anything else.
  std::ostream& out() { return out_; }
  void migration_started(const std::string& display_path);
  // A statement of a non-transactional migration starts: `index` 0-based of `total`, at file
  // line `line`, `text` its SQL. On a terminal it replaces the pending line ("Applying <file>
  // ... statement 3/7 (line 42): CREATE INDEX CONCURRENTLY ... 2 s", seconds since the statement
  // started); elsewhere one plain line each ("  statement 3/7 (line 42): CREATE INDEX ...").
  void statement_started(const std::string& display_path, int index, int total, int line,
                         std::string_view text);
  void lock_wait(const LockHolder& holder) const;
  // Points a request's progress hooks (UpRequest, DownRequest: on_lock_wait,
  // on_migration_start, on_statement_start) at this display.
  template <class Request>
  void attach(Request& r) {
    r.on_lock_wait = [this](const LockHolder& h) { lock_wait(h); };
    r.on_migration_start = [this](const Migration& m) { migration_started(m.display_path); };
    r.on_statement_start = [this](const Migration& m, int index, int total,
                                  const sql::Statement& st) {
      statement_started(m.display_path, index, total, st.line, st.text);
    };
  }
  // Clears a pending "Applying" line (before an error is printed).
  void finish();

 private:
  class Buf : public std::streambuf {
   public:
    explicit Buf(Progress& p) : p_(p) {}

   protected:
    int overflow(int c) override;
    std::streamsize xsputn(const char* s, std::streamsize n) override;
    int sync() override;

   private:
    Progress& p_;
  };
  bool enabled_;
  bool lock_line_;
  bool in_place_;
  bool color_;
  bool pending_ = false;
  bool stop_ = false;
  std::string line_;  // the pending start line, without the elapsed time
  std::chrono::steady_clock::time_point started_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::thread ticker_;  // runs while a start line is pending on a terminal
  void finish_locked();
  void tick();
  std::chrono::milliseconds lock_timeout_;
  std::string verb_;
  Buf buf_;
  std::ostream out_;
};

// A statement's first line, from its first token, at most `width` characters ("..." when cut):
// "CREATE INDEX CONCURRENTLY items_name_idx ON items (name)".
std::string statement_head(std::string_view text, size_t width = 60);

// The lock-wait line: "waiting for the migration lock held by pid N (application, since T);
// giving up after S s (--lock-timeout)".
std::string lock_wait_line(const LockHolder& holder, std::chrono::milliseconds timeout);

}  // namespace strata::cli
