#!/usr/bin/env bash
# README's test command: install dependencies, build from scratch, run every test against a real
# PostgreSQL 15 that the suite starts itself (ctest: one entry per test case, one cluster per
# run); then libFuzzer on the splitter and the linter, then the same suite under ASan+UBSan.
# The last lines are ctest's own summary of the sanitizer run.
#   --quick               the plain build and its tests only (the edit-test loop)
#   SKIP_SANITIZERS=1     same as --quick
#   FUZZ_SECONDS=N        how long libFuzzer runs (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."
quick=${SKIP_SANITIZERS:-0}
for arg in "$@"; do
  case "$arg" in
    --quick) quick=1 ;;
    *) echo "usage: scripts/test.sh [--quick]" >&2; exit 2 ;;
  esac
done
bash scripts/deps.sh
echo "== build (RelWithDebInfo)"
BUILD_DIR=build bash scripts/build.sh
echo "== tests"
if [ "$quick" = "1" ]; then
  exec ctest --test-dir build --output-on-failure
fi
ctest --test-dir build --output-on-failure
echo "== fuzzing the splitter and the linter (${FUZZ_SECONDS:-60} s, libFuzzer + ASan/UBSan)"
bash scripts/fuzz.sh "${FUZZ_SECONDS:-60}"
echo "== build (ASan+UBSan)"
BUILD_DIR=build-asan BUILD_TYPE=Debug bash scripts/build.sh -DSTRATA_SANITIZE=ON
echo "== tests under ASan+UBSan"
ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  exec ctest --test-dir build-asan --output-on-failure
