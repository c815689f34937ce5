-- strata Supabase compat layer.
--
-- Creates, on a vanilla PostgreSQL (15+) database, the Supabase platform objects that
-- user migrations take for granted: the API roles, the "extensions" schema with
-- uuid-ossp and pgcrypto, auth.users & co. with auth.uid()/role()/email()/jwt(),
-- storage.buckets/objects with storage.foldername()/filename()/extension(), the
-- supabase_realtime publication, and Supabase's default grants. Names, column lists,
-- types and defaults follow Supabase (supabase/postgres init scripts, supabase/auth and
-- supabase/storage migrations); the SQL itself is strata's own.
--
-- strata runs this file as a superuser, inside one transaction that strata opens and
-- commits (so the file has no BEGIN/COMMIT and no psql meta-commands).
-- Rules for editing: every statement must be idempotent (running the file twice is a
-- no-op) and must upgrade an older install in place: IF NOT EXISTS / OR REPLACE /
-- catalog checks only, never DROP. New columns go into the ADD COLUMN IF NOT EXISTS
-- lists, and the version below and at the end of the file is bumped.
--
-- strata-compat-version: 1

-- Skipping notices ("already exists, skipping") would flood the output on every rerun.
-- Quiet them for this transaction; the previous level is restored at the end.
DO $quiet$
BEGIN
  PERFORM set_config('strata_compat.saved_client_min_messages', current_setting('client_min_messages'), true);
  PERFORM set_config('client_min_messages', 'warning', true);
END
$quiet$;

-------------------------------------------------------------------------------
-- 1. Roles (cluster-wide: created only when missing, never altered if present;
--    concurrent installs into several databases of one cluster must not fail)
-------------------------------------------------------------------------------
DO $roles$
DECLARE
  r record;
BEGIN
  FOR r IN
    SELECT * FROM (VALUES
      -- Supabase: "postgres" is the project owner. Vanilla clusters nearly always have it;
      -- created NOLOGIN only so that "GRANT ... TO postgres" in migrations never fails.
      (1, 'postgres',               'NOLOGIN'),
      (2, 'anon',                   'NOLOGIN INHERIT'),
      (3, 'authenticated',          'NOLOGIN INHERIT'),
      (4, 'service_role',           'NOLOGIN INHERIT BYPASSRLS'),
      (5, 'authenticator',          'LOGIN NOINHERIT'),
      -- Superuser on Supabase; here a plain NOLOGIN role that migrations can name.
      (6, 'supabase_admin',         'NOLOGIN'),
      (7, 'supabase_auth_admin',    'NOLOGIN NOINHERIT'),
      (8, 'supabase_storage_admin', 'NOLOGIN NOINHERIT')
    ) AS v(n, rolname, attrs)
    ORDER BY n
  LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = r.rolname) THEN
      BEGIN
        EXECUTE format('CREATE ROLE %I %s', r.rolname, r.attrs);
      EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL;  -- created meanwhile by a concurrent install in another database
      END;
    END IF;
  END LOOP;

  -- memberships: authenticator can switch to the API roles (PostgREST); postgres is a
  -- member of the API and admin roles, as on Supabase.
  FOR r IN
    SELECT * FROM (VALUES
      ('anon', 'authenticator'), ('authenticated', 'authenticator'), ('service_role', 'authenticator'),
      ('anon', 'postgres'), ('authenticated', 'postgres'), ('service_role', 'postgres'),
      ('supabase_auth_admin', 'postgres'), ('supabase_storage_admin', 'postgres')
    ) AS v(grp, member)
  LOOP
    IF NOT pg_catalog.pg_has_role(r.member, r.grp, 'MEMBER') THEN
      BEGIN
        EXECUTE format('GRANT %I TO %I', r.grp, r.member);
      EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL;
      END;
    END IF;
  END LOOP;
END
$roles$;

-------------------------------------------------------------------------------
-- 2. Schemas and extensions
-------------------------------------------------------------------------------
CREATE SCHEMA IF NOT EXISTS extensions;
CREATE SCHEMA IF NOT EXISTS auth;
CREATE SCHEMA IF NOT EXISTS storage;
CREATE SCHEMA IF NOT EXISTS strata_compat;

COMMENT ON SCHEMA strata_compat IS 'strata: bookkeeping of the installed compat layers';

-- If an extension is already installed elsewhere (e.g. in public) it stays there:
-- IF NOT EXISTS only checks the name.
CREATE EXTENSION IF NOT EXISTS "uuid-ossp" WITH SCHEMA extensions;
CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA extensions;

-------------------------------------------------------------------------------
-- 3. auth: types
-------------------------------------------------------------------------------
DO $types$
BEGIN
  IF to_regtype('auth.factor_type') IS NULL THEN
    CREATE TYPE auth.factor_type AS ENUM ('totp', 'webauthn', 'phone');
  END IF;
  IF to_regtype('auth.factor_status') IS NULL THEN
    CREATE TYPE auth.factor_status AS ENUM ('unverified', 'verified');
  END IF;
  IF to_regtype('auth.aal_level') IS NULL THEN
    CREATE TYPE auth.aal_level AS ENUM ('aal1', 'aal2', 'aal3');
  END IF;
END
$types$;
ALTER TYPE auth.factor_type ADD VALUE IF NOT EXISTS 'phone';

-------------------------------------------------------------------------------
-- 4. auth: tables
--    Pattern: CREATE TABLE IF NOT EXISTS with the first column only, then every column
--    (the first one again) with ADD COLUMN IF NOT EXISTS, in Supabase's column order.
--    A fresh install gets Supabase's exact layout; an older install (or a hand-made
--    stub table) gets the missing columns added.
-------------------------------------------------------------------------------

-- auth.users ------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS auth.users (instance_id uuid);
ALTER TABLE auth.users
  ADD COLUMN IF NOT EXISTS instance_id uuid,
  -- Supabase has no default on id (GoTrue supplies it); strata adds one so that tests
  -- and seeds can insert users with just an email.
  ADD COLUMN IF NOT EXISTS id uuid NOT NULL DEFAULT gen_random_uuid() CONSTRAINT users_pkey PRIMARY KEY,
  ADD COLUMN IF NOT EXISTS aud varchar(255),
  ADD COLUMN IF NOT EXISTS role varchar(255),
  ADD COLUMN IF NOT EXISTS email varchar(255),
  ADD COLUMN IF NOT EXISTS encrypted_password varchar(255),
  ADD COLUMN IF NOT EXISTS email_confirmed_at timestamptz,
  ADD COLUMN IF NOT EXISTS invited_at timestamptz,
  ADD COLUMN IF NOT EXISTS confirmation_token varchar(255),
  ADD COLUMN IF NOT EXISTS confirmation_sent_at timestamptz,
  ADD COLUMN IF NOT EXISTS recovery_token varchar(255),
  ADD COLUMN IF NOT EXISTS recovery_sent_at timestamptz,
  ADD COLUMN IF NOT EXISTS email_change_token_new varchar(255),
  ADD COLUMN IF NOT EXISTS email_change varchar(255),
  ADD COLUMN IF NOT EXISTS email_change_sent_at timestamptz,
  ADD COLUMN IF NOT EXISTS last_sign_in_at timestamptz,
  ADD COLUMN IF NOT EXISTS raw_app_meta_data jsonb,
  ADD COLUMN IF NOT EXISTS raw_user_meta_data jsonb,
  ADD COLUMN IF NOT EXISTS is_super_admin boolean,
  ADD COLUMN IF NOT EXISTS created_at timestamptz,
  ADD COLUMN IF NOT EXISTS updated_at timestamptz,
  ADD COLUMN IF NOT EXISTS phone text DEFAULT NULL::varchar CONSTRAINT users_phone_key UNIQUE,
  ADD COLUMN IF NOT EXISTS phone_confirmed_at timestamptz,
  ADD COLUMN IF NOT EXISTS phone_change text DEFAULT ''::varchar,
  ADD COLUMN IF NOT EXISTS phone_change_token varchar(255) DEFAULT ''::varchar,
  ADD COLUMN IF NOT EXISTS phone_change_sent_at timestamptz;
ALTER TABLE auth.users
  ADD COLUMN IF NOT EXISTS confirmed_at timestamptz
    GENERATED ALWAYS AS (LEAST(email_confirmed_at, phone_confirmed_at)) STORED,
  ADD COLUMN IF NOT EXISTS email_change_token_current varchar(255) DEFAULT ''::varchar,
  ADD COLUMN IF NOT EXISTS email_change_confirm_status smallint DEFAULT 0
    CONSTRAINT users_email_change_confirm_status_check
    CHECK (email_change_confirm_status >= 0 AND email_change_confirm_status <= 2),
  ADD COLUMN IF NOT EXISTS banned_until timestamptz,
  ADD COLUMN IF NOT EXISTS reauthentication_token varchar(255) DEFAULT ''::varchar,
  ADD COLUMN IF NOT EXISTS reauthentication_sent_at timestamptz,
  ADD COLUMN IF NOT EXISTS is_sso_user boolean NOT NULL DEFAULT false,
  ADD COLUMN IF NOT EXISTS deleted_at timestamptz,
  ADD COLUMN IF NOT EXISTS is_anonymous boolean NOT NULL DEFAULT false;

CREATE INDEX IF NOT EXISTS users_instance_id_idx ON auth.users (instance_id);
CREATE INDEX IF NOT EXISTS users_instance_id_email_idx ON auth.users (instance_id, lower(email::text));
CREATE UNIQUE INDEX IF NOT EXISTS users_email_partial_key ON auth.users (email) WHERE (is_sso_user = false);
CREATE UNIQUE INDEX IF NOT EXISTS confirmation_token_idx ON auth.users (confirmation_token)
  WHERE confirmation_token::text !~ '^[0-9 ]*$';
CREATE UNIQUE INDEX IF NOT EXISTS recovery_token_idx ON auth.users (recovery_token)
  WHERE recovery_token::text !~ '^[0-9 ]*$';
CREATE UNIQUE INDEX IF NOT EXISTS email_change_token_current_idx ON auth.users (email_change_token_current)
  WHERE email_change_token_current::text !~ '^[0-9 ]*$';
CREATE UNIQUE INDEX IF NOT EXISTS email_change_token_new_idx ON auth.users (email_change_token_new)
  WHERE email_change_token_new::text !~ '^[0-9 ]*$';
CREATE UNIQUE INDEX IF NOT EXISTS reauthentication_token_idx ON auth.users (reauthentication_token)
  WHERE reauthentication_token::text !~ '^[0-9 ]*$';
CREATE INDEX IF NOT EXISTS users_is_anonymous_idx ON auth.users (is_anonymous);

COMMENT ON TABLE auth.users IS 'Auth: Stores user login data within a secure schema.';
COMMENT ON COLUMN auth.users.is_sso_user IS 'Auth: Set this column to true when the account comes from SSO. These accounts can have duplicate emails.';

-- auth.identities ---------------------------------------------------------------
CREATE TABLE IF NOT EXISTS auth.identities (provider_id text NOT NULL);
ALTER TABLE auth.identities
  ADD COLUMN IF NOT EXISTS provider_id text NOT NULL,
  ADD COLUMN IF NOT EXISTS user_id uuid NOT NULL
    CONSTRAINT identities_user_id_fkey REFERENCES auth.users (id) ON DELETE CASCADE,
  ADD COLUMN IF NOT EXISTS identity_data jsonb NOT NULL,
  ADD COLUMN IF NOT EXISTS provider text NOT NULL,
  ADD COLUMN IF NOT EXISTS last_sign_in_at timestamptz,
  ADD COLUMN IF NOT EXISTS created_at timestamptz,
  ADD COLUMN IF NOT EXISTS updated_at timestamptz;
ALTER TABLE auth.identities
  ADD COLUMN IF NOT EXISTS email text GENERATED ALWAYS AS (lower(identity_data ->> 'email')) STORED,
  ADD COLUMN IF NOT EXISTS id uuid NOT NULL DEFAULT gen_random_uuid() CONSTRAINT identities_pkey PRIMARY KEY;
CREATE INDEX IF NOT EXISTS identities_email_idx ON auth.identities (email text_pattern_ops);
CREATE INDEX IF NOT EXISTS identities_user_id_idx ON auth.identities (user_id);
COMMENT ON TABLE auth.identities IS 'Auth: Stores identities associated to a user.';
COMMENT ON COLUMN auth.identities.email IS 'Auth: Email is a generated column that references the optional email property in the identity_data';

-- auth.sessions -------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS auth.sessions (id uuid NOT NULL CONSTRAINT sessions_pkey PRIMARY KEY);
ALTER TABLE auth.sessions
  ADD COLUMN IF NOT EXISTS id uuid NOT NULL CONSTRAINT sessions_pkey PRIMARY KEY,
  ADD COLUMN IF NOT EXISTS user_id uuid NOT NULL
    CONSTRAINT sessions_user_id_fkey REFERENCES auth.users (id) ON DELETE CASCADE,
  ADD COLUMN IF NOT EXISTS created_at timestamptz,
  ADD COLUMN IF NOT EXISTS updated_at timestamptz,
  ADD COLUMN IF NOT EXISTS factor_id uuid,
  ADD COLUMN IF NOT EXISTS aal auth.aal_level,
  ADD COLUMN IF NOT EXISTS not_after timestamptz,
  ADD COLUMN IF NOT EXISTS refreshed_at timestamp,
  ADD COLUMN IF NOT EXISTS user_agent text,
  ADD COLUMN IF NOT EXISTS ip inet,
  ADD COLUMN IF NOT EXISTS tag text,
  -- Supabase references auth.oauth_clients here; that table is not part of this layer.
  ADD COLUMN IF NOT EXISTS oauth_client_id uuid,
  ADD COLUMN IF NOT EXISTS refresh_token_hmac_key text,
  ADD COLUMN IF NOT EXISTS refresh_token_counter bigint,
  ADD COLUMN IF NOT EXISTS scopes text
    CONSTRAINT sessions_scopes_length CHECK (char_length(scopes) <= 4096);
CREATE INDEX IF NOT EXISTS sessions_user_id_idx ON auth.sessions (user_id);
CREATE INDEX IF NOT EXISTS user_id_created_at_idx ON auth.sessions (user_id, created_at);
CREATE INDEX IF NOT EXISTS sessions_not_after_idx ON auth.sessions (not_after DESC);
COMMENT ON TABLE auth.sessions IS 'Auth: Stores session data associated to a user.';

-- auth.refresh_tokens -------------------------------------------------------------
CREATE TABLE IF NOT EXISTS auth.refresh_tokens (instance_id uuid);
ALTER TABLE auth.refresh_tokens
  ADD COLUMN IF NOT EXISTS instance_id uuid,
  ADD COLUMN IF NOT EXISTS id bigserial NOT NULL CONSTRAINT refresh_tokens_pkey PRIMARY KEY,
  ADD COLUMN IF NOT EXISTS token varchar(255) CONSTRAINT refresh_tokens_token_unique UNIQUE,
  ADD COLUMN IF NOT EXISTS user_id varchar(255),
  ADD COLUMN IF NOT EXISTS revoked boolean,
  ADD COLUMN IF NOT EXISTS created_at timestamptz,
  ADD COLUMN IF NOT EXISTS updated_at timestamptz,
  ADD COLUMN IF NOT EXISTS parent varchar(255),
  ADD COLUMN IF NOT EXISTS session_id uuid
    CONSTRAINT refresh_tokens_session_id_fkey REFERENCES auth.sessions (id) ON DELETE CASCADE;
CREATE INDEX IF NOT EXISTS refresh_tokens_instance_id_idx ON auth.refresh_tokens (instance_id);
CREATE INDEX IF NOT EXISTS refresh_tokens_instance_id_user_id_idx ON auth.refresh_tokens (instance_id, user_id);
CREATE INDEX IF NOT EXISTS refresh_tokens_parent_idx ON auth.refresh_tokens (parent);
CREATE INDEX IF NOT EXISTS refresh_tokens_session_id_revoked_idx ON auth.refresh_tokens (session_id, revoked);
CREATE INDEX IF NOT EXISTS refresh_tokens_updated_at_idx ON auth.refresh_tokens (updated_at DESC);
COMMENT ON TABLE auth.refresh_tokens IS 'Auth: Store of tokens used to refresh JWT tokens once they expire.';

-- auth.mfa_factors / mfa_challenges / mfa_amr_claims --------------------------------
CREATE TABLE IF NOT EXISTS auth.mfa_factors (id uuid NOT NULL CONSTRAINT mfa_factors_pkey PRIMARY KEY);
ALTER TABLE auth.mfa_factors
  ADD COLUMN IF NOT EXISTS id uuid NOT NULL CONSTRAINT mfa_factors_pkey PRIMARY KEY,
  ADD COLUMN IF NOT EXISTS user_id uuid NOT NULL
    CONSTRAINT mfa_factors_user_id_fkey REFERENCES auth.users (id) ON DELETE CASCADE,
  ADD COLUMN IF NOT EXISTS friendly_name text,
  ADD COLUMN IF NOT EXISTS factor_type auth.factor_type NOT NULL,
  ADD COLUMN IF NOT EXISTS status auth.factor_status NOT NULL,
  ADD COLUMN IF NOT EXISTS created_at timestamptz NOT NULL,
  ADD COLUMN IF NOT EXISTS updated_at timestamptz NOT NULL,
  ADD COLUMN IF NOT EXISTS secret text,
  ADD COLUMN IF NOT EXISTS phone text DEFAULT NULL,
  ADD COLUMN IF NOT EXISTS last_challenged_at timestamptz DEFAULT NULL
    CONSTRAINT mfa_factors_last_challenged_at_key UNIQUE,
  ADD COLUMN IF NOT EXISTS web_authn_credential jsonb,
  ADD COLUMN IF NOT EXISTS web_authn_aaguid uuid,
  ADD COLUMN IF NOT EXISTS last_webauthn_challenge_data jsonb;
CREATE UNIQUE INDEX IF NOT EXISTS mfa_factors_user_friendly_name_unique ON auth.mfa_factors (friendly_name, user_id)
  WHERE TRIM(BOTH FROM friendly_name) <> '';
CREATE INDEX IF NOT EXISTS factor_id_created_at_idx ON auth.mfa_factors (user_id, created_at);
CREATE INDEX IF NOT EXISTS mfa_factors_user_id_idx ON auth.mfa_factors (user_id);
CREATE UNIQUE INDEX IF NOT EXISTS unique_phone_factor_per_user ON auth.mfa_factors (user_id, phone);
COMMENT ON TABLE auth.mfa_factors IS 'auth: stores metadata about factors';

CREATE TABLE IF NOT EXISTS auth.mfa_challenges (id uuid NOT NULL CONSTRAINT mfa_challenges_pkey PRIMARY KEY);
ALTER TABLE auth.mfa_challenges
  ADD COLUMN IF NOT EXISTS id uuid NOT NULL CONSTRAINT mfa_challenges_pkey PRIMARY KEY,
  ADD COLUMN IF NOT EXISTS factor_id uuid NOT NULL
    CONSTRAINT mfa_challenges_auth_factor_id_fkey REFERENCES auth.mfa_factors (id) ON DELETE CASCADE,
  ADD COLUMN IF NOT EXISTS created_at timestamptz NOT NULL,
  ADD COLUMN IF NOT EXISTS verified_at timestamptz,
  ADD COLUMN IF NOT EXISTS ip_address inet NOT NULL,
  ADD COLUMN IF NOT EXISTS otp_code text,
  ADD COLUMN IF NOT EXISTS web_authn_session_data jsonb;
CREATE INDEX IF NOT EXISTS mfa_challenge_created_at_idx ON auth.mfa_challenges (created_at DESC);
COMMENT ON TABLE auth.mfa_challenges IS 'auth: stores metadata about challenge requests made';

CREATE TABLE IF NOT EXISTS auth.mfa_amr_claims (session_id uuid NOT NULL
  CONSTRAINT mfa_amr_claims_session_id_fkey REFERENCES auth.sessions (id) ON DELETE CASCADE);
ALTER TABLE auth.mfa_amr_claims
  ADD COLUMN IF NOT EXISTS session_id uuid NOT NULL
    CONSTRAINT mfa_amr_claims_session_id_fkey REFERENCES auth.sessions (id) ON DELETE CASCADE,
  ADD COLUMN IF NOT EXISTS created_at timestamptz NOT NULL,
  ADD COLUMN IF NOT EXISTS updated_at timestamptz NOT NULL,
  ADD COLUMN IF NOT EXISTS authentication_method text NOT NULL,
  ADD COLUMN IF NOT EXISTS id uuid NOT NULL CONSTRAINT amr_id_pk PRIMARY KEY;
COMMENT ON TABLE auth.mfa_amr_claims IS 'auth: stores authenticator method reference claims for multi factor authentication';

-- auth.audit_log_entries ------------------------------------------------------------
CREATE TABLE IF NOT EXISTS auth.audit_log_entries (instance_id uuid);
ALTER TABLE auth.audit_log_entries
  ADD COLUMN IF NOT EXISTS instance_id uuid,
  ADD COLUMN IF NOT EXISTS id uuid NOT NULL CONSTRAINT audit_log_entries_pkey PRIMARY KEY,
  ADD COLUMN IF NOT EXISTS payload json,
  ADD COLUMN IF NOT EXISTS created_at timestamptz,
  ADD COLUMN IF NOT EXISTS ip_address varchar(64) NOT NULL DEFAULT ''::varchar;
CREATE INDEX IF NOT EXISTS audit_logs_instance_id_idx ON auth.audit_log_entries (instance_id);
COMMENT ON TABLE auth.audit_log_entries IS 'Auth: Audit trail for user actions.';

-- table-level constraints that cannot ride on a single column -----------------------
DO $constraints$
DECLARE
  c record;
BEGIN
  FOR c IN
    SELECT * FROM (VALUES
      ('auth.identities',     'identities_provider_id_provider_unique',           'UNIQUE (provider_id, provider)'),
      ('auth.mfa_amr_claims', 'mfa_amr_claims_session_id_authentication_method_pkey', 'UNIQUE (session_id, authentication_method)')
    ) AS v(tbl, conname, def)
  LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint
                   WHERE conrelid = c.tbl::regclass AND conname = c.conname) THEN
      EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.tbl, c.conname, c.def);
    END IF;
  END LOOP;
END
$constraints$;

-- RLS on, no policies: as on Supabase (only the owner/superuser and BYPASSRLS roles read them)
ALTER TABLE auth.users ENABLE ROW LEVEL SECURITY;
ALTER TABLE auth.identities ENABLE ROW LEVEL SECURITY;
ALTER TABLE auth.sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE auth.refresh_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE auth.mfa_factors ENABLE ROW LEVEL SECURITY;
ALTER TABLE auth.mfa_challenges ENABLE ROW LEVEL SECURITY;
ALTER TABLE auth.mfa_amr_claims ENABLE ROW LEVEL SECURITY;
ALTER TABLE auth.audit_log_entries ENABLE ROW LEVEL SECURITY;

-------------------------------------------------------------------------------
-- 5. auth: functions (same bodies' semantics as GoTrue's: the single-claim setting
--    wins, else the claims JSON; empty counts as unset; a non-UUID sub raises
--    "invalid input syntax for type uuid", just like on Supabase)
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION auth.uid()
RETURNS uuid
LANGUAGE sql STABLE
AS $fn$
  SELECT coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
  )::uuid
$fn$;

CREATE OR REPLACE FUNCTION auth.role()
RETURNS text
LANGUAGE sql STABLE
AS $fn$
  SELECT coalesce(
    nullif(current_setting('request.jwt.claim.role', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
  )::text
$fn$;

CREATE OR REPLACE FUNCTION auth.email()
RETURNS text
LANGUAGE sql STABLE
AS $fn$
  SELECT coalesce(
    nullif(current_setting('request.jwt.claim.email', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email')
  )::text
$fn$;

CREATE OR REPLACE FUNCTION auth.jwt()
RETURNS jsonb
LANGUAGE sql STABLE
AS $fn$
  SELECT coalesce(
    nullif(current_setting('request.jwt.claim', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')
  )::jsonb
$fn$;

COMMENT ON FUNCTION auth.uid() IS 'Deprecated. Use auth.jwt() -> ''sub'' instead.';
COMMENT ON FUNCTION auth.role() IS 'Deprecated. Use auth.jwt() -> ''role'' instead.';
COMMENT ON FUNCTION auth.email() IS 'Deprecated. Use auth.jwt() -> ''email'' instead.';

-------------------------------------------------------------------------------
-- 6. storage
-------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS storage.buckets (id text NOT NULL CONSTRAINT buckets_pkey PRIMARY KEY);
ALTER TABLE storage.buckets
  ADD COLUMN IF NOT EXISTS id text NOT NULL CONSTRAINT buckets_pkey PRIMARY KEY,
  ADD COLUMN IF NOT EXISTS name text NOT NULL,
  ADD COLUMN IF NOT EXISTS owner uuid,
  ADD COLUMN IF NOT EXISTS created_at timestamptz DEFAULT now(),
  ADD COLUMN IF NOT EXISTS updated_at timestamptz DEFAULT now(),
  ADD COLUMN IF NOT EXISTS public boolean DEFAULT false,
  ADD COLUMN IF NOT EXISTS avif_autodetection boolean DEFAULT false,
  ADD COLUMN IF NOT EXISTS file_size_limit bigint,
  ADD COLUMN IF NOT EXISTS allowed_mime_types text[],
  ADD COLUMN IF NOT EXISTS owner_id text;
CREATE UNIQUE INDEX IF NOT EXISTS bname ON storage.buckets (name);
COMMENT ON COLUMN storage.buckets.owner IS 'Field is deprecated, use owner_id instead';

CREATE TABLE IF NOT EXISTS storage.objects (id uuid NOT NULL DEFAULT gen_random_uuid() CONSTRAINT objects_pkey PRIMARY KEY);
ALTER TABLE storage.objects
  ADD COLUMN IF NOT EXISTS id uuid NOT NULL DEFAULT gen_random_uuid() CONSTRAINT objects_pkey PRIMARY KEY,
  ADD COLUMN IF NOT EXISTS bucket_id text
    CONSTRAINT "objects_bucketId_fkey" REFERENCES storage.buckets (id),
  ADD COLUMN IF NOT EXISTS name text,
  ADD COLUMN IF NOT EXISTS owner uuid,
  ADD COLUMN IF NOT EXISTS created_at timestamptz DEFAULT now(),
  ADD COLUMN IF NOT EXISTS updated_at timestamptz DEFAULT now(),
  ADD COLUMN IF NOT EXISTS last_accessed_at timestamptz DEFAULT now(),
  ADD COLUMN IF NOT EXISTS metadata jsonb;
ALTER TABLE storage.objects
  ADD COLUMN IF NOT EXISTS path_tokens text[] GENERATED ALWAYS AS (string_to_array(name, '/')) STORED,
  ADD COLUMN IF NOT EXISTS version text,
  ADD COLUMN IF NOT EXISTS owner_id text,
  ADD COLUMN IF NOT EXISTS user_metadata jsonb;
CREATE UNIQUE INDEX IF NOT EXISTS bucketid_objname ON storage.objects (bucket_id, name);
CREATE INDEX IF NOT EXISTS name_prefix_search ON storage.objects (name text_pattern_ops);
COMMENT ON COLUMN storage.objects.owner IS 'Field is deprecated, use owner_id instead';

ALTER TABLE storage.buckets ENABLE ROW LEVEL SECURITY;
ALTER TABLE storage.objects ENABLE ROW LEVEL SECURITY;

-- 'a/b/c.png' -> {a,b}; 'c.png' -> {}
CREATE OR REPLACE FUNCTION storage.foldername(name text)
RETURNS text[]
LANGUAGE sql IMMUTABLE
AS $fn$
  SELECT parts[1 : array_length(parts, 1) - 1]
  FROM (SELECT string_to_array(name, '/') AS parts) AS p
$fn$;

-- 'a/b/c.png' -> 'c.png'
CREATE OR REPLACE FUNCTION storage.filename(name text)
RETURNS text
LANGUAGE sql IMMUTABLE
AS $fn$
  SELECT parts[array_length(parts, 1)]
  FROM (SELECT string_to_array(name, '/') AS parts) AS p
$fn$;

-- 'a/b/c.tar.gz' -> 'gz' (text after the last dot of the file name; the whole file
-- name when it has no dot, as Supabase's)
CREATE OR REPLACE FUNCTION storage.extension(name text)
RETURNS text
LANGUAGE sql IMMUTABLE
AS $fn$
  SELECT reverse(split_part(reverse(parts[array_length(parts, 1)]), '.', 1))
  FROM (SELECT string_to_array(name, '/') AS parts) AS p
$fn$;

-------------------------------------------------------------------------------
-- 7. Realtime publication (empty, as on a new Supabase project)
-------------------------------------------------------------------------------
DO $realtime$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_publication WHERE pubname = 'supabase_realtime') THEN
    -- With wal_level < logical PostgreSQL warns; expected on a dev server.
    PERFORM set_config('client_min_messages', 'error', true);
    CREATE PUBLICATION supabase_realtime;
    PERFORM set_config('client_min_messages', 'warning', true);
  END IF;
END
$realtime$;

-------------------------------------------------------------------------------
-- 8. Grants, as on Supabase
-------------------------------------------------------------------------------
GRANT USAGE ON SCHEMA public TO postgres, anon, authenticated, service_role;
GRANT USAGE ON SCHEMA extensions TO postgres, anon, authenticated, service_role;
GRANT USAGE ON SCHEMA auth TO anon, authenticated, service_role;
GRANT USAGE ON SCHEMA storage TO postgres, anon, authenticated, service_role;

-- Objects that the migrating role (and postgres / supabase_admin, as on Supabase) will
-- create in public are readable and writable by the API roles; RLS decides the rows.
-- Nothing like this is set up for other schemas: Supabase grants nothing there.
DO $defaults$
DECLARE
  owner_role text;
BEGIN
  FOR owner_role IN
    SELECT DISTINCT r FROM unnest(ARRAY[current_user::text, 'postgres', 'supabase_admin']) AS r
    WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = r)
  LOOP
    EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public GRANT ALL ON TABLES TO anon, authenticated, service_role', owner_role);
    EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public GRANT ALL ON SEQUENCES TO anon, authenticated, service_role', owner_role);
    EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public GRANT ALL ON FUNCTIONS TO anon, authenticated, service_role', owner_role);
  END LOOP;
END
$defaults$;

-- Objects already in public get what the default privileges would have given them, but
-- only those whose privileges were never touched (NULL ACL): an explicit REVOKE made by
-- a migration is never undone, and a rerun changes nothing. Extension members are skipped.
DO $existing$
DECLARE
  o record;
BEGIN
  FOR o IN
    SELECT format('%s %s', CASE c.relkind WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, c.oid::regclass) AS target
    FROM pg_catalog.pg_class c
    WHERE c.relnamespace = 'public'::regnamespace
      AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
      AND c.relacl IS NULL
      AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                      WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
    UNION ALL
    SELECT format('%s %s', CASE p.prokind WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END, p.oid::regprocedure)
    FROM pg_catalog.pg_proc p
    WHERE p.pronamespace = 'public'::regnamespace
      AND p.prokind IN ('f', 'p', 'a', 'w')
      AND p.proacl IS NULL
      AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                      WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
  LOOP
    EXECUTE format('GRANT ALL ON %s TO anon, authenticated, service_role', o.target);
  END LOOP;
END
$existing$;

-- auth: the helper functions for everyone who evaluates policies; auth.users only to
-- service_role (on Supabase anon/authenticated cannot read auth.users either, so a
-- policy that selects from it fails for them there too).
GRANT EXECUTE ON FUNCTION auth.uid(), auth.role(), auth.email(), auth.jwt()
  TO postgres, anon, authenticated, service_role;
GRANT SELECT ON auth.users TO service_role;

-- storage: the API roles reach buckets and objects through RLS policies.
GRANT ALL ON storage.buckets, storage.objects TO anon, authenticated, service_role;
GRANT EXECUTE ON FUNCTION storage.foldername(text), storage.filename(text), storage.extension(text)
  TO postgres, anon, authenticated, service_role;

-------------------------------------------------------------------------------
-- 9. search_path: unqualified uuid_generate_v4() / gen_random_bytes() / crypt() must
--    resolve in user migrations. Database level for new sessions (kept if it already
--    names "extensions", otherwise extended), and the current session too.
-------------------------------------------------------------------------------
DO $search_path$
DECLARE
  db_path text;
  session_path text := current_setting('search_path');
BEGIN
  SELECT substr(cfg, length('search_path=') + 1) INTO db_path
  FROM pg_catalog.pg_db_role_setting s
  JOIN pg_catalog.pg_database d ON d.oid = s.setdatabase
  CROSS JOIN LATERAL unnest(s.setconfig) AS cfg
  WHERE d.datname = current_database() AND s.setrole = 0 AND cfg LIKE 'search_path=%';

  IF db_path IS NULL THEN
    db_path := '"$user", public, extensions';
  ELSIF NOT 'extensions' = ANY (string_to_array(replace(db_path, ' ', ''), ',')) THEN
    db_path := db_path || ', extensions';
  ELSE
    db_path := NULL;  -- already fine, leave it
  END IF;
  IF db_path IS NOT NULL THEN
    EXECUTE format('ALTER DATABASE %I SET search_path TO %s', current_database(), db_path);
  END IF;

  IF coalesce(btrim(session_path), '') = '' THEN
    PERFORM set_config('search_path', 'extensions', false);
  ELSIF NOT 'extensions' = ANY (string_to_array(replace(session_path, ' ', ''), ',')) THEN
    PERFORM set_config('search_path', session_path || ', extensions', false);
  END IF;
END
$search_path$;

-------------------------------------------------------------------------------
-- 10. Bookkeeping: which layer version is installed
-------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS strata_compat.layer (
  name         text PRIMARY KEY,
  version      int,
  installed_at timestamptz
);
INSERT INTO strata_compat.layer AS l (name, version, installed_at)
VALUES ('supabase', 1, now())
ON CONFLICT (name) DO UPDATE
  SET version = EXCLUDED.version, installed_at = EXCLUDED.installed_at
  WHERE l.version IS DISTINCT FROM EXCLUDED.version;

DO $unquiet$
BEGIN
  PERFORM set_config('client_min_messages',
                     coalesce(nullif(current_setting('strata_compat.saved_client_min_messages', true), ''), 'notice'),
                     true);
END
$unquiet$;
