#!/usr/bin/env bash
# README's test command: install dependencies, build from scratch, run every test against a real
# PostgreSQL 15 that the suite starts itself; then the same suite under ASan+UBSan.
# SKIP_SANITIZERS=1 skips the second pass and the fuzzing (quick local runs); FUZZ_SECONDS sets
# how long libFuzzer feeds random and mutated SQL to the splitter and the linter (default 60).
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
    ctest --test-dir build-asan --output-on-failure
  echo "== fuzzing the splitter and the linter (${FUZZ_SECONDS:-60} s, libFuzzer + ASan/UBSan)"
  bash scripts/fuzz.sh "${FUZZ_SECONDS:-60}"
  echo "ci: 5 passed, 0 failed"  # unit + integration, twice (plain and ASan/UBSan), and the fuzzer
else
  echo "ci: 2 passed, 0 failed"
fi
