// Installing the embedded supabase_compat.sql and stand_ins.sql, each once per version.
#include "ops/compat.hpp"

#include <fmt/format.h>

#include <sstream>
#include <string>
#include <string_view>

#include "util/text.hpp"

namespace strata {
namespace embedded {
extern const std::string_view compat_sql;
extern const std::string_view stand_ins_sql;
}  // namespace embedded

static int version_tag(std::string_view sql, std::string_view tag) {
  size_t p = sql.find(tag);
  if (p == std::string_view::npos) return 0;
  return std::stoi(std::string(sql.substr(p + tag.size(), 8)));
}

int compat_layer_version() {
  return version_tag(embedded::compat_sql, "strata-compat-version:");
}

int stand_ins_version() {
  return version_tag(embedded::stand_ins_sql, "strata-stand-ins-version:");
}

static int installed_version(db::Connection& conn, const std::string& name) {
  if (conn.exec("SELECT to_regclass('strata_compat.layer') IS NOT NULL").get(0, 0) != "t") return 0;
  auto have = conn.exec_params(
      "SELECT coalesce(max(version), 0) FROM strata_compat.layer WHERE name = $1", {name});
  return std::stoi(have.get(0, 0));
}

bool install_compat_layer(db::Connection& conn, bool force) {
  // The layer is idempotent, so reinstalling is safe; skip it when current to keep starts fast.
  if (!force && installed_version(conn, "supabase") >= compat_layer_version()) return false;
  db::in_transaction(conn, [&] { conn.exec(embedded::compat_sql); });
  return true;
}

std::vector<StandInSection> stand_in_sections() {
  std::vector<StandInSection> out;
  std::istringstream in{std::string(embedded::stand_ins_sql)};
  std::string line;
  const std::string head = "-- @stand-in ", note = "-- @note ";
  while (std::getline(in, line)) {
    if (line.starts_with(head)) {
      StandInSection s;
      std::istringstream words(line.substr(head.size()));
      words >> s.extension;
      std::string w;
      while (words >> w) {
        std::string value;
        words >> value;
        if (w == "schema") s.schema = value;
        if (w == "requires") {
          std::stringstream list(value);
          for (std::string r; std::getline(list, r, ',');) s.requires_.push_back(r);
        }
      }
      out.push_back(std::move(s));
    } else if (!out.empty()) {
      if (line.starts_with(note) && out.back().note.empty())
        out.back().note = trim(line.substr(note.size()));
      else
        out.back().sql += line + "\n";
    }
  }
  return out;
}

const std::vector<std::string>& preinstalled_stand_ins() {
  static const std::vector<std::string> names = {"pg_net", "supabase_functions", "supabase_vault",
                                                 "realtime", "pg_graphql"};
  return names;
}

// The function a CREATE EXTENSION becomes. It runs the requirements (quietly), then the
// section with @extschema@ replaced, records the stand-in in strata_compat.layer and, unless
// quiet, prints one WARNING line (the CLI shows the server's warnings).
static const char* install_function_sql = R"sql(
CREATE OR REPLACE FUNCTION strata_compat.install_stand_in(
  extension text, target_schema text DEFAULT NULL, quiet boolean DEFAULT false)
RETURNS void
LANGUAGE plpgsql
AS $fn$
DECLARE
  s strata_compat.stand_in;
  dep text;
  saved text := current_setting('client_min_messages');
BEGIN
  SELECT * INTO s FROM strata_compat.stand_in AS si WHERE si.extension = install_stand_in.extension;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'strata has no stand-in for extension "%"', extension;
  END IF;
  FOREACH dep IN ARRAY s.requires LOOP
    PERFORM strata_compat.install_stand_in(dep, NULL, true);
  END LOOP;
  PERFORM set_config('client_min_messages', 'warning', true);
  IF position('@extschema@' IN s.sql) > 0 THEN
    target_schema := coalesce(target_schema, s.default_schema);
    EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I', target_schema);
  ELSE
    target_schema := s.default_schema;
  END IF;
  EXECUTE replace(s.sql, '@extschema@', quote_ident(target_schema));
  PERFORM set_config('client_min_messages', saved, true);
  INSERT INTO strata_compat.layer AS l (name, version, installed_at)
  VALUES ('stand-in:' || extension, s.version, now())
  ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version, installed_at = EXCLUDED.installed_at;
  IF NOT quiet THEN
    RAISE WARNING '% is not available on this server: strata installed its stand-in in schema % (%; see docs/local-database.md)',
      extension, target_schema, s.note;
  END IF;
END
$fn$;
COMMENT ON FUNCTION strata_compat.install_stand_in(text, text, boolean) IS
  'strata: what CREATE EXTENSION of a Supabase-only extension runs on a database with stand-ins';
)sql";

bool install_stand_ins(db::Connection& conn, bool force) {
  install_compat_layer(conn);
  if (!force && installed_version(conn, "stand-ins") >= stand_ins_version()) return false;
  const int version = stand_ins_version();
  db::in_transaction(conn, [&] {
    conn.exec(
        "SET LOCAL client_min_messages = warning; "
        "CREATE TABLE IF NOT EXISTS strata_compat.stand_in ("
        " extension text PRIMARY KEY, requires text[] NOT NULL DEFAULT '{}',"
        " default_schema text NOT NULL, note text NOT NULL DEFAULT '', sql text NOT NULL,"
        " version int NOT NULL)");
    for (const auto& s : stand_in_sections()) {
      std::string requires_list = "{";
      for (size_t i = 0; i < s.requires_.size(); ++i)
        requires_list += (i ? "," : "") + s.requires_[i];
      requires_list += "}";
      conn.exec_params(
          "INSERT INTO strata_compat.stand_in (extension, requires, default_schema, note, sql, "
          "version) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (extension) DO UPDATE SET "
          "requires = EXCLUDED.requires, default_schema = EXCLUDED.default_schema, note = "
          "EXCLUDED.note, sql = EXCLUDED.sql, version = EXCLUDED.version",
          {s.extension, requires_list, s.schema.empty() ? "public" : s.schema, s.note, s.sql,
           std::to_string(version)});
    }
    conn.exec(install_function_sql);
    conn.exec(
        "REVOKE ALL ON FUNCTION strata_compat.install_stand_in(text, text, boolean) FROM PUBLIC");
    for (const auto& name : preinstalled_stand_ins())
      conn.exec_params("SELECT strata_compat.install_stand_in($1, NULL, true)", {name});
    conn.exec_params(
        "INSERT INTO strata_compat.layer AS l (name, version, installed_at) VALUES ('stand-ins', "
        "$1, now()) ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version, installed_at = "
        "EXCLUDED.installed_at",
        {std::to_string(version)});
  });
  return true;
}

bool install_local_layers(const Project& project, db::Connection& conn, bool force) {
  if (!project.local.compat) return false;
  bool a = install_compat_layer(conn, force);
  bool b = install_stand_ins(conn, force);
  return a || b;
}

}  // namespace strata
