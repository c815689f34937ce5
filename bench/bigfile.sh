#!/usr/bin/env bash
# strata benchmark for big inputs (a report, not a test):
#  1. one big data migration (default 50 MB, ~673k INSERT statements) through `strata up`
#     next to `psql -X -1 -f` of the same file: time ratio (goal <= 1.2x) and peak RSS against
#     the file size (goal <= 2x), both from /usr/bin/time -v;
#  2. many small migrations (default 10,000): `strata up` next to `psql -X -1 -f all.sql`, then
#     `strata status` on the applied set.
# It runs its own throwaway PostgreSQL 15 cluster (unix socket only, fsync off). See
# bench/README.md.
#
# usage: bench/bigfile.sh [--mb N] [--small N] [--port P] [--keep] [STRATA_BIN]
# env: PGBIN (default /usr/lib/postgresql/15/bin)
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PORT=55460
MB=50
SMALL=10000
KEEP=0
STRATA=$ROOT/build/strata
die() { echo "bigfile: error: $*" >&2; exit 1; }
while (($#)); do
  case $1 in
    --mb) MB=${2:?}; shift ;;
    --small) SMALL=${2:?}; shift ;;
    --port) PORT=${2:?}; shift ;;
    --keep) KEEP=1 ;;
    -h|--help) sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1" ;;
    *) STRATA=$1 ;;
  esac
  shift
done
[[ -x $STRATA ]] || die "strata binary '$STRATA' not found (build it first)"
[[ -x /usr/bin/time ]] || die "/usr/bin/time not found (Debian package 'time')"
STRATA=$(cd "$(dirname "$STRATA")" && pwd)/$(basename "$STRATA")

if [[ $(id -u) -eq 0 ]]; then as_pg() { runuser -u postgres -- "$@"; }; else as_pg() { "$@"; }; fi
WORK=$(mktemp -d /tmp/strata-big-XXXXXX)
PGDATA=$WORK/pgdata
PG_STARTED=0
cleanup() {
  local rc=$?
  if ((KEEP)); then echo "bigfile: kept $WORK (port $PORT)" >&2; return $rc; fi
  ((PG_STARTED)) && as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
  return $rc
}
trap cleanup EXIT
chmod 755 "$WORK"
[[ $(id -u) -eq 0 ]] && chown postgres: "$WORK"

as_pg "$PGBIN/initdb" --no-sync -E UTF8 --locale=C -A trust -U postgres -D "$PGDATA" >"$WORK/initdb.log" 2>&1 ||
  { cat "$WORK/initdb.log" >&2; die "initdb failed"; }
PG_STARTED=1
as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$WORK/postgres.log" -w -t 60 \
  -o "-F -k $WORK -p $PORT -c listen_addresses= -c fsync=off -c max_locks_per_transaction=1024" start >/dev/null ||
  die "pg_ctl start failed"
PGCONN=(-h "$WORK" -p "$PORT" -U postgres)
url() { echo "postgresql://postgres@/$1?host=$WORK&port=$PORT"; }
newdb() { "$PGBIN/createdb" "${PGCONN[@]}" -T template0 "$1"; }

# /usr/bin/time -v into FILE; sets _S (elapsed seconds) and _KB (max RSS).
timed() {
  local out=$1 log=$2
  shift 2
  /usr/bin/time -v -o "$out" "$@" >"$log" 2>&1 </dev/null || { tail -20 "$log" >&2; die "failed: $*"; }
  _S=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, a, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + a[i]; print s}' "$out")
  _KB=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$out")
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "n/a"}'; }

# ---------------------------------------------------------------- 1. one big file
BIG=$WORK/big
mkdir -p "$BIG/migrations"
echo 'create table big (id bigint primary key, payload text not null);' >"$BIG/migrations/001_table.sql"
awk -v limit=$((MB * 1024 * 1024)) 'BEGIN {
  n = 0; i = 0
  while (n < limit) {
    s = sprintf("insert into big values (%d, '\''payload-%012d-xxxxxxxxxxxxxxxxxxxx'\'');", i, i)
    print s; n += length(s) + 1; i++
  }
}' >"$BIG/migrations/002_data.sql"
bytes=$(wc -c <"$BIG/migrations/002_data.sql")
stmts=$(wc -l <"$BIG/migrations/002_data.sql")
echo "bigfile: $bytes bytes, $stmts statements, PostgreSQL $("$PGBIN/psql" -X -A -t "${PGCONN[@]}" -d postgres -c 'show server_version')"

newdb big_psql
"$PGBIN/psql" -X -q "${PGCONN[@]}" -d big_psql -f "$BIG/migrations/001_table.sql"
timed "$WORK/psql.time" "$WORK/psql.log" "$PGBIN/psql" -X -q -1 -v ON_ERROR_STOP=1 "${PGCONN[@]}" -d big_psql -f "$BIG/migrations/002_data.sql"
psql_s=$_S psql_kb=$_KB

newdb big_strata
"$STRATA" up --db-url "$(url big_strata)" --workdir "$BIG" --to 001 >/dev/null
timed "$WORK/strata.time" "$WORK/strata.log" "$STRATA" up --db-url "$(url big_strata)" --workdir "$BIG"
strata_s=$_S strata_kb=$_KB
rows=$("$PGBIN/psql" -X -A -t "${PGCONN[@]}" -d big_strata -c 'select count(*) from big')
[[ $rows == "$stmts" ]] || die "strata loaded $rows rows, expected $stmts"

newdb big_dry
timed "$WORK/dry.time" "$WORK/dry.log" "$STRATA" up --dry-run --db-url "$(url big_dry)" --workdir "$BIG"
dry_s=$_S dry_kb=$_KB

printf '\n%-34s %10s %14s\n' "one ${MB} MB file" "seconds" "peak RSS (MB)"
printf '%-34s %10s %14s\n' "psql -X -1 -f" "$psql_s" "$((psql_kb / 1024))"
printf '%-34s %10s %14s\n' "strata up" "$strata_s" "$((strata_kb / 1024))"
printf '%-34s %10s %14s\n' "strata up --dry-run (split only)" "$dry_s" "$((dry_kb / 1024))"
echo "time strata/psql:          $(ratio "$strata_s" "$psql_s")   (goal <= 1.2)"
echo "peak RSS / file size:      $(ratio "$((strata_kb * 1024))" "$bytes")   (goal <= 2)"

# ---------------------------------------------------------------- 2. many small files
if ((SMALL > 0)); then
  g++ -O2 -std=c++20 -o "$WORK/gen_migrations" "$ROOT/bench/gen_migrations.cpp"
  "$WORK/gen_migrations" "$SMALL" "$WORK/small" --seed 1 >/dev/null
  newdb small_psql
  timed "$WORK/spsql.time" "$WORK/spsql.log" "$PGBIN/psql" -X -q -1 -v ON_ERROR_STOP=1 "${PGCONN[@]}" -d small_psql -f "$WORK/small/all.sql"
  spsql_s=$_S
  newdb small_strata
  timed "$WORK/sup.time" "$WORK/sup.log" "$STRATA" up --db-url "$(url small_strata)" --workdir "$WORK/small"
  sup_s=$_S sup_kb=$_KB
  timed "$WORK/sst.time" "$WORK/sst.log" "$STRATA" status --db-url "$(url small_strata)" --workdir "$WORK/small"
  sst_s=$_S
  timed "$WORK/snoop.time" "$WORK/snoop.log" "$STRATA" up --db-url "$(url small_strata)" --workdir "$WORK/small"
  snoop_s=$_S
  printf '\n%-34s %10s\n' "$SMALL small migrations" "seconds"
  printf '%-34s %10s\n' "psql -X -1 -f all.sql" "$spsql_s"
  printf '%-34s %10s   (%s x psql, peak RSS %s MB)\n' "strata up" "$sup_s" "$(ratio "$sup_s" "$spsql_s")" "$((sup_kb / 1024))"
  printf '%-34s %10s\n' "strata status" "$sst_s"
  printf '%-34s %10s\n' "strata up (nothing to do)" "$snoop_s"
fi
