#!/usr/bin/env bash
# strata schema-diff benchmark (a report, not a test): on a throwaway PostgreSQL 15 cluster,
# builds B (the first 90% of N generated migrations, bench/gen_migrations.cpp) and A (all N),
# then times `strata db diff --from B --to A` against @pgkit/migra (npm) and apgdiff (Debian
# package `apgdiff`, which diffs two pg_dump files: its time includes both dumps), applies each
# tool's output to a copy of B, and prints the residual (lines of `pg_dump --schema-only` that
# still differ from A) and the time ratios.
#
# usage: bench/diff.sh [STRATA_BIN] [N]
#   STRATA_BIN   default: <repo>/build/strata        N   default 1000
#   --reps K     timing repetitions, median reported (default 3)
#   --port P     cluster port (unix socket only; default 55460)
#   --keep       keep the temp dir and leave the cluster running
# env: PGBIN (default /usr/lib/postgresql/15/bin), MIGRA (default: `npx --yes @pgkit/migra@0.6.1`,
#      install once with `npm install -g @pgkit/migra@0.6.1`), APGDIFF (default `apgdiff`).
# A missing peer tool is reported and skipped.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PORT=55460
REPS=3
KEEP=0
POS=()
die() { echo "bench: error: $*" >&2; exit 1; }
while (($#)); do
  case $1 in
    --reps) REPS=${2:?}; shift ;;
    --port) PORT=${2:?}; shift ;;
    --keep) KEEP=1 ;;
    -h|--help) sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1" ;;
    *) POS+=("$1") ;;
  esac
  shift
done
STRATA=${POS[0]:-$ROOT/build/strata}
N=${POS[1]:-1000}
[[ -x $STRATA ]] || die "strata binary '$STRATA' not found (build it first)"
STRATA=$(cd "$(dirname "$STRATA")" && pwd)/$(basename "$STRATA")
read -r -a MIGRA_CMD <<<"${MIGRA:-npx --yes @pgkit/migra@0.6.1}"
APGDIFF=${APGDIFF:-apgdiff}

now_ms() { local t=$EPOCHREALTIME; echo $(( ${t/[.,]/} / 1000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a/b; else print "n/a"}'; }

if [[ $(id -u) -eq 0 ]]; then as_pg() { runuser -u postgres -- "$@"; }; else as_pg() { "$@"; }; fi

WORK=$(mktemp -d /tmp/strata-bdiff-XXXXXX)
PGDATA=$WORK/pgdata
cleanup() {
  local rc=$?
  if ((KEEP)); then echo "bench: kept $WORK (port $PORT)" >&2; return $rc; fi
  as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
  return $rc
}
trap cleanup EXIT
chmod 755 "$WORK"
[[ $(id -u) -eq 0 ]] && chown postgres: "$WORK"

echo "bench: generating $N migrations" >&2
g++ -O2 -std=c++20 -o "$WORK/gen" "$ROOT/bench/gen_migrations.cpp"
"$WORK/gen" "$N" "$WORK/gen_out" >/dev/null
mapfile -t FILES < <(find "$WORK/gen_out/supabase/migrations" -name '*.sql' | sort)
NB=$(( N * 9 / 10 ))
cat "${FILES[@]:0:NB}" >"$WORK/b.sql"
cat "${FILES[@]}" >"$WORK/a.sql"

LOCKS=$(( N / 10 > 128 ? N / 10 : 128 ))
as_pg "$PGBIN/initdb" --no-sync -E UTF8 --locale=C -A trust -U postgres -D "$PGDATA" >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$WORK/postgres.log" -w -t 60 \
  -o "-F -k $WORK -p $PORT -c listen_addresses= -c fsync=off -c max_locks_per_transaction=$LOCKS" start >/dev/null
PGCONN=(-h "$WORK" -p "$PORT" -U postgres)
url() { echo "postgresql://postgres@/$1?host=$WORK&port=$PORT"; }
psql_q() { "$PGBIN/psql" -X -q "${PGCONN[@]}" "$@"; }
"$PGBIN/createdb" "${PGCONN[@]}" -T template0 bench_b
"$PGBIN/createdb" "${PGCONN[@]}" -T template0 bench_a
psql_q -1 -v ON_ERROR_STOP=1 -d bench_b -f "$WORK/b.sql" >/dev/null
psql_q -1 -v ON_ERROR_STOP=1 -d bench_a -f "$WORK/a.sql" >/dev/null
dump() { "$PGBIN/pg_dump" --schema-only "${PGCONN[@]}" -d "$1" | grep -v '^\\\(un\)\{0,1\}restrict'; }
dump bench_a >"$WORK/a.dump"
echo "bench: B = $NB migrations, A = $N; $(grep -c '^CREATE TABLE' "$WORK/a.dump") tables in A"

# Each tool writes the SQL that turns B into A to $WORK/<tool>.sql.
run_strata() {
  "$STRATA" db diff --from "$(url bench_b)" --to "$(url bench_a)" --format json >"$WORK/strata.json" || [[ $? -eq 4 ]]
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sql"])' "$WORK/strata.json" >"$WORK/strata.sql"
}
run_migra() {
  # Its boolean flags take an optional value: they go after the URLs.
  "${MIGRA_CMD[@]}" run "$(url bench_b)" "$(url bench_a)" --unsafe --with-privileges \
    >"$WORK/migra.sql" 2>"$WORK/migra.err" || [[ -s $WORK/migra.sql ]]
}
run_apgdiff() {
  dump bench_b >"$WORK/b.dump.t"; dump bench_a >"$WORK/a.dump.t"
  "$APGDIFF" "$WORK/b.dump.t" "$WORK/a.dump.t" >"$WORK/apgdiff.sql"
}

time_tool() {  # name -> median ms, or "n/a"
  local t0 t1 times=()
  for ((r = 0; r < REPS; r++)); do
    t0=$(now_ms)
    "run_$1" || { echo "n/a"; return; }
    t1=$(now_ms)
    times+=($((t1 - t0)))
  done
  printf '%s\n' "${times[@]}" | median
}

residual() {  # tool -> "lines errors"
  local db=copy_$1
  "$PGBIN/createdb" "${PGCONN[@]}" -T bench_b "$db"
  local errs
  errs=$(psql_q -d "$db" -f "$WORK/$1.sql" 2>&1 | grep -c 'ERROR' || true)
  local lines
  lines=$(diff <(dump bench_a) <(dump "$db") | grep -c '^[<>]' || true)
  echo "$lines $errs"
}

declare -A MS RES
have() { command -v "$1" >/dev/null 2>&1; }
TOOLS=(strata)
if [[ -n ${MIGRA:-} ]] || have npx; then TOOLS+=(migra); else echo "bench: migra not found, skipped" >&2; fi
if have "$APGDIFF"; then TOOLS+=(apgdiff); else echo "bench: apgdiff not found, skipped" >&2; fi
for t in "${TOOLS[@]}"; do
  echo "bench: timing $t ($REPS runs)" >&2
  MS[$t]=$(time_tool "$t")
  RES[$t]=$(residual "$t")
done

printf '\n%-8s %10s %16s %14s %14s\n' tool "time (ms)" "strata/tool" "residual lines" "apply errors"
for t in "${TOOLS[@]}"; do
  read -r lines errs <<<"${RES[$t]}"
  printf '%-8s %10s %16s %14s %14s\n' "$t" "${MS[$t]}" "$(ratio "${MS[strata]}" "${MS[$t]}")" "$lines" "$errs"
done
echo
echo "goals: strata residual 0; strata time <= 0.5x migra's"
