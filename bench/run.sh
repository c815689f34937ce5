#!/usr/bin/env bash
# strata benchmark: applies N generated migrations with strata and with a
# `psql -1 -f all.sql` baseline on a throwaway PostgreSQL 15 cluster, then
# times a no-op `strata up` and `strata status --json`. See bench/README.md.
#
# usage: bench/run.sh [options] [STRATA_BIN] [N]
#   STRATA_BIN        default: <repo>/build/strata
#   N                 number of migrations, default 1000
#   --baseline-only   only measure psql (no strata binary needed)
#   --reps K          repetitions of the full apply (default 3)
#   --quick-reps K    repetitions of the no-op / status / select 1 timings (default 5)
#   --seed S          generator seed (default 1)
#   --port P          cluster port (unix socket only; default 55450)
#   --keep            keep the temp dir and leave the cluster running (prints how to stop it)
#   --fleet           also: fleet apply of 100 of the generated migrations to 20 databases,
#                     `strata up --targets` with --jobs 1 and --jobs 4, and the speed-up
# env: PGBIN (default /usr/lib/postgresql/15/bin), STRATA_UP_FLAGS (extra args for `strata up`)
#
# It is a report, not a test: missed targets never fail the script, but any
# command error does (non-zero exit).
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PORT=${PORT:-55450}
REPS=3
QREPS=5
SEED=1
BASELINE_ONLY=0
KEEP=0
FLEET=0
POS=()

die() { echo "bench: error: $*" >&2; exit 1; }

while (($#)); do
  case $1 in
    --baseline-only) BASELINE_ONLY=1 ;;
    --fleet) FLEET=1 ;;
    --keep) KEEP=1 ;;
    --reps) REPS=${2:?--reps needs a value}; shift ;;
    --quick-reps) QREPS=${2:?--quick-reps needs a value}; shift ;;
    --seed) SEED=${2:?--seed needs a value}; shift ;;
    --port) PORT=${2:?--port needs a value}; shift ;;
    -h|--help) sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --) shift; POS+=("$@"); break ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) POS+=("$1") ;;
  esac
  shift
done
((${#POS[@]} <= 2)) || die "too many arguments (see --help)"
if ((${#POS[@]} == 1)) && [[ ${POS[0]} =~ ^[0-9]+$ && ! -e ${POS[0]} ]]; then
  POS=("$ROOT/build/strata" "${POS[0]}")   # `run.sh --baseline-only 500`: a lone number is N
fi
STRATA=${POS[0]:-$ROOT/build/strata}
N=${POS[1]:-1000}
[[ $N =~ ^[1-9][0-9]*$ ]] || die "N must be a positive integer, got '$N'"
[[ $REPS =~ ^[1-9][0-9]*$ && $QREPS =~ ^[1-9][0-9]*$ ]] || die "--reps/--quick-reps must be positive integers"

if ((!BASELINE_ONLY)); then
  [[ -x $STRATA && ! -d $STRATA ]] || die "strata binary '$STRATA' not found or not executable (build it first, pass its path, or use --baseline-only)"
  STRATA=$(cd "$(dirname "$STRATA")" && pwd)/$(basename "$STRATA")
fi
for b in initdb pg_ctl psql createdb pg_dump; do
  [[ -x $PGBIN/$b ]] || die "$PGBIN/$b not found (PostgreSQL 15 server package; set PGBIN)"
done
command -v g++ >/dev/null || die "g++ not found"

# ---------------------------------------------------------------- helpers
# Clock: $EPOCHREALTIME (bash >= 5, no fork) when available, else date +%s%N.
# Sets _NOW to microseconds.
if [[ -n ${EPOCHREALTIME:-} ]]; then
  now_us() { local t=$EPOCHREALTIME; _NOW=$((10#${t/[.,]/})); }
  CLOCK='$EPOCHREALTIME'
else
  now_us() { local t; t=$(date +%s%N); _NOW=$((t / 1000)); }
  CLOCK='date +%s%N'
fi

# measure LOG cmd...: run cmd with stdout+stderr to LOG and stdin from /dev/null;
# sets _US (elapsed microseconds). On failure prints the log tail and exits.
measure() {
  local log=$1 t0 t1 rc=0
  shift
  now_us; t0=$_NOW
  "$@" >"$log" 2>&1 </dev/null || rc=$?
  now_us; t1=$_NOW
  _US=$((t1 - t0))
  if ((rc)); then
    echo "bench: error: command failed (exit $rc): $*" >&2
    echo "---- last lines of $log ----" >&2
    tail -n 40 "$log" >&2 || true
    exit 1
  fi
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else printf "%d\n", (a[NR/2]+a[NR/2+1])/2}'; }
ms() { awk -v u="$1" 'BEGIN {printf "%.1f", u/1000}'; }         # us -> "12.3"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a/b; else print "n/a"}'; }
verdict() { awk -v v="$1" -v op="$2" -v lim="$3" 'BEGIN {ok = (op == "<=") ? (v <= lim) : (v < lim); print (ok ? "ok" : "MISSED")}'; }

if [[ $(id -u) -eq 0 ]]; then
  id postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' user to run the server as"
  if command -v runuser >/dev/null; then
    as_pg() { runuser -u postgres -- "$@"; }
  else
    as_pg() { su postgres -s /bin/sh -c "$(printf '%q ' "$@")"; }
  fi
else
  as_pg() { "$@"; }
fi

# ---------------------------------------------------------------- setup
WORK=$(mktemp -d /tmp/strata-bench-XXXXXX)   # also the socket dir: keep the path short
SOCKDIR=$WORK
PGDATA=$WORK/pgdata
GENDIR=$WORK/gen
LOGDIR=$WORK/logs
PG_STARTED=0

cleanup() {
  local rc=$?
  if ((KEEP)); then
    local pre=""
    [[ $(id -u) -eq 0 ]] && pre="runuser -u postgres -- "
    echo "bench: kept $WORK (socket dir; port $PORT); stop with: ${pre}$PGBIN/pg_ctl -D $PGDATA -m immediate stop; rm -rf $WORK" >&2
    return $rc
  fi
  if ((PG_STARTED)); then
    as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
  return $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

chmod 755 "$WORK"
mkdir -p "$LOGDIR" "$GENDIR"
if [[ $(id -u) -eq 0 ]]; then chown postgres: "$WORK"; fi

echo "bench: compiling gen_migrations" >&2
g++ -O2 -std=c++20 -o "$WORK/gen_migrations" "$ROOT/bench/gen_migrations.cpp"
echo "bench: generating $N migrations (seed $SEED)" >&2
"$WORK/gen_migrations" "$N" "$GENDIR" --seed "$SEED"
nfiles=$(find "$GENDIR/supabase/migrations" -name '*.sql' | wc -l)
[[ $nfiles -eq $N ]] || die "generator wrote $nfiles files, expected $N"
sqlbytes=$(wc -c <"$GENDIR/all.sql")

# psql -1 of N migrations holds locks on every object it creates; the default
# (64) overflows the shared lock table around N=3000. Does not affect timings.
LOCKS=$(( N / 10 > 128 ? N / 10 : 128 ))
echo "bench: starting PostgreSQL cluster in $WORK (port $PORT)" >&2
as_pg "$PGBIN/initdb" --no-sync -E UTF8 --locale=C -A trust -U postgres -D "$PGDATA" >"$LOGDIR/initdb.log" 2>&1 \
  || { cat "$LOGDIR/initdb.log" >&2; die "initdb failed"; }
PG_STARTED=1
as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$WORK/postgres.log" -w -t 60 \
  -o "-F -k $SOCKDIR -p $PORT -c listen_addresses= -c fsync=off -c max_locks_per_transaction=$LOCKS" start >"$LOGDIR/pg_ctl.log" 2>&1 \
  || { cat "$LOGDIR/pg_ctl.log" "$WORK/postgres.log" >&2 2>/dev/null; die "pg_ctl start failed"; }

PGCONN=(-h "$SOCKDIR" -p "$PORT" -U postgres)
db_url() { echo "postgresql://postgres@/$1?host=$SOCKDIR&port=$PORT"; }
newdb() { "$PGBIN/createdb" "${PGCONN[@]}" -T template0 "$1"; }
server_version=$("$PGBIN/psql" -X -A -t "${PGCONN[@]}" -d postgres -c 'show server_version')
read -r -a UPFLAGS <<<"${STRATA_UP_FLAGS:-}"

echo "bench: N=$N migrations ($sqlbytes bytes of SQL), seed $SEED, PostgreSQL $server_version, clock $CLOCK"

# ---------------------------------------------------------------- full apply
psql_us=() strata_us=()
printf '\n%-8s %14s %16s %16s\n' "rep" "psql -1 (ms)" "strata up (ms)" "strata/psql"
for ((r = 1; r <= REPS; r++)); do
  newdb "bench_psql_$r"
  measure "$LOGDIR/psql_$r.log" "$PGBIN/psql" -X -q -1 -v ON_ERROR_STOP=1 "${PGCONN[@]}" -d "bench_psql_$r" -f "$GENDIR/all.sql"
  psql_us+=("$_US")
  if ((BASELINE_ONLY)); then
    printf '%-8s %14s %16s %16s\n' "$r" "$(ms "${psql_us[-1]}")" "-" "-"
    continue
  fi
  newdb "bench_strata_$r"
  measure "$LOGDIR/strata_up_$r.log" "$STRATA" up --db-url "$(db_url "bench_strata_$r")" --workdir "$GENDIR" "${UPFLAGS[@]}"
  strata_us+=("$_US")
  printf '%-8s %14s %16s %16s\n' "$r" "$(ms "${psql_us[-1]}")" "$(ms "${strata_us[-1]}")" "$(ratio "${strata_us[-1]}" "${psql_us[-1]}")"
done
psql_med=$(median "${psql_us[@]}")
if ((BASELINE_ONLY)); then
  printf '%-8s %14s %16s %16s\n' "median" "$(ms "$psql_med")" "-" "-"
else
  strata_med=$(median "${strata_us[@]}")
  up_ratio=$(ratio "$strata_med" "$psql_med")
  printf '%-8s %14s %16s %16s\n' "median" "$(ms "$psql_med")" "$(ms "$strata_med")" "$up_ratio"
fi

# sanity: the psql baseline really applied everything
ntables=$("$PGBIN/psql" -X -A -t "${PGCONN[@]}" -d bench_psql_1 -c "select count(*) from pg_tables where schemaname = 'public'")

# ---------------------------------------------------------------- quick commands
sel_us=() noop_us=() status_us=()
LASTDB=bench_psql_$REPS
((BASELINE_ONLY)) || LASTDB=bench_strata_$REPS
measure "$LOGDIR/select1.log" "$PGBIN/psql" -X -q "${PGCONN[@]}" -d "$LASTDB" -c 'select 1'   # warm-up
for ((r = 1; r <= QREPS; r++)); do
  measure "$LOGDIR/select1.log" "$PGBIN/psql" -X -q "${PGCONN[@]}" -d "$LASTDB" -c 'select 1'
  sel_us+=("$_US")
done
sel_med=$(median "${sel_us[@]}")

if ((!BASELINE_ONLY)); then
  URL=$(db_url "$LASTDB")
  measure "$LOGDIR/noop_up.log" "$STRATA" up --db-url "$URL" --workdir "$GENDIR" "${UPFLAGS[@]}"   # warm-up
  for ((r = 1; r <= QREPS; r++)); do
    measure "$LOGDIR/noop_up.log" "$STRATA" up --db-url "$URL" --workdir "$GENDIR" "${UPFLAGS[@]}"
    noop_us+=("$_US")
  done
  for ((r = 1; r <= QREPS; r++)); do
    measure "$LOGDIR/status.log" "$STRATA" status --db-url "$URL" --workdir "$GENDIR" --json
    status_us+=("$_US")
  done
  noop_med=$(median "${noop_us[@]}")
  status_med=$(median "${status_us[@]}")

  # Peak RSS of a full `strata up` (separate, untimed run into a fresh database).
  rss="n/a (/usr/bin/time not installed; Debian package 'time')"
  if [[ -x /usr/bin/time ]]; then
    newdb bench_strata_rss
    measure "$LOGDIR/strata_up_rss.log" /usr/bin/time -f '%M' -o "$WORK/rss.txt" \
      "$STRATA" up --db-url "$(db_url bench_strata_rss)" --workdir "$GENDIR" "${UPFLAGS[@]}"
    rss="$(tail -n 1 "$WORK/rss.txt") KiB"
  fi

  # Cross-check: strata produced the same public schema as psql.
  # (pg_dump >= 15.14 emits random \restrict keys; drop them)
  dump_schema() { "$PGBIN/pg_dump" "${PGCONN[@]}" -s -n public -d "$1" | { grep -Ev '^\\(un)?restrict ' || true; }; }
  dump_schema bench_psql_1 >"$WORK/schema_psql.sql"
  dump_schema bench_strata_1 >"$WORK/schema_strata.sql"
  if cmp -s "$WORK/schema_psql.sql" "$WORK/schema_strata.sql"; then
    schema_same=yes
  else
    ndiff=$({ diff "$WORK/schema_psql.sql" "$WORK/schema_strata.sql" || true; } | grep -c '^[<>]' || true)
    schema_same="NO ($ndiff diff lines; pg_dump -s -n public of bench_psql_1 vs bench_strata_1; --keep to inspect $WORK/schema_*.sql)"
  fi
fi

printf '\n%-28s %10s %16s\n' "quick commands (median of $QREPS)" "ms" "x psql select 1"
printf '%-28s %10s %16s\n' "psql -X -c 'select 1'" "$(ms "$sel_med")" "1.00"
if ((!BASELINE_ONLY)); then
  printf '%-28s %10s %16s\n' "strata up (no-op)" "$(ms "$noop_med")" "$(ratio "$noop_med" "$sel_med")"
  printf '%-28s %10s %16s\n' "strata status --json" "$(ms "$status_med")" "$(ratio "$status_med" "$sel_med")"
  echo
  echo "strata up peak RSS:                     $rss"
  echo "public schema identical to psql run:    $schema_same"
fi
echo "tables in public after apply:           $ntables"

# ---------------------------------------------------------------- fleet (--fleet)
if ((FLEET && !BASELINE_ONLY)); then
  FLEETN=100
  FLEETDIR="$WORK/fleet"
  mkdir -p "$FLEETDIR/supabase/migrations"
  ls "$GENDIR/supabase/migrations" | sort | head -n "$FLEETN" | while read -r f; do
    cp "$GENDIR/supabase/migrations/$f" "$FLEETDIR/supabase/migrations/"
  done
  fleet_us=()
  for jobs in 1 4; do
    targets="$WORK/targets_$jobs.toml"
    echo "[targets]" >"$targets"
    for ((i = 1; i <= 20; i++)); do
      newdb "fleet_${jobs}_$i"
      echo "db$i = \"$(db_url "fleet_${jobs}_$i")\"" >>"$targets"
    done
    measure "$LOGDIR/fleet_$jobs.log" "$STRATA" up --workdir "$FLEETDIR" --targets "$targets" --jobs "$jobs"
    fleet_us+=("$_US")
  done
  echo
  printf '%-40s %10s\n' "fleet: $FLEETN migrations x 20 databases" "ms"
  printf '%-40s %10s\n' "strata up --targets --jobs 1" "$(ms "${fleet_us[0]}")"
  printf '%-40s %10s\n' "strata up --targets --jobs 4" "$(ms "${fleet_us[1]}")"
  echo "fleet speed-up jobs 4 vs jobs 1: $(ratio "${fleet_us[0]}" "${fleet_us[1]}")x (2 cores; the server does most of the work)"
fi

echo
if ((BASELINE_ONLY)); then
  echo "baseline psql -1 apply of $N migrations: $(ms "$psql_med") ms (median of $REPS); strata targets not measured (--baseline-only)"
else
  noop_ms=$(ms "$noop_med") status_ms=$(ms "$status_med")
  echo "target strata_up/psql ratio: $up_ratio (<= 1.0: $(verdict "$up_ratio" '<=' 1.0))"
  echo "target strata up no-op ms: $noop_ms (< 15: $(verdict "$noop_ms" '<' 15))"
  echo "target strata status --json ms: $status_ms (< 15: $(verdict "$status_ms" '<' 15))"
fi
