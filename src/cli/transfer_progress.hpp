// A progress line on stderr for transfers people wait on (`db copy`: rows per table, `db dump`:
// bytes): on a terminal one line redrawn in place at most every 100 ms; on a pipe with --progress
// a plain line at most once a second, plus one final line per item. Off with --quiet or
// --output json, and on a pipe without --progress.
#pragma once
#include <chrono>
#include <string>

namespace strata::cli {

class TransferProgress {
 public:
  // `forced`: --progress. Enabled when not quiet, not JSON, and stderr is a terminal or forced.
  TransferProgress(bool forced, bool quiet, bool json);
  ~TransferProgress();
  bool enabled() const { return enabled_; }
  // The item's state now, e.g. "copying app.users: 1200 of 5000 rows (96.0 KiB)"; `done`: its
  // last line (always printed, then the next item starts on a new line).
  void update(const std::string& text, bool done);

 private:
  bool enabled_;
  bool in_place_;  // a terminal (TERM not dumb): redraw one line
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace strata::cli
