#!/usr/bin/env bash
# check-compat.sh: verifies strata's Supabase compat layer (src/devdb/compat/supabase_compat.sql)
# on a throwaway vanilla PostgreSQL cluster.
#
#   scripts/check-compat.sh            # run everything, stop the cluster at the end
#   KEEP=1 scripts/check-compat.sh     # leave the cluster running for inspection
#
# What it does:
#   1. initdb a fresh cluster (owned by the "postgres" system user when run as root,
#      because PostgreSQL refuses to run as root) on a private socket dir and port
#   2. installs the layer into 3 databases at once (role creation must not race)
#   3. unit checks of the layer itself (auth.uid() & co., storage functions, roles,
#      grants, search_path in new sessions, extension already in public, ...)
#   4. idempotence: a second install changes nothing (schema dump and role list identical)
#   5. acceptance scenarios from $SCENARIOS: each gets a fresh database, the layer
#      (installed twice), its migrations in apply-order.txt order, check.sql, and the
#      tests its README describes
# Exits non-zero on the first failure.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
COMPAT_SQL=${COMPAT_SQL:-$ROOT/src/devdb/compat/supabase_compat.sql}
SCENARIOS=${SCENARIOS:-/work/shared/scenarios}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PGDIR=${PGDIR:-/tmp/compat-pg}
PORT=${PORT:-55439}
KEEP=${KEEP:-0}

PSQL="$PGBIN/psql"
[ -x "$PSQL" ] || PSQL=psql

log()  { printf '\n== %s\n' "$*"; }
ok()   { printf '   ok: %s\n' "$*"; }
fail() { printf '   FAIL: %s\n' "$*" >&2; exit 1; }

as_pg() {  # run a server-side command as the cluster owner
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}

# psql on database $1, remaining args passed through
q()  { local db=$1; shift; "$PSQL" -X -q -h "$PGDIR" -p "$PORT" -U postgres -d "$db" -v ON_ERROR_STOP=1 "$@"; }
qa() { local db=$1; shift; q "$db" -At "$@"; }

install_layer() { q "$1" -1 -f "$COMPAT_SQL"; }

apply_file() {  # db, file: stops on the first error
  local db=$1 f=$2
  q "$db" -f "$f" >/dev/null 2>"$PGDIR/last.err" || { cat "$PGDIR/last.err" >&2; fail "$db: applying $f"; }
}

run_check() {  # db, scenario dir, expected line
  local db=$1 dir=$2 want=$3 got
  got=$(qa "$db" -f "$dir/check.sql" 2>&1) || { echo "$got" >&2; fail "$db: $dir/check.sql"; }
  echo "$got" | grep -qx "$want" || { echo "$got" >&2; fail "$db: check.sql did not print '$want'"; }
  ok "$db: $want"
}

run_test() {  # db, file, notice that proves the test ran to its end
  local db=$1 f=$2 want=$3 out
  out=$(q "$db" -f "$f" 2>&1) || { echo "$out" >&2; fail "$db: $f"; }
  echo "$out" | grep -q "$want" || { echo "$out" >&2; fail "$db: $f did not report '$want'"; }
  ok "$db: $(basename "$(dirname "$f")")/$(basename "$f") -> $want"
}

# files listed in a scenario's apply-order.txt (first field), minus lines tagged "seed"
order() {
  grep -v '^[[:space:]]*#' "$1/apply-order.txt" | awk 'NF && !/(^|[[:space:]])seed([[:space:]]|$)/ {print $1}'
}

fresh_db() {  # db: new database with the layer installed twice
  q postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS \"$1\"" -c "CREATE DATABASE \"$1\""
  install_layer "$1"
  install_layer "$1"
}

dump() {  # db: everything a layer install could touch, in comparable form
  # (pg_dump's \restrict lines carry a random key per run)
  "$PGBIN/pg_dump" -h "$PGDIR" -p "$PORT" -U postgres --schema-only "$1" | grep -Ev '^\\(un)?restrict '
  qa "$1" -c "SELECT name, version, installed_at FROM strata_compat.layer"
  qa "$1" -c "SELECT unnest(setconfig) FROM pg_db_role_setting WHERE setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())"
  "$PGBIN/pg_dumpall" -h "$PGDIR" -p "$PORT" -U postgres --roles-only | grep -Ev '^--|^\\(un)?restrict '
}

rerun_is_noop() {  # db: reinstalling the layer on a populated database changes nothing
  local db=$1
  dump "$db" >"$PGDIR/$db.before"
  install_layer "$db"
  dump "$db" >"$PGDIR/$db.after"
  diff -u "$PGDIR/$db.before" "$PGDIR/$db.after" || fail "$db: reinstalling the layer changed the database"
  ok "$db: reinstalling the layer after the migrations changes nothing"
}

stop_cluster() {
  if [ "$KEEP" != 1 ] && [ -f "$PGDIR/data/postmaster.pid" ]; then
    as_pg "'$PGBIN/pg_ctl' -D '$PGDIR/data' -m fast -w stop" >/dev/null || true
  fi
}

#############################################################################
log "cluster in $PGDIR, port $PORT"
if [ -f "$PGDIR/data/postmaster.pid" ]; then
  as_pg "'$PGBIN/pg_ctl' -D '$PGDIR/data' -m fast -w stop" >/dev/null || true
fi
rm -rf "$PGDIR"
mkdir -p "$PGDIR"
[ "$(id -u)" = 0 ] && chown postgres "$PGDIR"
as_pg "'$PGBIN/initdb' --no-sync -E UTF8 -A trust -U postgres -D '$PGDIR/data'" >/dev/null
as_pg "'$PGBIN/pg_ctl' -D '$PGDIR/data' -l '$PGDIR/server.log' -w -o \"-F -k $PGDIR -p $PORT -c listen_addresses=''\" start" >/dev/null
trap stop_cluster EXIT
qa postgres -c 'SELECT version()'

#############################################################################
log "first install into 3 databases concurrently (roles are cluster-wide)"
for i in 1 2 3; do q postgres -c "CREATE DATABASE par$i"; done
pids=()
for i in 1 2 3; do install_layer "par$i" >"$PGDIR/par$i.out" 2>&1 & pids+=($!); done
for i in 1 2 3; do wait "${pids[$((i-1))]}" || { cat "$PGDIR/par$i.out" >&2; fail "concurrent install into par$i"; }; done
ok "3 concurrent first installs"

#############################################################################
log "idempotence: a second install is a no-op"
dump par1 >"$PGDIR/dump1.sql"
out=$(install_layer par1 2>&1) || { echo "$out" >&2; fail "second install"; }
echo "$out" | grep -Eqi 'notice|warning' && { echo "$out" >&2; fail "second install printed notices/warnings"; }
dump par1 >"$PGDIR/dump2.sql"
diff -u "$PGDIR/dump1.sql" "$PGDIR/dump2.sql" || fail "second install changed the database"
ok "schema dump, layer row, database settings and roles identical after a rerun"

#############################################################################
log "unit checks of the layer"
# search_path only applies to new sessions: this is a new session on par1
q par1 <<'SQL'
BEGIN;
DO $t$
DECLARE
  v text;
BEGIN
  -- version row
  IF (SELECT version FROM strata_compat.layer WHERE name = 'supabase') IS DISTINCT FROM 1 THEN
    RAISE EXCEPTION 'strata_compat.layer has no supabase row with version 1';
  END IF;
  -- search_path of a new session reaches the extensions
  IF current_setting('search_path') NOT LIKE '%extensions%' THEN
    RAISE EXCEPTION 'search_path of a new session lacks extensions: %', current_setting('search_path');
  END IF;
  PERFORM uuid_generate_v4(), gen_random_bytes(8), crypt('pw', gen_salt('bf', 4)), extensions.uuid_generate_v4();
  IF (SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'uuid-ossp') <> 'extensions'
     OR (SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pgcrypto') <> 'extensions' THEN
    RAISE EXCEPTION 'uuid-ossp / pgcrypto are not in schema extensions';
  END IF;

  -- auth.uid() & co.
  PERFORM set_config('request.jwt.claim.sub', '', true);
  PERFORM set_config('request.jwt.claims', '', true);
  IF auth.uid() IS NOT NULL OR auth.role() IS NOT NULL OR auth.email() IS NOT NULL OR auth.jwt() IS NOT NULL THEN
    RAISE EXCEPTION 'auth helpers must return NULL without claims';
  END IF;
  PERFORM set_config('request.jwt.claims', '{"sub":"22222222-2222-2222-2222-222222222222","role":"authenticated","email":"b@x.test"}', true);
  IF auth.uid() <> '22222222-2222-2222-2222-222222222222' OR auth.role() <> 'authenticated'
     OR auth.email() <> 'b@x.test' OR auth.jwt() ->> 'email' <> 'b@x.test' THEN
    RAISE EXCEPTION 'auth helpers do not read request.jwt.claims';
  END IF;
  PERFORM set_config('request.jwt.claim.sub', '11111111-1111-1111-1111-111111111111', true);
  PERFORM set_config('request.jwt.claim.role', 'service_role', true);
  IF auth.uid() <> '11111111-1111-1111-1111-111111111111' OR auth.role() <> 'service_role' THEN
    RAISE EXCEPTION 'the single-claim settings must win over request.jwt.claims';
  END IF;
  PERFORM set_config('request.jwt.claim.sub', 'test-user-uuid', true);
  BEGIN
    PERFORM auth.uid();
    RAISE EXCEPTION 'auth.uid() accepted a non-UUID claim';
  EXCEPTION WHEN invalid_text_representation THEN
    GET STACKED DIAGNOSTICS v = MESSAGE_TEXT;
    IF v NOT LIKE 'invalid input syntax for type uuid%' THEN RAISE EXCEPTION 'unexpected error: %', v; END IF;
  END;
  IF pg_get_function_result('auth.uid()'::regprocedure) <> 'uuid' OR pg_get_function_result('auth.role()'::regprocedure) <> 'text'
     OR pg_get_function_result('auth.email()'::regprocedure) <> 'text' OR pg_get_function_result('auth.jwt()'::regprocedure) <> 'jsonb' THEN
    RAISE EXCEPTION 'auth helper signatures differ from Supabase';
  END IF;

  -- storage helpers
  IF storage.foldername('u1/docs/a.b.png') <> ARRAY['u1', 'docs'] OR storage.foldername('a.png') <> '{}'::text[]
     OR storage.filename('u1/docs/a.b.png') <> 'a.b.png' OR storage.extension('u1/docs/a.b.png') <> 'png'
     OR storage.extension('u1/noext') <> 'noext' THEN
    RAISE EXCEPTION 'storage.foldername/filename/extension differ from Supabase';
  END IF;

  -- tables: inserts with Supabase-style seeds
  INSERT INTO auth.users (email, email_confirmed_at) VALUES ('unit@x.test', now()) RETURNING id::text INTO v;
  IF (SELECT confirmed_at FROM auth.users WHERE id = v::uuid) IS NULL THEN
    RAISE EXCEPTION 'auth.users.confirmed_at is not generated';
  END IF;
  INSERT INTO auth.identities (provider_id, user_id, identity_data, provider)
  VALUES (v, v::uuid, '{"email":"Unit@X.test"}', 'email');
  IF (SELECT email FROM auth.identities WHERE user_id = v::uuid) <> 'unit@x.test' THEN
    RAISE EXCEPTION 'auth.identities.email is not generated';
  END IF;
  INSERT INTO auth.sessions (id, user_id, aal) VALUES (gen_random_uuid(), v::uuid, 'aal1');
  INSERT INTO auth.mfa_factors (id, user_id, factor_type, status, created_at, updated_at)
  VALUES (gen_random_uuid(), v::uuid, 'totp', 'unverified', now(), now());
  INSERT INTO storage.buckets (id, name) VALUES ('unit', 'unit');
  INSERT INTO storage.objects (bucket_id, name) VALUES ('unit', v || '/a/b.txt');
  IF (SELECT path_tokens FROM storage.objects WHERE bucket_id = 'unit') <> ARRAY[v, 'a', 'b.txt'] THEN
    RAISE EXCEPTION 'storage.objects.path_tokens is not generated';
  END IF;
  IF (SELECT public FROM storage.buckets WHERE id = 'unit') IS DISTINCT FROM false THEN
    RAISE EXCEPTION 'storage.buckets.public must default to false';
  END IF;
  IF NOT (SELECT relrowsecurity FROM pg_class WHERE oid = 'storage.objects'::regclass)
     OR NOT (SELECT relrowsecurity FROM pg_class WHERE oid = 'storage.buckets'::regclass) THEN
    RAISE EXCEPTION 'RLS must be enabled on storage.objects and storage.buckets';
  END IF;

  -- roles
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'service_role' AND rolbypassrls AND NOT rolcanlogin)
     OR NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'anon' AND NOT rolcanlogin)
     OR NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticated' AND NOT rolcanlogin AND NOT rolbypassrls)
     OR NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticator' AND rolcanlogin AND NOT rolinherit)
     OR NOT pg_has_role('authenticator', 'anon', 'MEMBER') OR NOT pg_has_role('authenticator', 'authenticated', 'MEMBER')
     OR NOT pg_has_role('authenticator', 'service_role', 'MEMBER')
     OR (SELECT count(*) FROM pg_roles WHERE rolname IN ('supabase_admin', 'supabase_auth_admin', 'supabase_storage_admin')) <> 3 THEN
    RAISE EXCEPTION 'roles differ from what the layer promises';
  END IF;

  -- publication
  IF NOT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = 'supabase_realtime') THEN
    RAISE EXCEPTION 'publication supabase_realtime is missing';
  END IF;

  -- grants
  IF NOT has_schema_privilege('anon', 'extensions', 'USAGE') OR NOT has_schema_privilege('authenticated', 'auth', 'USAGE')
     OR NOT has_schema_privilege('service_role', 'storage', 'USAGE') OR NOT has_schema_privilege('anon', 'public', 'USAGE')
     OR NOT has_function_privilege('authenticated', 'auth.uid()', 'EXECUTE')
     OR NOT has_table_privilege('service_role', 'auth.users', 'SELECT')
     OR has_table_privilege('authenticated', 'auth.users', 'SELECT')
     OR NOT has_table_privilege('authenticated', 'storage.objects', 'INSERT')
     OR has_schema_privilege('anon', 'strata_compat', 'USAGE') THEN
    RAISE EXCEPTION 'schema/table grants differ from what the layer promises';
  END IF;
  RAISE NOTICE 'unit: ok';
END
$t$;
ROLLBACK;
SQL
ok "auth/storage helpers, tables, roles, publication, grants, new-session search_path"

# default privileges: tables/sequences/functions created in public after the install are
# reachable by the API roles (par2 has the layer since the concurrency test), one in another
# schema is not; an explicit REVOKE survives a reinstall
q par2 <<'SQL'
CREATE TABLE public.dp_t (id bigserial PRIMARY KEY, v text);
CREATE FUNCTION public.dp_f() RETURNS int LANGUAGE sql AS 'SELECT 1';
CREATE FUNCTION public.dp_secret() RETURNS int LANGUAGE sql AS 'SELECT 2';
REVOKE ALL ON FUNCTION public.dp_secret() FROM PUBLIC, anon;
CREATE SCHEMA app;
CREATE TABLE app.t (id int);
SQL
check_dp() {
  qa par2 <<'SQL'
DO $t$
BEGIN
  IF NOT has_table_privilege('authenticated', 'public.dp_t', 'INSERT') OR NOT has_table_privilege('anon', 'public.dp_t', 'SELECT')
     OR NOT has_sequence_privilege('authenticated', 'public.dp_t_id_seq', 'USAGE')
     OR NOT has_function_privilege('anon', 'public.dp_f()', 'EXECUTE') THEN
    RAISE EXCEPTION 'default privileges in public are missing';
  END IF;
  IF has_function_privilege('anon', 'public.dp_secret()', 'EXECUTE') THEN
    RAISE EXCEPTION 'REVOKE ... FROM anon did not hold';
  END IF;
  IF has_table_privilege('anon', 'app.t', 'SELECT') THEN
    RAISE EXCEPTION 'grants leaked outside public';
  END IF;
END
$t$;
SQL
}
check_dp || fail "par2: default privileges"
install_layer par2
check_dp || fail "par2: after a reinstall"
ok "default privileges in public only; an explicit REVOKE survives a reinstall"

# a database that already has uuid-ossp / pgcrypto in public, and a custom search_path
q postgres -c "CREATE DATABASE pre"
q pre -c 'CREATE EXTENSION "uuid-ossp"' -c 'CREATE EXTENSION pgcrypto' -c 'ALTER DATABASE pre SET search_path = "$user", public, app' \
      -c 'CREATE TABLE public.old_t (id int)' -c 'CREATE TABLE public.old_private (id int)' -c 'REVOKE ALL ON public.old_private FROM anon'
install_layer pre
install_layer pre
[ "$(qa pre -c "SELECT has_table_privilege('anon', 'public.old_t', 'SELECT'), has_table_privilege('anon', 'public.old_private', 'SELECT'), has_function_privilege('anon', 'public.uuid_generate_v4()', 'EXECUTE')")" = 't|f|t' ] \
  || fail "pre: grants on objects that existed before the install"
[ "$(qa pre -c 'SHOW search_path')" = '"$user", public, app, extensions' ] || fail "pre: database search_path not extended"
[ "$(qa pre -c "SELECT extnamespace::regnamespace FROM pg_extension WHERE extname = 'uuid-ossp'")" = public ] || fail "pre: uuid-ossp moved"
qa pre -c 'SELECT uuid_generate_v4(), gen_random_bytes(4)' >/dev/null
ok "pre-existing db: extensions in public and custom search_path kept; untouched public tables granted, revoked ones not"

# in-place upgrade: an older install lacking a column/index/function gets them back, and a
# hand-made stub auth.users / storage.buckets (common in CI setups) is completed
q postgres -c "CREATE DATABASE upg"
install_layer upg
q upg -c 'ALTER TABLE auth.users DROP COLUMN is_anonymous' -c 'DROP FUNCTION auth.jwt()' \
      -c 'ALTER TABLE storage.objects DROP COLUMN user_metadata' -c 'DROP PUBLICATION supabase_realtime'
install_layer upg
[ "$(qa upg -c "SELECT count(*) FROM pg_indexes WHERE indexname = 'users_is_anonymous_idx'")" = 1 ] || fail "upg: is_anonymous not restored"
qa upg -c "SELECT auth.jwt(), (SELECT user_metadata FROM storage.objects LIMIT 1), (SELECT 1 FROM pg_publication WHERE pubname = 'supabase_realtime')" >/dev/null
q postgres -c "CREATE DATABASE stub"
q stub -c 'CREATE SCHEMA auth' -c 'CREATE TABLE auth.users (id uuid PRIMARY KEY, email text)' \
       -c "INSERT INTO auth.users VALUES ('11111111-1111-1111-1111-111111111111', 'a@x.test')" \
       -c 'CREATE SCHEMA storage' -c 'CREATE TABLE storage.buckets (id text PRIMARY KEY, name text)'
install_layer stub
install_layer stub
qa stub -c "SELECT instance_id, raw_user_meta_data, is_anonymous, confirmed_at FROM auth.users" >/dev/null
qa stub -c "INSERT INTO storage.buckets (id, name, public, file_size_limit) VALUES ('b', 'b', false, 1)" >/dev/null
ok "in-place upgrade of an older install and of hand-made auth/storage stubs"

# the current session sees the new search_path right after the install (same session)
out=$(q postgres -At -c "CREATE DATABASE samesess" >/dev/null; \
      { cat "$COMPAT_SQL"; echo "SELECT uuid_generate_v4() IS NOT NULL, current_setting('search_path');"; } \
      | "$PSQL" -X -q -At -h "$PGDIR" -p "$PORT" -U postgres -d samesess -1 -v ON_ERROR_STOP=1 -f -) \
  || fail "same-session use of the new search_path"
echo "$out" | grep -q '^t|.*extensions' || { echo "$out" >&2; fail "same session does not see extensions"; }
ok "same session resolves uuid_generate_v4() after the install"

# the way an embedded string is likely executed: the whole file as ONE simple-query message
# (one implicit transaction, like PQexec), twice; client_min_messages is restored afterwards
q postgres -c "CREATE DATABASE onemsg"
for i in 1 2; do
  out=$("$PSQL" -X -At -h "$PGDIR" -p "$PORT" -U postgres -d onemsg -v ON_ERROR_STOP=1 \
          -c "$(cat "$COMPAT_SQL")" -c "SHOW client_min_messages" 2>&1) || { echo "$out" >&2; fail "one-message install #$i"; }
  [ "$(echo "$out" | tail -n 1)" = notice ] || { echo "$out" >&2; fail "client_min_messages not restored"; }
done
ok "whole file as one query string (PQexec style), twice; client_min_messages restored"

#############################################################################
log "scenario cabina"
S=$SCENARIOS/cabina
fresh_db cabina
for f in $(order "$S"); do apply_file cabina "$S/$f"; done
run_check cabina "$S" "scenario cabina: ok"
apply_file cabina "$S/supabase/seed.sql"
run_test cabina "$S/tests/rls_cross_user.sql" "cabina rls: ok"
apply_file cabina "$S/supabase/migrations/20260322_create_favorites.sql"   # "safe to run multiple times"
rerun_is_noop cabina
run_check cabina "$S" "scenario cabina: ok"
run_test cabina "$S/tests/rls_cross_user.sql" "cabina rls: ok"

fresh_db cabina_backfill
for f in $(order "$S"); do
  case $f in *20260321_*) apply_file cabina_backfill "$S/tests/pre_backfill_rows.sql" ;; esac
  apply_file cabina_backfill "$S/$f"
done
run_test cabina_backfill "$S/tests/backfill_result.sql" "cabina backfill: ok"
run_check cabina_backfill "$S" "scenario cabina: ok"

#############################################################################
log "scenario bloom"
S=$SCENARIOS/bloom
fresh_db bloom
for f in $(order "$S"); do apply_file bloom "$S/$f"; done
run_check bloom "$S" "scenario bloom: ok"

fresh_db bloom_data
for f in $(order "$S"); do
  case $f in *20250108100000_*) apply_file bloom_data "$S/scripts/seed_test_data.sql" ;; esac
  apply_file bloom_data "$S/$f"
done
run_check bloom_data "$S" "scenario bloom: ok"
run_test bloom_data "$S/tests/existing_data.sql" "bloom existing data: ok"
run_test bloom_data "$S/tests/rls_cross_user.sql" "bloom rls: ok"

#############################################################################
log "scenario unprefixed-files"
S=$SCENARIOS/unprefixed-files
fresh_db unprefixed
for f in $(order "$S"); do apply_file unprefixed "$S/$f"; done
run_check unprefixed "$S" "scenario unprefixed-files: ok"
rerun_is_noop unprefixed
run_check unprefixed "$S" "scenario unprefixed-files: ok"

#############################################################################
log "scenario shared-db-apps (core migrations)"
S=$SCENARIOS/shared-db-apps
fresh_db shared
for f in $(order "$S"); do apply_file shared "$S/$f"; done
run_check shared "$S" "scenario shared-db-apps: ok"
rerun_is_noop shared
run_check shared "$S" "scenario shared-db-apps: ok"

# the document's cross-environment copy: sandbox schema "homeportal" -> production "home_portal"
fresh_db sandbox
apply_file sandbox "$S/cross-env/auth_users.sql"
apply_file sandbox "$S/cross-env/sandbox_homeportal.sql"
apply_file shared "$S/cross-env/auth_users.sql"
q sandbox -c 'ALTER SCHEMA homeportal RENAME TO home_portal'   # rename the schema, not the data
"$PGBIN/pg_dump" -h "$PGDIR" -p "$PORT" -U postgres --schema=home_portal --data-only --no-owner --no-acl sandbox \
  | grep -Ev '^\\(un)?restrict ' >"$PGDIR/homeportal.sql"
PGOPTIONS='-c session_replication_role=replica' q shared -1 -f "$PGDIR/homeportal.sql" >/dev/null
apply_file shared "$S/cross-env/reset_sequences.sql"
apply_file shared "$S/cross-env/verify_target.sql"
ok "shared: cross-env copy, cross-env/verify_target.sql passes"
run_check shared "$S" "scenario shared-db-apps: ok"

#############################################################################
log "scenario three-tier (phase 1, dev run, then phase 2)"
S=$SCENARIOS/three-tier
fresh_db threetier
for f in $(order "$S"); do apply_file threetier "$S/$f"; done
run_check threetier "$S" "scenario three-tier: ok"
run_test threetier "$S/tests/dev_sample_data.sql" "three-tier dev sample data: ok"
for f in "$S"/phase2/migrations/0*.sql; do apply_file threetier "$f"; done
run_check threetier "$S/phase2" "scenario three-tier/phase2: ok"
run_check threetier "$S" "scenario three-tier: ok"
rerun_is_noop threetier

log "all compat checks passed"
