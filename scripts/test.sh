#!/usr/bin/env bash
# README's test command: install dependencies, build from scratch, run every test against a real
# PostgreSQL 15 that the suite starts itself; then the same suite under ASan+UBSan.
# SKIP_SANITIZERS=1 skips the second pass (quick local runs).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
echo "== build (RelWithDebInfo)"
BUILD_DIR=build bash scripts/build.sh
echo "== tests"
ctest --test-dir build --output-on-failure
if [ "${SKIP_SANITIZERS:-0}" != "1" ]; then
  echo "== build (ASan+UBSan)"
  BUILD_DIR=build-asan BUILD_TYPE=Debug bash scripts/build.sh -DSTRATA_SANITIZE=ON
  echo "== tests under ASan+UBSan"
  ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    STRATA_SLOW_TESTS=0 ctest --test-dir build-asan --output-on-failure
fi
