#!/usr/bin/env bash
# Peer benchmark (issue 13): in one run, on the same N generated migrations and the same throwaway
# PostgreSQL 15 cluster, prints the ratio strata / peer of
#   (a) a no-op `strata up` vs `dbmate up`, and `strata status` vs `dbmate status`, each on a
#       database where all N are already applied (goal: ratio <= 0.50);
#   (b) `strata lint --all` vs `squawk` on the same files (goal: ratio <= 0.50).
# Times are the median of REPS wall-clock runs (output discarded), taken alternately.
#
# usage: bench/peers.sh [STRATA_BIN] [N]      (default: <repo>/build/strata, 1000)
# env:   REPS (default 7), SEED (default 1), PORT (default 55460), PGBIN
#        (default /usr/lib/postgresql/15/bin), DBMATE / SQUAWK (default: on PATH; install with
#        `npm install -g dbmate squawk-cli`; a missing peer skips its ratio).
# A report, not a test: a missed goal never fails the script; a failing command does.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STRATA=${1:-$ROOT/build/strata}
N=${2:-1000}
REPS=${REPS:-7}
SEED=${SEED:-1}
PORT=${PORT:-55460}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
DBMATE=${DBMATE:-$(command -v dbmate || true)}
SQUAWK=${SQUAWK:-$(command -v squawk || true)}

die() { echo "bench: error: $*" >&2; exit 1; }
[[ -x $STRATA ]] || die "strata binary not found at $STRATA (build it, or pass its path)"
command -v g++ >/dev/null || die "g++ not found"
STRATA=$(cd "$(dirname "$STRATA")" && pwd)/$(basename "$STRATA")

if [[ $(id -u) -eq 0 ]]; then
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi

WORK=$(mktemp -d /tmp/strata-peers-XXXXXX) # also the socket dir: keep the path short
chmod 755 "$WORK"
PGDATA=$WORK/pgdata
cleanup() {
  as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
[[ -n ${KEEP:-} ]] && trap - EXIT && echo "kept $WORK"

g++ -O2 -std=c++20 -o "$WORK/gen_migrations" "$ROOT/bench/gen_migrations.cpp"
"$WORK/gen_migrations" "$N" "$WORK/p" --seed "$SEED" >/dev/null
FILES=("$WORK"/p/supabase/migrations/*.sql)
# dbmate wants `-- migrate:up` at the top of each file and a `-- migrate:down` block: the same SQL, in its own folder.
mkdir -p "$WORK/dbmate/migrations"
for f in "${FILES[@]}"; do
  { echo "-- migrate:up"; cat "$f"; printf "\n-- migrate:down\n"; } >"$WORK/dbmate/migrations/$(basename "$f")"
done

mkdir -p "$PGDATA" && chown postgres "$PGDATA" "$WORK" 2>/dev/null || true
as_pg "$PGBIN/initdb" --no-sync -E UTF8 --locale=C -A trust -U postgres -D "$PGDATA" \
  >"$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log" >&2; die "initdb failed"; }
as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$WORK/postgres.log" -w -t 60 \
  -o "-F -k $WORK -p $PORT -c listen_addresses= -c fsync=off -c max_locks_per_transaction=1024" \
  start >"$WORK/pg_ctl.log" 2>&1 || { cat "$WORK/pg_ctl.log" >&2; die "pg_ctl start failed"; }
for db in s d; do "$PGBIN/createdb" -h "$WORK" -p "$PORT" -U postgres -T template0 "$db"; done
S_URL="postgresql://postgres@/s?host=$WORK&port=$PORT"
D_URL="postgres://postgres@/d?socket=$WORK&port=$PORT&sslmode=disable"

run_ok() { "$@" >"$WORK/last.log" 2>&1 || { tail -20 "$WORK/last.log" >&2; die "failed: $*"; }; }
run_ok "$STRATA" up --db-url "$S_URL" --workdir "$WORK/p"
if [[ -n $DBMATE ]]; then
  run_ok env DATABASE_URL="$D_URL" "$DBMATE" --no-dump-schema -d "$WORK/dbmate/migrations" up
fi

# median of REPS wall-clock milliseconds of each command, the commands taken in turn
# usage: times NAME1 'cmd1' NAME2 'cmd2' -> sets T[NAME]
declare -A T
times() {
  declare -A all
  local i k
  for ((i = 0; i < REPS; i++)); do
    for ((k = 1; k <= $#; k += 2)); do
      local name=${!k} j=$((k + 1))
      local cmd=${!j} start end
      start=$(date +%s%N)
      bash -c "$cmd" >/dev/null 2>&1 || die "failed: $cmd"
      end=$(date +%s%N)
      all[$name]+="$(((end - start) / 1000000)) "
    done
  done
  for ((k = 1; k <= $#; k += 2)); do
    local name=${!k}
    T[$name]=$(printf '%s\n' ${all[$name]} | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  done
}
report() { # label strata_ms peer_ms
  awk -v l="$1" -v s="$2" -v p="$3" 'BEGIN {
    r = (p > 0) ? s / p : 0
    printf "%-34s strata %5d ms   peer %5d ms   ratio %.2f (goal <= 0.50: %s)\n", l, s, p, r,
           (r <= 0.5 ? "met" : "missed") }'
}

echo "peers benchmark: $N generated migrations (seed $SEED), median of $REPS runs"
echo "strata: $("$STRATA" --version 2>&1 | head -1)"
if [[ -n $DBMATE ]]; then
  echo "dbmate: $("$DBMATE" --version 2>&1 | head -1)"
  D="env DATABASE_URL='$D_URL' '$DBMATE' --no-dump-schema -d '$WORK/dbmate/migrations'"
  times strata_up "'$STRATA' up --db-url '$S_URL' --workdir '$WORK/p'" \
    dbmate_up "$D up" \
    strata_status "'$STRATA' status --db-url '$S_URL' --workdir '$WORK/p'" \
    dbmate_status "$D status"
  report "no-op up (vs dbmate up)" "${T[strata_up]}" "${T[dbmate_up]}"
  report "status (vs dbmate status)" "${T[strata_status]}" "${T[dbmate_status]}"
else
  echo "dbmate: not installed (npm install -g dbmate): no up/status ratios"
fi
if [[ -n $SQUAWK ]]; then
  echo "squawk: $("$SQUAWK" --version 2>&1 | head -1)"
  # squawk exits non-zero when it finds something: count the run, not the verdict.
  times strata_lint "'$STRATA' lint --all --workdir '$WORK/p' --fail-on none" \
    squawk "'$SQUAWK' $(printf "'%s' " "${FILES[@]}") || true"
  report "lint --all (vs squawk)" "${T[strata_lint]}" "${T[squawk]}"
else
  echo "squawk: not installed (npm install -g squawk-cli): no lint ratio"
fi
