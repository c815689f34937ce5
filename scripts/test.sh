#!/usr/bin/env bash
# README's test command: install dependencies, build from scratch, run every test against a real
# PostgreSQL 15 that the suite starts itself (ctest: one entry per test case, two clusters per
# run, two tests at a time); then libFuzzer on the splitter and the linter and the same suite
# under ASan+UBSan, from one clang build.
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
# Tests run two at a time, each alone on one of the build's PostgreSQL clusters (CMakeLists.txt).
jobs=$(nproc)
[ "$jobs" -ge 2 ] || jobs=2
run_ctest() {
  ctest --test-dir "$1" --output-on-failure -j"$jobs" --resource-spec-file "$PWD/$1/test-resources.json"
}
echo "== build (RelWithDebInfo)"
BUILD_DIR=build bash scripts/build.sh
echo "== tests"
if [ "$quick" = "1" ]; then
  run_ctest build
  exit
fi
run_ctest build
# One clang build serves both: libFuzzer (coverage on src/sql and src/lint only) and the suite
# under ASan+UBSan.
echo "== build (ASan+UBSan, clang 14, with the fuzz target)"
CC=clang-14 CXX=clang++-14 BUILD_DIR=build-asan BUILD_TYPE=Debug bash scripts/build.sh \
  -DSTRATA_SANITIZE=ON -DSTRATA_FUZZ=ON -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14
echo "== fuzzing the splitter and the linter (${FUZZ_SECONDS:-60} s, libFuzzer + ASan/UBSan)"
BUILD=$PWD/build-asan bash scripts/fuzz.sh "${FUZZ_SECONDS:-60}"
echo "== tests under ASan+UBSan"
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
run_ctest build-asan
