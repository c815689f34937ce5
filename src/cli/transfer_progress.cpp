// Throttled progress lines for `db copy` and `db dump` (see transfer_progress.hpp).
#include "cli/transfer_progress.hpp"

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <iostream>

namespace strata::cli {

TransferProgress::TransferProgress(bool forced, bool quiet, bool json)
    : enabled_(!quiet && !json && (forced || isatty(2))) {
  const char* term = std::getenv("TERM");
  in_place_ = enabled_ && isatty(2) && !(term && std::strcmp(term, "dumb") == 0);
}

TransferProgress::~TransferProgress() {
  if (drawn_) std::cerr << "\n" << std::flush;
}

void TransferProgress::update(const std::string& text, bool done) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  auto every = in_place_ ? std::chrono::milliseconds(100) : std::chrono::milliseconds(1000);
  if (!done && last_ != std::chrono::steady_clock::time_point{} && now - last_ < every) return;
  last_ = now;
  if (in_place_) {
    std::cerr << "\r\033[K" << text;
    drawn_ = !done;
    if (done) std::cerr << "\n";
  } else {
    std::cerr << text << "\n";
  }
  std::cerr << std::flush;
}

}  // namespace strata::cli
