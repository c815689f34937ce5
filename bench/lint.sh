#!/usr/bin/env bash
# strata lint benchmark: generates N Supabase-style migrations (bench/gen_migrations.cpp), times
# `strata lint --all` over them (best of K runs) and, when squawk is installed
# (`npm install -g squawk-cli`), squawk on the same files, the ratio, and which squawk rules
# found something that strata has no finding for (by rule mapping).
#
# usage: bench/lint.sh [STRATA_BIN] [N]     (default: <repo>/build/strata, 1000)
# env:   REPS (default 5), SEED (default 1), SQUAWK (default: squawk on PATH)
# Target: strata at most half of squawk's time. A report, not a test: it never fails on a miss.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STRATA=${1:-$ROOT/build/strata}
N=${2:-1000}
REPS=${REPS:-5}
SEED=${SEED:-1}
SQUAWK=${SQUAWK:-$(command -v squawk || true)}

die() { echo "bench: error: $*" >&2; exit 1; }
[[ -x $STRATA ]] || die "strata binary not found at $STRATA (build it, or pass its path)"
command -v g++ >/dev/null || die "g++ not found"

WORK=$(mktemp -d /tmp/strata-lint-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
g++ -O2 -std=c++20 -o "$WORK/gen_migrations" "$ROOT/bench/gen_migrations.cpp"
"$WORK/gen_migrations" "$N" "$WORK/p" --seed "$SEED" >/dev/null
# squawk's require-statement-timeout is an opt-in rule in strata: enable it for the comparison.
printf '[lint]\nenable = ["require-statement-timeout"]\n' > "$WORK/p/strata.toml"
FILES=("$WORK"/p/supabase/migrations/*.sql)

# best of REPS wall-clock seconds of a command (output discarded)
best() {
  local best_ms=999999999 start end ms
  for ((i = 0; i < REPS; i++)); do
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    ms=$(((end - start) / 1000000))
    ((ms < best_ms)) && best_ms=$ms
  done
  echo "$best_ms"
}

echo "files: ${#FILES[@]} generated migrations (seed $SEED)"
strata_ms=$(best "$STRATA" lint --all --workdir "$WORK/p" --fail-on none)
"$STRATA" lint --all --workdir "$WORK/p" --fail-on none --format json >"$WORK/strata.json" 2>/dev/null
echo "strata lint --all: ${strata_ms} ms (best of $REPS)"
python3 - "$WORK/strata.json" <<'PY'
import collections, json, sys
d = json.load(open(sys.argv[1]))
c = collections.Counter(x["rule"] for x in d["diagnostics"])
print("  strata findings:", ", ".join(f"{k} {v}" for k, v in sorted(c.items())))
PY

if [[ -z $SQUAWK ]]; then
  echo "squawk: not installed (npm install -g squawk-cli): no ratio"
  exit 0
fi
squawk_ms=$(best "$SQUAWK" "${FILES[@]}")
"$SQUAWK" --reporter json "${FILES[@]}" >"$WORK/squawk.json" 2>/dev/null || true
echo "squawk ($("$SQUAWK" --version)): ${squawk_ms} ms (best of $REPS)"
awk -v s="$strata_ms" -v q="$squawk_ms" 'BEGIN {
  r = q > 0 ? s / q : 0
  printf "ratio strata/squawk: %.2f (target <= 0.50: %s)\n", r, (r <= 0.5 ? "met" : "missed")
}'
python3 - "$WORK/squawk.json" "$WORK/strata.json" <<'PY'
import collections, json, sys
sq = json.load(open(sys.argv[1]))
st = {x["rule"] for x in json.load(open(sys.argv[2]))["diagnostics"]}
# squawk rule -> the strata rules that cover it
MAP = {
  "prefer-robust-stmts": ["prefer-if-not-exists"],
  "require-concurrent-index-creation": ["require-concurrent-index-creation"],
  "require-concurrent-index-deletion": ["require-concurrent-index-deletion"],
  "require-lock-timeout": ["require-lock-timeout"],
  "require-statement-timeout": ["require-statement-timeout"],
  "require-timeout-settings": ["require-lock-timeout", "require-statement-timeout"],
  "constraint-missing-not-valid": ["adding-check-without-not-valid", "adding-foreign-key-without-not-valid"],
  "adding-foreign-key-constraint": ["adding-foreign-key-without-not-valid"],
  "prefer-bigint-over-int": ["prefer-bigint-over-int"],
  "prefer-bigint-over-smallint": ["prefer-bigint-over-int"],
  "prefer-big-int": ["prefer-bigint-over-int"],
  "prefer-identity": ["prefer-identity-over-serial"],
  "prefer-text-field": ["prefer-text-over-varchar-n"],
  "prefer-timestamptz": ["prefer-timestamptz"],
  "ban-char-field": ["ban-char-field"],
  "adding-field-with-default": ["adding-field-with-volatile-default"],
  "adding-required-field": ["adding-not-null-field"],
  "adding-not-nullable-field": ["setting-not-null-on-existing-column"],
  "adding-primary-key-constraint": ["adding-primary-key-on-existing-table"],
  "adding-serial-primary-key-field": ["adding-primary-key-on-existing-table"],
  "disallowed-unique-constraint": ["adding-unique-constraint"],
  "changing-column-type": ["changing-column-type"],
  "renaming-column": ["renaming-column"],
  "renaming-table": ["renaming-table"],
  "ban-drop-column": ["ban-drop-column"],
  "ban-drop-table": ["ban-drop-table"],
  "ban-drop-database": ["ban-drop-database"],
  "ban-drop-not-null": ["ban-drop-not-null"],
  "ban-truncate-cascade": ["ban-truncate"],
  "transaction-nesting": ["transaction-nesting"],
  "ban-concurrent-index-creation-in-transaction": ["concurrent-index-in-transaction"],
  "ban-uncommitted-transaction": ["ban-uncommitted-transaction"],
  "ban-create-domain-with-constraint": ["ban-create-domain-with-constraint"],
  "ban-alter-domain-with-add-constraint": ["ban-alter-domain-with-add-constraint"],
}
c = collections.Counter(x.get("rule_name") for x in sq)
print("  squawk findings:", ", ".join(f"{k} {v}" for k, v in sorted(c.items())))
missing = [r for r in c if not any(m in st for m in MAP.get(r, []))]
print("  squawk rules with no strata finding:", ", ".join(missing) if missing else "none")
PY
