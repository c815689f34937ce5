-- strata stand-ins for Supabase-only extensions and platform schemas.
--
-- What the hosted platform (and `supabase start`) has and Debian's PostgreSQL 15 cannot give:
-- pg_net, supabase_functions (database webhooks), supabase_vault, realtime, pgmq, pg_graphql,
-- pgsodium, pgjwt, http, wrappers, pg_tle, index_advisor. Each section below is a stand-in
-- with Supabase's names, signatures and return types, written by strata (no code of those
-- projects). They make migrations apply and let a test observe what the code asked for; they
-- never talk to the network, never encrypt, never broadcast. docs/local-database.md says what
-- each one does and does not do.
--
-- Installed only on strata's local database (or any database with
-- `strata compat install --stand-ins`): ops/stand_ins.cpp stores each section in
-- strata_compat.stand_in and `strata_compat.install_stand_in(extension, schema, quiet)` runs
-- the sections an extension needs. That is what a migration's CREATE EXTENSION of one of these
-- extensions becomes when the server lacks it.
--
-- Format: a line `-- @stand-in <extension> [requires <extension>,...] schema <default schema>`
-- starts a section, which runs until the next one; `-- @note <text>` in it is the one line
-- printed when a CREATE EXTENSION installs it. `@extschema@` is replaced by the quoted target
-- schema (the CREATE EXTENSION's SCHEMA, else the default). Every section must be idempotent and upgrade in place (IF NOT
-- EXISTS, OR REPLACE, catalog checks; never DROP), as the compat layer.
--
-- strata-stand-ins-version: 1

-- @stand-in pg_net schema net
-- @note requests are recorded in net.http_request_queue, never sent
-- pg_net: asynchronous HTTP. Here each call records the request in net.http_request_queue
-- (where pg_net queues it too) and returns its id; nothing is sent, so no row ever appears
-- in net._http_response unless a test inserts one.
CREATE SCHEMA IF NOT EXISTS net;
DO $t$
BEGIN
  IF to_regtype('net.request_status') IS NULL THEN
    CREATE TYPE net.request_status AS ENUM ('PENDING', 'SUCCESS', 'ERROR');
  END IF;
  IF to_regtype('net.http_response') IS NULL THEN
    CREATE TYPE net.http_response AS (status_code integer, headers jsonb, body text);
  END IF;
  IF to_regtype('net.http_response_result') IS NULL THEN
    CREATE TYPE net.http_response_result AS (status net.request_status, message text, response net.http_response);
  END IF;
END
$t$;
CREATE TABLE IF NOT EXISTS net.http_request_queue (
  id bigserial NOT NULL,
  method text NOT NULL,
  url text NOT NULL,
  headers jsonb NOT NULL,
  body bytea,
  timeout_milliseconds integer NOT NULL
);
-- strata: when the request was made (pg_net's queue has no such column).
ALTER TABLE net.http_request_queue ADD COLUMN IF NOT EXISTS created timestamptz NOT NULL DEFAULT now();
CREATE UNLOGGED TABLE IF NOT EXISTS net._http_response (
  id bigint,
  status_code integer,
  content_type text,
  headers jsonb,
  content text,
  timed_out boolean,
  error_msg text,
  created timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS _http_response_created_idx ON net._http_response (created);

-- The url must be http(s), as pg_net checks; params are appended as a query string.
CREATE OR REPLACE FUNCTION net._strata_record(method text, url text, params jsonb, headers jsonb,
                                              body bytea, timeout_milliseconds integer)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $fn$
DECLARE
  full_url text := url;
  query text;
  request_id bigint;
BEGIN
  IF url IS NULL OR url !~* '^https?://' THEN
    RAISE EXCEPTION 'net.http_%: url must start with http:// or https://, got %', lower(method), coalesce(url, 'NULL')
      USING ERRCODE = '22023';
  END IF;
  SELECT string_agg(pg_catalog.format('%s=%s', k, v), '&') INTO query
  FROM pg_catalog.jsonb_each_text(coalesce(params, '{}'::jsonb)) AS p(k, v);
  IF query IS NOT NULL THEN
    full_url := full_url || CASE WHEN full_url LIKE '%?%' THEN '&' ELSE '?' END || query;
  END IF;
  INSERT INTO net.http_request_queue (method, url, headers, body, timeout_milliseconds)
  VALUES (method, full_url, coalesce(headers, '{}'::jsonb), body, timeout_milliseconds)
  RETURNING id INTO request_id;
  RETURN request_id;
END
$fn$;

CREATE OR REPLACE FUNCTION net.http_get(
  url text,
  params jsonb DEFAULT '{}'::jsonb,
  headers jsonb DEFAULT '{}'::jsonb,
  timeout_milliseconds integer DEFAULT 5000)
RETURNS bigint
LANGUAGE sql
SECURITY DEFINER
SET search_path = ''
AS $fn$ SELECT net._strata_record('GET', url, params, headers, NULL, timeout_milliseconds) $fn$;

CREATE OR REPLACE FUNCTION net.http_post(
  url text,
  body jsonb DEFAULT '{}'::jsonb,
  params jsonb DEFAULT '{}'::jsonb,
  headers jsonb DEFAULT '{"Content-Type": "application/json"}'::jsonb,
  timeout_milliseconds integer DEFAULT 5000)
RETURNS bigint
LANGUAGE sql
SECURITY DEFINER
SET search_path = ''
AS $fn$
  SELECT net._strata_record('POST', url, params, headers,
                            pg_catalog.convert_to(body::text, 'UTF8'), timeout_milliseconds)
$fn$;

CREATE OR REPLACE FUNCTION net.http_delete(
  url text,
  params jsonb DEFAULT '{}'::jsonb,
  headers jsonb DEFAULT '{}'::jsonb,
  timeout_milliseconds integer DEFAULT 5000)
RETURNS bigint
LANGUAGE sql
SECURITY DEFINER
SET search_path = ''
AS $fn$ SELECT net._strata_record('DELETE', url, params, headers, NULL, timeout_milliseconds) $fn$;

-- Deprecated in pg_net, still called: the response of a request, which here never arrives.
CREATE OR REPLACE FUNCTION net.http_collect_response(request_id bigint, async boolean DEFAULT true)
RETURNS net.http_response_result
LANGUAGE sql
SECURITY DEFINER
SET search_path = ''
AS $fn$
  SELECT CASE WHEN r.id IS NULL
    THEN ROW('PENDING', 'request not sent: strata''s pg_net stand-in records requests only', NULL)::net.http_response_result
    ELSE ROW('SUCCESS', 'ok', ROW(r.status_code, r.headers, r.content)::net.http_response)::net.http_response_result
  END
  FROM (SELECT 1) AS one
  LEFT JOIN net._http_response r ON r.id = request_id
$fn$;

CREATE OR REPLACE FUNCTION net._await_response(request_id bigint)
RETURNS boolean
LANGUAGE sql
SET search_path = ''
AS $fn$ SELECT EXISTS (SELECT 1 FROM net._http_response WHERE id = request_id) $fn$;

GRANT USAGE ON SCHEMA net TO postgres, anon, authenticated, service_role;
GRANT EXECUTE ON FUNCTION net.http_get(text, jsonb, jsonb, integer),
                          net.http_post(text, jsonb, jsonb, jsonb, integer),
                          net.http_delete(text, jsonb, jsonb, integer)
  TO postgres, anon, authenticated, service_role;
REVOKE ALL ON FUNCTION net._strata_record(text, text, jsonb, jsonb, bytea, integer) FROM PUBLIC;
GRANT ALL ON net.http_request_queue, net._http_response TO postgres, service_role;

-- @stand-in supabase_functions requires pg_net schema supabase_functions
-- @note webhook calls are recorded in supabase_functions.hooks and net.http_request_queue, never sent
-- Database webhooks: `supabase_functions.http_request(url, method, headers, params, timeout_ms)`
-- as a trigger function, which sends the row through net.http_get/http_post and logs the
-- request in supabase_functions.hooks, as the platform's does.
CREATE SCHEMA IF NOT EXISTS supabase_functions;
CREATE TABLE IF NOT EXISTS supabase_functions.migrations (
  version text NOT NULL CONSTRAINT migrations_pkey PRIMARY KEY,
  inserted_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS supabase_functions.hooks (
  id bigserial NOT NULL CONSTRAINT hooks_pkey PRIMARY KEY,
  hook_table_id integer NOT NULL,
  hook_name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  request_id bigint
);
CREATE INDEX IF NOT EXISTS supabase_functions_hooks_request_id_idx ON supabase_functions.hooks (request_id);
CREATE INDEX IF NOT EXISTS supabase_functions_hooks_h_table_id_h_name_idx
  ON supabase_functions.hooks (hook_table_id, hook_name);
COMMENT ON TABLE supabase_functions.hooks IS 'Supabase Functions Hooks: Audit trail for triggered hooks.';

CREATE OR REPLACE FUNCTION supabase_functions.http_request()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = supabase_functions
AS $fn$
DECLARE
  url text := TG_ARGV[0];
  method text := upper(coalesce(TG_ARGV[1], 'POST'));
  headers jsonb := coalesce(nullif(TG_ARGV[2], ''), '{}')::jsonb;
  params jsonb := coalesce(nullif(TG_ARGV[3], ''), '{}')::jsonb;
  timeout_ms integer := coalesce(nullif(TG_ARGV[4], ''), '1000')::integer;
  payload jsonb;
  request_id bigint;
BEGIN
  IF url IS NULL OR url = 'null' THEN
    RAISE EXCEPTION 'supabase_functions.http_request: the trigger''s first argument must be the url';
  END IF;
  payload := jsonb_build_object(
    'old_record', CASE WHEN TG_OP IN ('UPDATE', 'DELETE') THEN to_jsonb(OLD) END,
    'record', CASE WHEN TG_OP IN ('INSERT', 'UPDATE') THEN to_jsonb(NEW) END,
    'type', TG_OP,
    'table', TG_TABLE_NAME,
    'schema', TG_TABLE_SCHEMA);
  IF method = 'GET' THEN
    request_id := net.http_get(url, params, headers, timeout_ms);
  ELSIF method = 'POST' THEN
    request_id := net.http_post(url, payload, params, headers, timeout_ms);
  ELSE
    RAISE EXCEPTION 'supabase_functions.http_request: method must be GET or POST, got %', method;
  END IF;
  INSERT INTO supabase_functions.hooks (hook_table_id, hook_name, request_id)
  VALUES (TG_RELID, TG_NAME, request_id);
  RETURN coalesce(NEW, OLD);
END
$fn$;

GRANT USAGE ON SCHEMA supabase_functions TO postgres, anon, authenticated, service_role;
GRANT ALL ON ALL TABLES IN SCHEMA supabase_functions TO postgres, service_role;
GRANT ALL ON ALL SEQUENCES IN SCHEMA supabase_functions TO postgres, service_role;

-- @stand-in supabase_vault schema vault
-- @note secrets are stored in vault.secrets NOT encrypted
-- supabase_vault: secrets by name. STORED IN CLEAR TEXT: vault.secrets.secret holds the
-- secret itself (on Supabase it holds the ciphertext), and vault.decrypted_secrets shows it.
CREATE SCHEMA IF NOT EXISTS vault;
CREATE TABLE IF NOT EXISTS vault.secrets (
  id uuid NOT NULL DEFAULT gen_random_uuid() CONSTRAINT secrets_pkey PRIMARY KEY,
  name text,
  description text NOT NULL DEFAULT '',
  secret text NOT NULL,
  key_id uuid,
  nonce bytea DEFAULT extensions.gen_random_bytes(16),
  created_at timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX IF NOT EXISTS secrets_name_idx ON vault.secrets (name) WHERE name IS NOT NULL;
COMMENT ON TABLE vault.secrets IS
  'Table with encrypted `secret` column for storing sensitive information on disk. strata stand-in: NOT encrypted here.';

CREATE OR REPLACE VIEW vault.decrypted_secrets AS
SELECT id, name, description, secret, secret AS decrypted_secret, key_id, nonce, created_at, updated_at
FROM vault.secrets;

CREATE OR REPLACE FUNCTION vault.create_secret(
  new_secret text,
  new_name text DEFAULT NULL,
  new_description text DEFAULT '',
  new_key_id uuid DEFAULT NULL)
RETURNS uuid
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $fn$
DECLARE
  rec_id uuid;
BEGIN
  INSERT INTO vault.secrets (secret, name, description, key_id)
  VALUES (new_secret, new_name, coalesce(new_description, ''), new_key_id)
  RETURNING id INTO rec_id;
  RETURN rec_id;
END
$fn$;

CREATE OR REPLACE FUNCTION vault.update_secret(
  secret_id uuid,
  new_secret text DEFAULT NULL,
  new_name text DEFAULT NULL,
  new_description text DEFAULT NULL,
  new_key_id uuid DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $fn$
BEGIN
  UPDATE vault.secrets s
  SET secret = coalesce(new_secret, s.secret),
      name = coalesce(new_name, s.name),
      description = coalesce(new_description, s.description),
      key_id = coalesce(new_key_id, s.key_id),
      updated_at = now()
  WHERE s.id = secret_id;
END
$fn$;

-- As on Supabase: only the owner and service_role reach the secrets.
REVOKE ALL ON vault.secrets, vault.decrypted_secrets FROM PUBLIC;
REVOKE ALL ON FUNCTION vault.create_secret(text, text, text, uuid),
                       vault.update_secret(uuid, text, text, text, uuid) FROM PUBLIC;
GRANT USAGE ON SCHEMA vault TO postgres, service_role;
GRANT SELECT, DELETE ON vault.secrets, vault.decrypted_secrets TO postgres, service_role;
GRANT EXECUTE ON FUNCTION vault.create_secret(text, text, text, uuid),
                          vault.update_secret(uuid, text, text, text, uuid) TO postgres, service_role;

-- @stand-in realtime schema realtime
-- @note messages are stored in realtime.messages, never broadcast
-- Realtime's database side: broadcast messages are rows of realtime.messages (RLS on, so
-- policies `ON realtime.messages ... USING (realtime.topic() = ...)` apply); realtime.send and
-- realtime.broadcast_changes insert them. Nothing is broadcast: no Realtime server runs here.
CREATE SCHEMA IF NOT EXISTS realtime;
CREATE TABLE IF NOT EXISTS realtime.messages (
  topic text NOT NULL,
  extension text NOT NULL,
  payload jsonb,
  event text,
  private boolean DEFAULT false,
  updated_at timestamp NOT NULL DEFAULT now(),
  inserted_at timestamp NOT NULL DEFAULT now(),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  CONSTRAINT messages_pkey PRIMARY KEY (id, inserted_at)
);
ALTER TABLE realtime.messages ENABLE ROW LEVEL SECURITY;

CREATE OR REPLACE FUNCTION realtime.topic()
RETURNS text
LANGUAGE sql STABLE
AS $fn$ SELECT nullif(current_setting('realtime.topic', true), '')::text $fn$;

CREATE OR REPLACE FUNCTION realtime.send(payload jsonb, event text, topic text, private boolean DEFAULT true)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $fn$
BEGIN
  INSERT INTO realtime.messages (payload, event, topic, private, extension)
  VALUES (payload, event, topic, private, 'broadcast');
END
$fn$;

CREATE OR REPLACE FUNCTION realtime.broadcast_changes(
  topic_name text, event_name text, operation text, table_name text, table_schema text,
  new record, old record, level text DEFAULT 'ROW')
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $fn$
DECLARE
  row_data jsonb := CASE WHEN operation IN ('INSERT', 'UPDATE') THEN to_jsonb(new) END;
  old_data jsonb := CASE WHEN operation IN ('UPDATE', 'DELETE') THEN to_jsonb(old) END;
BEGIN
  IF level = 'STATEMENT' THEN
    row_data := NULL;
    old_data := NULL;
  END IF;
  PERFORM realtime.send(
    jsonb_build_object('operation', operation, 'table', table_name, 'schema', table_schema,
                       'record', row_data, 'old_record', old_data),
    event_name, topic_name, true);
END
$fn$;

GRANT USAGE ON SCHEMA realtime TO postgres, anon, authenticated, service_role;
GRANT SELECT, INSERT, UPDATE ON realtime.messages TO postgres, anon, authenticated, service_role;
GRANT EXECUTE ON FUNCTION realtime.topic() TO postgres, anon, authenticated, service_role;

-- @stand-in pgmq schema pgmq
-- @note queues are plain tables in schema pgmq
-- pgmq: queues as tables, with pgmq's functions' names, arguments and results. Real enough for
-- tests: send, read with a visibility timeout, pop, archive, delete. Not: partitioned queues,
-- notifications, pgmq's metrics views.
CREATE SCHEMA IF NOT EXISTS pgmq;
DO $t$
BEGIN
  IF to_regtype('pgmq.message_record') IS NULL THEN
    CREATE TYPE pgmq.message_record AS (
      msg_id bigint, read_ct integer, enqueued_at timestamptz, vt timestamptz, message jsonb);
  END IF;
  IF to_regtype('pgmq.queue_record') IS NULL THEN
    CREATE TYPE pgmq.queue_record AS (
      queue_name varchar, is_partitioned boolean, is_unlogged boolean, created_at timestamptz);
  END IF;
END
$t$;
CREATE TABLE IF NOT EXISTS pgmq.meta (
  queue_name varchar NOT NULL CONSTRAINT meta_queue_name_key UNIQUE,
  is_partitioned boolean NOT NULL DEFAULT false,
  is_unlogged boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE OR REPLACE FUNCTION pgmq._strata_table(queue_name text, prefix text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE
AS $fn$
BEGIN
  IF queue_name IS NULL OR queue_name !~ '^[A-Za-z0-9_]+$' OR length(queue_name) > 47 THEN
    RAISE EXCEPTION 'queue name must be 1 to 47 letters, digits or underscores, got %', coalesce(queue_name, 'NULL')
      USING ERRCODE = '22023';
  END IF;
  RETURN pg_catalog.format('pgmq.%I', prefix || '_' || lower(queue_name));
END
$fn$;

CREATE OR REPLACE FUNCTION pgmq.create(queue_name text)
RETURNS void
LANGUAGE plpgsql
AS $fn$
DECLARE
  q text := pgmq._strata_table(queue_name, 'q');
  a text := pgmq._strata_table(queue_name, 'a');
BEGIN
  EXECUTE pg_catalog.format(
    'CREATE TABLE IF NOT EXISTS %s (msg_id bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY, '
    'read_ct integer NOT NULL DEFAULT 0, enqueued_at timestamptz NOT NULL DEFAULT now(), '
    'vt timestamptz NOT NULL, message jsonb)', q);
  EXECUTE pg_catalog.format(
    'CREATE TABLE IF NOT EXISTS %s (msg_id bigint PRIMARY KEY, read_ct integer NOT NULL DEFAULT 0, '
    'enqueued_at timestamptz NOT NULL DEFAULT now(), archived_at timestamptz NOT NULL DEFAULT now(), '
    'vt timestamptz NOT NULL, message jsonb)', a);
  INSERT INTO pgmq.meta (queue_name) VALUES (lower(queue_name)) ON CONFLICT DO NOTHING;
END
$fn$;

CREATE OR REPLACE FUNCTION pgmq.drop_queue(queue_name text)
RETURNS boolean
LANGUAGE plpgsql
AS $fn$
BEGIN
  EXECUTE 'DROP TABLE IF EXISTS ' || pgmq._strata_table(queue_name, 'q');
  EXECUTE 'DROP TABLE IF EXISTS ' || pgmq._strata_table(queue_name, 'a');
  DELETE FROM pgmq.meta m WHERE m.queue_name = lower(drop_queue.queue_name);
  RETURN FOUND;
END
$fn$;

CREATE OR REPLACE FUNCTION pgmq.list_queues()
RETURNS SETOF pgmq.queue_record
LANGUAGE sql
AS $fn$ SELECT queue_name, is_partitioned, is_unlogged, created_at FROM pgmq.meta ORDER BY queue_name $fn$;

CREATE OR REPLACE FUNCTION pgmq.send(queue_name text, msg jsonb, delay integer DEFAULT 0)
RETURNS SETOF bigint
LANGUAGE plpgsql
AS $fn$
BEGIN
  RETURN QUERY EXECUTE pg_catalog.format(
    'INSERT INTO %s (vt, message) VALUES (clock_timestamp() + make_interval(secs => $1), $2) RETURNING msg_id',
    pgmq._strata_table(queue_name, 'q')) USING delay, msg;
END
$fn$;

CREATE OR REPLACE FUNCTION pgmq.send_batch(queue_name text, msgs jsonb[], delay integer DEFAULT 0)
RETURNS SETOF bigint
LANGUAGE plpgsql
AS $fn$
BEGIN
  RETURN QUERY EXECUTE pg_catalog.format(
    'INSERT INTO %s (vt, message) SELECT clock_timestamp() + make_interval(secs => $1), m '
    'FROM unnest($2) WITH ORDINALITY AS t(m, n) ORDER BY n RETURNING msg_id',
    pgmq._strata_table(queue_name, 'q')) USING delay, msgs;
END
$fn$;

-- The oldest `qty` visible messages, made invisible for `vt` seconds and counted as read.
CREATE OR REPLACE FUNCTION pgmq.read(queue_name text, vt integer, qty integer)
RETURNS SETOF pgmq.message_record
LANGUAGE plpgsql
AS $fn$
BEGIN
  RETURN QUERY EXECUTE pg_catalog.format(
    'WITH c AS (SELECT msg_id FROM %1$s WHERE vt <= clock_timestamp() ORDER BY msg_id LIMIT $2 FOR UPDATE SKIP LOCKED) '
    'UPDATE %1$s m SET vt = clock_timestamp() + make_interval(secs => $1), read_ct = m.read_ct + 1 '
    'FROM c WHERE m.msg_id = c.msg_id RETURNING m.msg_id, m.read_ct, m.enqueued_at, m.vt, m.message',
    pgmq._strata_table(queue_name, 'q')) USING vt, qty;
END
$fn$;

CREATE OR REPLACE FUNCTION pgmq.pop(queue_name text)
RETURNS SETOF pgmq.message_record
LANGUAGE plpgsql
AS $fn$
BEGIN
  RETURN QUERY EXECUTE pg_catalog.format(
    'WITH c AS (SELECT msg_id FROM %1$s WHERE vt <= clock_timestamp() ORDER BY msg_id LIMIT 1 FOR UPDATE SKIP LOCKED) '
    'DELETE FROM %1$s m USING c WHERE m.msg_id = c.msg_id '
    'RETURNING m.msg_id, m.read_ct, m.enqueued_at, m.vt, m.message',
    pgmq._strata_table(queue_name, 'q'));
END
$fn$;

CREATE OR REPLACE FUNCTION pgmq.set_vt(queue_name text, msg_id bigint, vt integer)
RETURNS SETOF pgmq.message_record
LANGUAGE plpgsql
AS $fn$
BEGIN
  RETURN QUERY EXECUTE pg_catalog.format(
    'UPDATE %s SET vt = clock_timestamp() + make_interval(secs => $2) WHERE msg_id = $1 '
    'RETURNING msg_id, read_ct, enqueued_at, vt, message',
    pgmq._strata_table(queue_name, 'q')) USING msg_id, vt;
END
$fn$;

CREATE OR REPLACE FUNCTION pgmq.delete(queue_name text, msg_id bigint)
RETURNS boolean
LANGUAGE plpgsql
AS $fn$
DECLARE
  n bigint;
BEGIN
  EXECUTE pg_catalog.format('WITH d AS (DELETE FROM %s WHERE msg_id = $1 RETURNING 1) SELECT count(*) FROM d',
                            pgmq._strata_table(queue_name, 'q')) INTO n USING msg_id;
  RETURN n > 0;
END
$fn$;

CREATE OR REPLACE FUNCTION pgmq.delete(queue_name text, msg_ids bigint[])
RETURNS SETOF bigint
LANGUAGE plpgsql
AS $fn$
BEGIN
  RETURN QUERY EXECUTE pg_catalog.format('DELETE FROM %s WHERE msg_id = ANY($1) RETURNING msg_id',
                                         pgmq._strata_table(queue_name, 'q')) USING msg_ids;
END
$fn$;

CREATE OR REPLACE FUNCTION pgmq.archive(queue_name text, msg_ids bigint[])
RETURNS SETOF bigint
LANGUAGE plpgsql
AS $fn$
BEGIN
  RETURN QUERY EXECUTE pg_catalog.format(
    'WITH d AS (DELETE FROM %s WHERE msg_id = ANY($1) RETURNING msg_id, read_ct, enqueued_at, vt, message) '
    'INSERT INTO %s (msg_id, read_ct, enqueued_at, vt, message) '
    'SELECT msg_id, read_ct, enqueued_at, vt, message FROM d RETURNING msg_id',
    pgmq._strata_table(queue_name, 'q'), pgmq._strata_table(queue_name, 'a')) USING msg_ids;
END
$fn$;

CREATE OR REPLACE FUNCTION pgmq.archive(queue_name text, msg_id bigint)
RETURNS boolean
LANGUAGE sql
AS $fn$ SELECT EXISTS (SELECT 1 FROM pgmq.archive(queue_name, ARRAY[msg_id])) $fn$;

CREATE OR REPLACE FUNCTION pgmq.purge_queue(queue_name text)
RETURNS bigint
LANGUAGE plpgsql
AS $fn$
DECLARE
  n bigint;
BEGIN
  EXECUTE pg_catalog.format('WITH d AS (DELETE FROM %s RETURNING 1) SELECT count(*) FROM d',
                            pgmq._strata_table(queue_name, 'q')) INTO n;
  RETURN n;
END
$fn$;

GRANT USAGE ON SCHEMA pgmq TO postgres, service_role;

-- @stand-in pg_graphql schema graphql
-- @note graphql.resolve() answers with an error, there is no GraphQL engine
-- pg_graphql's entry points, so that grants and comments naming them apply. There is no
-- GraphQL engine here: every call answers with one error in GraphQL's response shape.
CREATE SCHEMA IF NOT EXISTS graphql;
CREATE SCHEMA IF NOT EXISTS graphql_public;
CREATE OR REPLACE FUNCTION graphql.resolve(
  query text, variables jsonb DEFAULT '{}'::jsonb, "operationName" text DEFAULT NULL,
  extensions jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE sql STABLE
AS $fn$
  SELECT jsonb_build_object('data', NULL, 'errors', jsonb_build_array(jsonb_build_object(
    'message', 'pg_graphql is not available on strata''s local database (stand-in)')))
$fn$;
CREATE OR REPLACE FUNCTION graphql_public.graphql(
  "operationName" text DEFAULT NULL, query text DEFAULT NULL, variables jsonb DEFAULT NULL,
  extensions jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE sql STABLE
AS $fn$ SELECT graphql.resolve(query, coalesce(variables, '{}'), "operationName", extensions) $fn$;
CREATE OR REPLACE FUNCTION graphql.comment_directive(comment_ text)
RETURNS jsonb
LANGUAGE sql IMMUTABLE
AS $fn$
  SELECT CASE WHEN comment_ ~ '^\s*@graphql\(' THEN
    substring(comment_ FROM '@graphql\((.*)\)')::jsonb END
$fn$;
GRANT USAGE ON SCHEMA graphql, graphql_public TO postgres, anon, authenticated, service_role;
GRANT EXECUTE ON FUNCTION graphql.resolve(text, jsonb, text, jsonb),
                          graphql_public.graphql(text, text, jsonb, jsonb)
  TO postgres, anon, authenticated, service_role;

-- @stand-in pgsodium schema pgsodium
-- @note schema and key table only, nothing is encrypted
-- pgsodium: the schema and the key table only, so grants and FKs that name them apply.
-- No encryption, no transparent column encryption, no server key.
CREATE SCHEMA IF NOT EXISTS pgsodium;
CREATE TABLE IF NOT EXISTS pgsodium.key (
  id uuid NOT NULL DEFAULT gen_random_uuid() CONSTRAINT key_pkey PRIMARY KEY,
  status text DEFAULT 'valid',
  created timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP,
  expires timestamptz,
  key_type text,
  key_id bigint,
  key_context bytea DEFAULT '\x7067736f6469756d'::bytea,
  name text CONSTRAINT key_name_key UNIQUE,
  associated_data text DEFAULT 'associated',
  raw_key bytea,
  raw_key_nonce bytea,
  parent_key uuid,
  comment text,
  user_data text
);
CREATE OR REPLACE FUNCTION pgsodium.randombytes_buf(size integer)
RETURNS bytea
LANGUAGE sql VOLATILE
AS $fn$ SELECT extensions.gen_random_bytes(size) $fn$;
CREATE OR REPLACE FUNCTION pgsodium.create_key(
  key_type text DEFAULT 'aead-det', name text DEFAULT NULL, raw_key bytea DEFAULT NULL,
  raw_key_nonce bytea DEFAULT NULL, parent_key uuid DEFAULT NULL,
  key_context bytea DEFAULT '\x7067736f6469756d'::bytea, expires timestamptz DEFAULT NULL,
  associated_data text DEFAULT '')
RETURNS pgsodium.key
LANGUAGE sql
AS $fn$
  INSERT INTO pgsodium.key (key_type, name, raw_key, raw_key_nonce, parent_key, key_context, expires, associated_data)
  VALUES (key_type, name, raw_key, raw_key_nonce, parent_key, key_context, expires, associated_data)
  RETURNING *
$fn$;

-- @stand-in pgjwt schema extensions
-- @note sign() and verify() work, HS256/384/512 over pgcrypto
-- pgjwt: HS256/384/512 JSON web tokens, for real (pgcrypto's hmac), in the target schema.
CREATE OR REPLACE FUNCTION @extschema@.url_encode(data bytea)
RETURNS text
LANGUAGE sql IMMUTABLE
AS $fn$ SELECT translate(encode(data, 'base64'), E'+/=\n', '-_') $fn$;

CREATE OR REPLACE FUNCTION @extschema@.url_decode(data text)
RETURNS bytea
LANGUAGE sql IMMUTABLE
AS $fn$
  WITH t AS (SELECT translate(data, '-_', '+/') AS trans),
       rem AS (SELECT length(t.trans) % 4 AS remainder FROM t)
  SELECT decode(t.trans || CASE WHEN rem.remainder > 0 THEN repeat('=', 4 - rem.remainder) ELSE '' END, 'base64')
  FROM t, rem
$fn$;

CREATE OR REPLACE FUNCTION @extschema@.algorithm_sign(signables text, secret text, algorithm text)
RETURNS text
LANGUAGE sql IMMUTABLE
AS $fn$
  WITH alg AS (SELECT CASE WHEN algorithm = 'HS256' THEN 'sha256'
                           WHEN algorithm = 'HS384' THEN 'sha384'
                           WHEN algorithm = 'HS512' THEN 'sha512'
                           ELSE '' END AS id)
  SELECT @extschema@.url_encode(extensions.hmac(signables, secret, alg.id)) FROM alg
$fn$;

CREATE OR REPLACE FUNCTION @extschema@.sign(payload json, secret text, algorithm text DEFAULT 'HS256')
RETURNS text
LANGUAGE sql IMMUTABLE
AS $fn$
  WITH header AS (
         SELECT @extschema@.url_encode(convert_to('{"alg":"' || algorithm || '","typ":"JWT"}', 'utf8')) AS data),
       body AS (SELECT @extschema@.url_encode(convert_to(payload::text, 'utf8')) AS data),
       signables AS (SELECT header.data || '.' || body.data AS data FROM header, body)
  SELECT signables.data || '.' || @extschema@.algorithm_sign(signables.data, secret, algorithm)
  FROM signables
$fn$;

CREATE OR REPLACE FUNCTION @extschema@.try_cast_double(inp text)
RETURNS double precision
LANGUAGE plpgsql IMMUTABLE
AS $fn$
BEGIN
  RETURN inp::double precision;
EXCEPTION WHEN others THEN
  RETURN NULL;
END
$fn$;

CREATE OR REPLACE FUNCTION @extschema@.verify(token text, secret text, algorithm text DEFAULT 'HS256')
RETURNS TABLE (header json, payload json, valid boolean)
LANGUAGE sql IMMUTABLE
AS $fn$
  SELECT jwt.header AS header,
         jwt.payload AS payload,
         jwt.signature_ok
           AND tstzrange(to_timestamp(@extschema@.try_cast_double(jwt.payload ->> 'nbf')),
                         to_timestamp(@extschema@.try_cast_double(jwt.payload ->> 'exp')))
               @> CURRENT_TIMESTAMP AS valid
  FROM (SELECT convert_from(@extschema@.url_decode(r[1]), 'utf8')::json AS header,
               convert_from(@extschema@.url_decode(r[2]), 'utf8')::json AS payload,
               r[3] = @extschema@.algorithm_sign(r[1] || '.' || r[2], secret, algorithm) AS signature_ok
        FROM regexp_split_to_array(token, '\.') AS r) AS jwt
$fn$;

-- @stand-in http schema extensions
-- @note calls are recorded in strata_compat.http_requests and answered with status 503, never sent
-- pgsql-http (synchronous HTTP): the types and functions, in the target schema. Calls are
-- recorded in strata_compat.http_requests and answered with status 503 and an empty body:
-- nothing is sent.
CREATE TABLE IF NOT EXISTS strata_compat.http_requests (
  id bigserial PRIMARY KEY,
  method text NOT NULL,
  uri text NOT NULL,
  headers jsonb,
  content_type text,
  content text,
  created timestamptz NOT NULL DEFAULT now()
);
DO $t$
BEGIN
  IF to_regtype('@extschema@.http_header') IS NULL THEN
    CREATE TYPE @extschema@.http_header AS (field varchar, value varchar);
  END IF;
  IF to_regtype('@extschema@.http_method') IS NULL THEN
    CREATE DOMAIN @extschema@.http_method AS text;
  END IF;
  IF to_regtype('@extschema@.http_request') IS NULL THEN
    CREATE TYPE @extschema@.http_request AS (
      method @extschema@.http_method, uri varchar, headers @extschema@.http_header[],
      content_type varchar, content varchar);
  END IF;
  IF to_regtype('@extschema@.http_response') IS NULL THEN
    CREATE TYPE @extschema@.http_response AS (
      status integer, content_type varchar, headers @extschema@.http_header[], content varchar);
  END IF;
END
$t$;
CREATE OR REPLACE FUNCTION @extschema@.http_header(field varchar, value varchar)
RETURNS @extschema@.http_header
LANGUAGE sql IMMUTABLE
AS $fn$ SELECT ROW(field, value)::@extschema@.http_header $fn$;

CREATE OR REPLACE FUNCTION @extschema@.http(request @extschema@.http_request)
RETURNS @extschema@.http_response
LANGUAGE plpgsql
AS $fn$
BEGIN
  INSERT INTO strata_compat.http_requests (method, uri, headers, content_type, content)
  VALUES (upper(request.method), request.uri, to_jsonb(request.headers), request.content_type, request.content);
  RETURN ROW(503, 'text/plain', ARRAY[]::@extschema@.http_header[], '')::@extschema@.http_response;
END
$fn$;
CREATE OR REPLACE FUNCTION @extschema@.http_get(uri varchar)
RETURNS @extschema@.http_response LANGUAGE sql
AS $fn$ SELECT @extschema@.http(ROW('GET', uri, NULL, NULL, NULL)::@extschema@.http_request) $fn$;
CREATE OR REPLACE FUNCTION @extschema@.http_get(uri varchar, data jsonb)
RETURNS @extschema@.http_response LANGUAGE sql
AS $fn$
  SELECT @extschema@.http(ROW('GET', uri || '?' || coalesce((SELECT string_agg(k || '=' || v, '&')
                                                           FROM jsonb_each_text(data) AS p(k, v)), ''),
                              NULL, NULL, NULL)::@extschema@.http_request)
$fn$;
CREATE OR REPLACE FUNCTION @extschema@.http_post(uri varchar, content varchar, content_type varchar)
RETURNS @extschema@.http_response LANGUAGE sql
AS $fn$ SELECT @extschema@.http(ROW('POST', uri, NULL, content_type, content)::@extschema@.http_request) $fn$;
CREATE OR REPLACE FUNCTION @extschema@.http_post(uri varchar, data jsonb)
RETURNS @extschema@.http_response LANGUAGE sql
AS $fn$ SELECT @extschema@.http(ROW('POST', uri, NULL, 'application/json', data::text)::@extschema@.http_request) $fn$;
CREATE OR REPLACE FUNCTION @extschema@.http_put(uri varchar, content varchar, content_type varchar)
RETURNS @extschema@.http_response LANGUAGE sql
AS $fn$ SELECT @extschema@.http(ROW('PUT', uri, NULL, content_type, content)::@extschema@.http_request) $fn$;
CREATE OR REPLACE FUNCTION @extschema@.http_patch(uri varchar, content varchar, content_type varchar)
RETURNS @extschema@.http_response LANGUAGE sql
AS $fn$ SELECT @extschema@.http(ROW('PATCH', uri, NULL, content_type, content)::@extschema@.http_request) $fn$;
CREATE OR REPLACE FUNCTION @extschema@.http_delete(uri varchar)
RETURNS @extschema@.http_response LANGUAGE sql
AS $fn$ SELECT @extschema@.http(ROW('DELETE', uri, NULL, NULL, NULL)::@extschema@.http_request) $fn$;
CREATE OR REPLACE FUNCTION @extschema@.http_head(uri varchar)
RETURNS @extschema@.http_response LANGUAGE sql
AS $fn$ SELECT @extschema@.http(ROW('HEAD', uri, NULL, NULL, NULL)::@extschema@.http_request) $fn$;
CREATE OR REPLACE FUNCTION @extschema@.urlencode(string varchar)
RETURNS text LANGUAGE sql IMMUTABLE
AS $fn$
  SELECT string_agg(CASE WHEN ch ~ '[A-Za-z0-9._~-]' THEN ch
                         ELSE upper(regexp_replace(encode(convert_to(ch, 'utf8'), 'hex'), '(..)', '%\1', 'g')) END, '')
  FROM regexp_split_to_table(string, '') AS ch
$fn$;

-- @stand-in wrappers schema extensions
-- @note foreign data wrappers themselves cannot run here
-- wrappers (Supabase's foreign data wrappers) are native code: nothing can stand in for them.
-- CREATE EXTENSION succeeds so that the migration that only enables it applies; a later
-- CREATE FOREIGN DATA WRAPPER ... HANDLER <x>_fdw_handler stops with an error that names
-- wrappers and what to do.
SELECT 1;

-- @stand-in pg_tle schema pgtle
-- @note pgtle.install_extension() records the extension and installs nothing
-- pg_tle: the pgtle schema and install_extension, which records the extension it was given
-- in strata_compat.tle_extensions and does not install it.
CREATE SCHEMA IF NOT EXISTS pgtle;
CREATE TABLE IF NOT EXISTS strata_compat.tle_extensions (
  name text NOT NULL,
  version text NOT NULL,
  description text,
  ext text,
  requires text[],
  PRIMARY KEY (name, version)
);
CREATE OR REPLACE FUNCTION pgtle.install_extension(
  name text, version text, description text, ext text, requires text[] DEFAULT NULL)
RETURNS boolean
LANGUAGE sql
AS $fn$
  INSERT INTO strata_compat.tle_extensions VALUES (name, version, description, ext, requires)
  ON CONFLICT DO NOTHING
  RETURNING true
$fn$;

-- @stand-in index_advisor schema extensions
-- @note index_advisor() answers that no advice is available
-- index_advisor: the function, answering that no advice is available here.
CREATE OR REPLACE FUNCTION @extschema@.index_advisor(query text)
RETURNS TABLE (startup_cost_before jsonb, startup_cost_after jsonb, total_cost_before jsonb,
               total_cost_after jsonb, index_statements text[], errors text[])
LANGUAGE sql
AS $fn$
  SELECT NULL::jsonb, NULL::jsonb, NULL::jsonb, NULL::jsonb, ARRAY[]::text[],
         ARRAY['index_advisor is not available on strata''s local database (stand-in)']
$fn$;
