// Progress (see progress.hpp): a streambuf over stdout that erases the pending start line.
#include "cli/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <iostream>

#include "cli/command.hpp"

namespace strata::cli {

std::string lock_wait_line(const LockHolder& h, std::chrono::milliseconds timeout) {
  return fmt::format(
      "waiting for the migration lock held by pid {} ({}, since {}); giving up after {} s "
      "(--lock-timeout)",
      h.pid, h.application.empty() ? "no application_name" : h.application, h.since,
      timeout.count() / 1000);
}

Progress::Progress(bool forced, bool quiet, bool json, std::chrono::milliseconds lock_timeout)
    : enabled_(!quiet && !json && (forced || isatty(1))),
      lock_line_(!quiet && (forced || isatty(2))),
      lock_timeout_(lock_timeout),
      buf_(*this),
      out_(&buf_) {
  const char* term = std::getenv("TERM");
  in_place_ = enabled_ && isatty(1) && !(term && std::strcmp(term, "dumb") == 0);
  color_ = in_place_ && Globals::color(1);
}

Progress::~Progress() {
  finish();
}

void Progress::finish() {
  if (!pending_) return;
  pending_ = false;
  std::cout << "\r\x1b[K" << std::flush;
}

void Progress::migration_started(const std::string& display_path) {
  if (!enabled_) return;
  finish();
  if (in_place_) {
    std::cout << (color_ ? "\x1b[2m" : "") << "Applying " << display_path << " ..."
              << (color_ ? "\x1b[0m" : "") << std::flush;
    pending_ = true;
  } else {
    std::cout << "Applying " << display_path << " ...\n" << std::flush;
  }
}

void Progress::lock_wait(const LockHolder& holder) const {
  if (!lock_line_) return;
  std::cerr << lock_wait_line(holder, lock_timeout_) << "\n" << std::flush;
}

int Progress::Buf::overflow(int c) {
  if (c == traits_type::eof()) return traits_type::not_eof(c);
  p_.finish();
  std::cout.put(static_cast<char>(c));
  return c;
}

std::streamsize Progress::Buf::xsputn(const char* s, std::streamsize n) {
  if (n > 0) p_.finish();
  std::cout.write(s, n);
  return n;
}

int Progress::Buf::sync() {
  std::cout.flush();
  return 0;
}

}  // namespace strata::cli
