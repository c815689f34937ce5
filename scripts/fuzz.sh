#!/usr/bin/env bash
# Fuzzes the SQL splitter and the linter with libFuzzer under ASan/UBSan for a bounded time.
# usage: scripts/fuzz.sh [SECONDS]   (default 60)
# Builds build-fuzz/ with clang-14 (apt-get install clang-14 libclang-rt-14-dev), seeds the
# corpus with the lint fixtures, and exits non-zero if the fuzzer finds a crash, a leak or UB
# (the reproducer is left in build-fuzz/crash-*).
set -Eeuo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SECONDS_TO_RUN=${1:-60}
BUILD=${BUILD:-$ROOT/build-fuzz}
CC=${CC:-clang-14}
CXX=${CXX:-clang++-14}
command -v "$CXX" >/dev/null || { echo "fuzz: $CXX not found (apt-get install clang-14 libclang-rt-14-dev)" >&2; exit 1; }

if [[ ! -f $BUILD/build.ninja ]]; then
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTRATA_FUZZ=ON \
    -DSTRATA_TESTS=OFF -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" >/dev/null
fi
# Shared machine: builds take the lock when there is one.
if command -v flock >/dev/null; then
  flock /tmp/strata-build.lock cmake --build "$BUILD" --target fuzz_lint -j2
else
  cmake --build "$BUILD" --target fuzz_lint -j2
fi

CORPUS=$BUILD/fuzz-corpus
mkdir -p "$CORPUS"
for f in "$ROOT"/tests/fixtures/lint/*/*.sql; do
  cp "$f" "$CORPUS/$(basename "$(dirname "$f")")-$(basename "$f")"
done
cd "$BUILD"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ./fuzz_lint -max_total_time="$SECONDS_TO_RUN" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 "$CORPUS"
