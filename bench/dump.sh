#!/usr/bin/env bash
# strata dump benchmark: `strata db dump --schema-only` against `pg_dump -s` on the schema of
# N generated migrations (bench/gen_migrations.cpp, built with `psql -1 -f all.sql` on a
# throwaway PostgreSQL 15 cluster). strata's dump is pg_dump plus a catalog query and a line
# filter, so the goal is a ratio of at most 1.2. See bench/README.md and docs/performance.md.
#
# usage: bench/dump.sh [--reps K] [--port P] [--seed S] [STRATA_BIN] [N]
#   STRATA_BIN   default: <repo>/build/strata
#   N            number of migrations, default 1000
#   --reps K     timed runs of each command, alternating (default 7); the median is reported
# env: PGBIN (default /usr/lib/postgresql/15/bin)
#
# It is a report, not a test: a missed goal never fails the script, a command error does.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PORT=55460
REPS=7
SEED=1
POS=()
die() { echo "bench: error: $*" >&2; exit 1; }
while (($#)); do
  case $1 in
    --reps) REPS=${2:?--reps needs a value}; shift ;;
    --port) PORT=${2:?--port needs a value}; shift ;;
    --seed) SEED=${2:?--seed needs a value}; shift ;;
    -h|--help) sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) POS+=("$1") ;;
  esac
  shift
done
STRATA=${POS[0]:-$ROOT/build/strata}
N=${POS[1]:-1000}
[[ -x $STRATA ]] || die "strata binary '$STRATA' not found (build it first or pass its path)"
STRATA=$(cd "$(dirname "$STRATA")" && pwd)/$(basename "$STRATA")
for b in initdb pg_ctl psql createdb pg_dump; do
  [[ -x $PGBIN/$b ]] || die "$PGBIN/$b not found (postgresql-15 and postgresql-client-15; set PGBIN)"
done

now_us() { local t=$EPOCHREALTIME; _NOW=$((10#${t/[.,]/})); }
measure() {  # measure LOG cmd...: sets _US
  local log=$1 t0 rc=0
  shift
  now_us; t0=$_NOW
  "$@" >"$log" 2>&1 </dev/null || rc=$?
  now_us; _US=$((_NOW - t0))
  ((rc == 0)) || { echo "bench: error: command failed (exit $rc): $*" >&2; tail -n 20 "$log" >&2; exit 1; }
}
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else printf "%d\n", (a[NR/2]+a[NR/2+1])/2}'; }
ms() { awk -v u="$1" 'BEGIN {printf "%.1f", u/1000}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a/b}'; }

if [[ $(id -u) -eq 0 ]]; then as_pg() { runuser -u postgres -- "$@"; }; else as_pg() { "$@"; }; fi
WORK=$(mktemp -d /tmp/strata-dumpbench-XXXXXX)
PG_STARTED=0
cleanup() {
  ((PG_STARTED)) && as_pg "$PGBIN/pg_ctl" -D "$WORK/pgdata" -m immediate -w stop >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT
chmod 755 "$WORK"
[[ $(id -u) -eq 0 ]] && chown postgres: "$WORK"

echo "bench: generating $N migrations (seed $SEED)" >&2
g++ -O2 -std=c++20 -o "$WORK/gen_migrations" "$ROOT/bench/gen_migrations.cpp"
"$WORK/gen_migrations" "$N" "$WORK/gen" --seed "$SEED" >/dev/null
LOCKS=$((N / 10 > 128 ? N / 10 : 128))
as_pg "$PGBIN/initdb" --no-sync -E UTF8 --locale=C -A trust -U postgres -D "$WORK/pgdata" >"$WORK/initdb.log" 2>&1 ||
  { cat "$WORK/initdb.log" >&2; die "initdb failed"; }
PG_STARTED=1
as_pg "$PGBIN/pg_ctl" -D "$WORK/pgdata" -l "$WORK/postgres.log" -w -t 60 \
  -o "-F -k $WORK -p $PORT -c listen_addresses= -c fsync=off -c max_locks_per_transaction=$LOCKS" start >/dev/null ||
  die "pg_ctl start failed"
"$PGBIN/createdb" -h "$WORK" -p "$PORT" -U postgres -T template0 bench
URL="postgresql://postgres@/bench?host=$WORK&port=$PORT"
measure "$WORK/apply.log" "$PGBIN/psql" -X -q -1 -v ON_ERROR_STOP=1 -d "$URL" -f "$WORK/gen/all.sql"
ntables=$("$PGBIN/psql" -X -At -d "$URL" -c "select count(*) from pg_tables where schemaname = 'public'")
echo "bench: N=$N migrations, $ntables tables in public, $REPS runs each (alternating)"

pg_us=() st_us=()
printf '\n%-6s %16s %22s %8s\n' "run" "pg_dump -s (ms)" "strata db dump (ms)" "ratio"
for ((r = 1; r <= REPS; r++)); do
  measure "$WORK/pg.log" "$PGBIN/pg_dump" -s -f "$WORK/pg_dump.sql" "$URL"
  pg_us+=("$_US")
  measure "$WORK/st.log" "$STRATA" db dump --schema-only -f "$WORK/strata.sql" --db-url "$URL" --workdir "$WORK/gen"
  st_us+=("$_US")
  printf '%-6s %16s %22s %8s\n' "$r" "$(ms "${pg_us[-1]}")" "$(ms "${st_us[-1]}")" "$(ratio "${st_us[-1]}" "${pg_us[-1]}")"
done
pg_med=$(median "${pg_us[@]}")
st_med=$(median "${st_us[@]}")
r=$(ratio "$st_med" "$pg_med")
printf '%-6s %16s %22s %8s\n' "median" "$(ms "$pg_med")" "$(ms "$st_med")" "$r"
printf '\noutput: pg_dump -s %s bytes, strata db dump --schema-only %s bytes\n' \
  "$(wc -c <"$WORK/pg_dump.sql")" "$(wc -c <"$WORK/strata.sql")"
verdict=$(awk -v v="$r" 'BEGIN {print (v <= 1.2) ? "met" : "MISSED"}')
echo "strata db dump --schema-only / pg_dump -s: ${r}x (goal <= 1.2x: $verdict)"
