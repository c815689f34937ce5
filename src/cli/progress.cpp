// Progress (see progress.hpp): a streambuf over stdout that erases the pending start line.
#include "cli/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
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

Progress::Progress(bool forced, bool quiet, bool json, std::chrono::milliseconds lock_timeout,
                   std::string verb)
    : enabled_(!quiet && !json && (forced || isatty(1))),
      lock_line_(!quiet && (forced || isatty(2))),
      lock_timeout_(lock_timeout),
      verb_(std::move(verb)),
      buf_(*this),
      out_(&buf_) {
  const char* term = std::getenv("TERM");
  in_place_ = enabled_ && isatty(1) && !(term && std::strcmp(term, "dumb") == 0);
  color_ = in_place_ && Globals::color(1);
}

Progress::~Progress() {
  finish();
  if (ticker_.joinable()) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    ticker_.join();
  }
}

void Progress::finish() {
  std::lock_guard<std::mutex> lock(mu_);
  finish_locked();
}

void Progress::finish_locked() {
  if (!pending_) return;
  pending_ = false;
  std::cout << "\r\x1b[K" << std::flush;
}

// Redraws the pending start line with its elapsed seconds, once a second.
void Progress::tick() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    cv_.wait_for(lock, std::chrono::seconds(1));
    if (stop_ || !pending_) continue;
    auto s = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() -
                                                              started_)
                 .count();
    if (s < 1) continue;
    std::cout << "\r\x1b[K" << (color_ ? "\x1b[2m" : "") << line_ << " " << s << " s"
              << (color_ ? "\x1b[0m" : "") << std::flush;
  }
}

void Progress::migration_started(const std::string& display_path) {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(mu_);
  finish_locked();
  if (in_place_) {
    line_ = verb_ + " " + display_path + " ...";
    started_ = std::chrono::steady_clock::now();
    std::cout << (color_ ? "\x1b[2m" : "") << line_ << (color_ ? "\x1b[0m" : "") << std::flush;
    pending_ = true;
    if (!ticker_.joinable()) ticker_ = std::thread([this] { tick(); });
  } else {
    std::cout << verb_ << " " << display_path << " ...\n" << std::flush;
  }
}

std::string statement_head(std::string_view text, size_t width) {
  // Skip blanks and comments before the first token (the statement's text starts after the
  // previous statement's semicolon).
  size_t i = 0;
  while (i < text.size()) {
    if (std::isspace(static_cast<unsigned char>(text[i]))) {
      ++i;
    } else if (text.compare(i, 2, "--") == 0) {
      size_t eol = text.find('\n', i);
      i = eol == std::string_view::npos ? text.size() : eol + 1;
    } else if (text.compare(i, 2, "/*") == 0) {
      size_t end = text.find("*/", i + 2);
      i = end == std::string_view::npos ? text.size() : end + 2;
    } else {
      break;
    }
  }
  std::string_view head = text.substr(std::min(i, text.size()));
  head = head.substr(0, head.find('\n'));
  while (!head.empty() && std::isspace(static_cast<unsigned char>(head.back())))
    head.remove_suffix(1);
  if (!head.empty() && head.back() == ';') head.remove_suffix(1);
  if (head.size() <= width) return std::string(head);
  // Cut at a character boundary (never inside a UTF-8 sequence).
  size_t cut = width - 3;
  while (cut > 0 && (static_cast<unsigned char>(head[cut]) & 0xC0) == 0x80) --cut;
  return std::string(head.substr(0, cut)) + "...";
}

void Progress::statement_started(const std::string& display_path, int index, int total, int line,
                                 std::string_view text) {
  if (!enabled_) return;
  std::string what =
      fmt::format("statement {}/{} (line {}): {}", index + 1, total, line, statement_head(text));
  std::lock_guard<std::mutex> lock(mu_);
  if (in_place_) {
    finish_locked();
    line_ = fmt::format("{} {} ... {}", verb_, display_path, what);
    started_ = std::chrono::steady_clock::now();
    std::cout << (color_ ? "\x1b[2m" : "") << line_ << (color_ ? "\x1b[0m" : "") << std::flush;
    pending_ = true;
    if (!ticker_.joinable()) ticker_ = std::thread([this] { tick(); });
  } else {
    std::cout << "  " << what << "\n" << std::flush;
  }
}

void Progress::lock_wait(const LockHolder& holder) const {
  if (!lock_line_) return;
  std::cerr << lock_wait_line(holder, lock_timeout_) << "\n" << std::flush;
}

int Progress::Buf::overflow(int c) {
  if (c == traits_type::eof()) return traits_type::not_eof(c);
  std::lock_guard<std::mutex> lock(p_.mu_);
  p_.finish_locked();
  std::cout.put(static_cast<char>(c));
  return c;
}

std::streamsize Progress::Buf::xsputn(const char* s, std::streamsize n) {
  std::lock_guard<std::mutex> lock(p_.mu_);
  if (n > 0) p_.finish_locked();
  std::cout.write(s, n);
  return n;
}

int Progress::Buf::sync() {
  std::lock_guard<std::mutex> lock(p_.mu_);
  std::cout.flush();
  return 0;
}

}  // namespace strata::cli
