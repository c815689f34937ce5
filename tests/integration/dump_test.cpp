// Integration tests: `strata db dump` (user schemas only, roles without passwords), `strata db
// restore` (a dump restored into an empty database equals the original; non-local needs
// --force) and `strata up --backup` (the backup is written before the first migration; a failed
// backup applies nothing), against the suite's real PostgreSQL 15.
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "fixture.hpp"

namespace fs = std::filesystem;
using namespace strata::testing;

namespace {

// A small Supabase-style project: two user schemas, an enum, identity and serial keys, foreign
// keys (one to auth.users), RLS with a policy, a trigger function, a view, an extension type,
// comments, grants and rows with awkward text.
const char* kMigration1 = R"(create extension if not exists citext with schema extensions;
create schema app;
create type app.mood as enum ('ok', 'bad');
create table public.items (
  id bigint generated always as identity primary key,
  name extensions.citext not null,
  owner uuid references auth.users (id),
  mood app.mood default 'ok');
create table app.notes (id serial primary key, item bigint references public.items (id), body text);
alter table public.items enable row level security;
create policy "own items" on public.items for select to authenticated using (true);
comment on table public.items is 'things';
create function app.touch() returns trigger language plpgsql as $$
begin
  new.body := coalesce(new.body, '');
  return new;
end $$;
create trigger notes_touch before insert on app.notes for each row execute function app.touch();
create view app.item_names as select id, name from public.items;
insert into public.items (name) values ('a'), ('b'), ('c');
insert into app.notes (item, body) values (1, E'CREATE SCHEMA "x";\nsecond line'), (2, 'tab\there');
)";

std::string pg_bin(const std::string& program) {
  return "/usr/lib/postgresql/15/bin/" + program;
}

// pg_dump -s of everything but the history schemas, without pg_dump's random \restrict keys.
std::string schema_of(const std::string& url) {
  auto r = strata::run_process(
      {pg_bin("pg_dump"), "-s", "-N", "strata", "-N", "supabase_migrations", url});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  std::istringstream in(r.output);
  std::string out, line;
  while (std::getline(in, line))
    if (!line.starts_with("\\restrict") && !line.starts_with("\\unrestrict")) out += line + "\n";
  return out;
}

class Dump : public DbTest {
 protected:
  // Another empty database with the compat layer (the auth schema the dump's foreign key needs).
  std::string other_database() { return extra_database("copy", true); }
  void project_with_rows() {
    ASSERT_EQ(strata({"compat", "install"}).exit_code, 0);
    write("supabase/migrations/001_init.sql", kMigration1);
    auto up = strata({"up"});
    ASSERT_EQ(up.exit_code, 0) << up.output;
  }
  std::string count(const std::string& table, const std::string& on_url) const {
    auto c = strata::db::Connection::open(on_url);
    return c.exec("select count(*) from " + table).get(0, 0);
  }
};

TEST_F(Dump, RestoredIntoAnEmptyDatabaseEqualsTheOriginal) {
  project_with_rows();
  fs::path file = project / "dump.sql";
  auto d = strata({"db", "dump", "-f", file.string()});
  ASSERT_EQ(d.exit_code, 0) << d.output;
  EXPECT_NE(d.output.find("Dumped 2 schema(s)"), std::string::npos) << d.output;
  std::string copy = other_database();
  auto r = strata_on(copy, {"db", "restore", file.string(), "--force"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(schema_of(copy), schema_of(url));
  for (const char* t : {"public.items", "app.notes"}) EXPECT_EQ(count(t, copy), count(t, url)) << t;
  EXPECT_EQ(count("public.items", copy), "3");
  // Rows and sequences came back as they were.
  auto c = strata::db::Connection::open(copy);
  EXPECT_EQ(c.exec("select body from app.notes where id = 1").get(0, 0),
            "CREATE SCHEMA \"x\";\nsecond line");
  EXPECT_EQ(c.exec("insert into public.items (name) values ('d') returning id").get(0, 0), "4");
  // The history is not part of a dump: the copy has none.
  EXPECT_EQ(c.exec("select to_regclass('strata.migrations') is null").get(0, 0), "t");
}

TEST_F(Dump, SchemaThenDataDumpsRestoreLikeOneFullDump) {
  // The Supabase CLI's backup recipe: roles, schema and data as separate files.
  project_with_rows();
  fs::path schema = project / "schema.sql", data = project / "data.sql";
  ASSERT_EQ(strata({"db", "dump", "--schema-only", "-f", schema.string()}).exit_code, 0);
  ASSERT_EQ(strata({"db", "dump", "--data-only", "-f", data.string()}).exit_code, 0);
  std::string copy = other_database();
  auto rs = strata_on(copy, {"db", "restore", schema.string(), "--force"});
  ASSERT_EQ(rs.exit_code, 0) << rs.output;
  EXPECT_EQ(count("public.items", copy), "0");
  auto rd = strata_on(copy, {"db", "restore", data.string(), "--force"});
  ASSERT_EQ(rd.exit_code, 0) << rd.output;
  EXPECT_EQ(schema_of(copy), schema_of(url));
  for (const char* t : {"public.items", "app.notes"}) EXPECT_EQ(count(t, copy), count(t, url)) << t;
  // --use-copy: the same rows as COPY blocks.
  auto copy_rows = strata({"db", "dump", "--data-only", "--use-copy"});
  ASSERT_EQ(copy_rows.exit_code, 0) << copy_rows.output;
  EXPECT_NE(copy_rows.output.find("COPY \"public\".\"items\""), std::string::npos);
  EXPECT_EQ(copy_rows.output.find("INSERT INTO"), std::string::npos);
}

TEST_F(Dump, LeavesOutPlatformSchemasHistoryAndExtensionObjects) {
  project_with_rows();
  auto d = strata({"db", "dump", "--schema-only"});
  ASSERT_EQ(d.exit_code, 0) << d.output;
  const std::string& sql = d.output;
  EXPECT_NE(sql.find("CREATE TABLE \"public\".\"items\""), std::string::npos) << sql;
  EXPECT_NE(sql.find("CREATE TABLE \"app\".\"notes\""), std::string::npos);
  EXPECT_NE(sql.find("CREATE POLICY \"own items\""), std::string::npos);
  for (const char* absent :
       {"\"auth\".\"users\" (", "CREATE SCHEMA IF NOT EXISTS \"auth\"",
        "CREATE SCHEMA IF NOT EXISTS \"storage\"", "\"strata\".", "\"supabase_migrations\"",
        "strata_compat", "INSERT INTO", "COPY \"public\"", "FUNCTION \"extensions\".\"citext"})
    EXPECT_EQ(sql.find(absent), std::string::npos) << absent;
  // The extension its column type needs is created, not its member objects.
  EXPECT_NE(sql.find("CREATE EXTENSION IF NOT EXISTS \"citext\" WITH SCHEMA \"extensions\""),
            std::string::npos);
  // --schema narrows; a schema that does not exist is a usage error.
  auto app = strata({"db", "dump", "--schema-only", "--schema", "app"});
  ASSERT_EQ(app.exit_code, 0) << app.output;
  EXPECT_NE(app.output.find("CREATE TABLE \"app\".\"notes\""), std::string::npos);
  EXPECT_EQ(app.output.find("CREATE TABLE \"public\".\"items\""), std::string::npos);
  auto none = strata({"db", "dump", "--schema", "nosuch"});
  EXPECT_EQ(none.exit_code, 2) << none.output;
  // --data-only: rows as INSERT statements, no DDL.
  auto data = strata({"db", "dump", "--data-only"});
  ASSERT_EQ(data.exit_code, 0) << data.output;
  EXPECT_NE(data.output.find("INSERT INTO \"public\".\"items\""), std::string::npos);
  EXPECT_EQ(data.output.find("CREATE TABLE"), std::string::npos);
  EXPECT_EQ(data.output.find("\"strata\".\"migrations\""), std::string::npos);
}

TEST_F(Dump, RoleOnlyHasTheUsersRolesWithoutPasswords) {
  ASSERT_EQ(strata({"compat", "install"}).exit_code, 0);
  auto c = connect();
  c.exec(
      "drop role if exists dump_t_login; drop role if exists dump_t_reader;"
      "create role dump_t_reader nologin; create role dump_t_login login password 'hunter2-s3cret';"
      "grant dump_t_reader to dump_t_login; grant authenticated to dump_t_login;");
  fs::path roles = project / "roles.sql";
  auto f = strata({"db", "dump", "--role-only", "-f", roles.string()});
  auto d = strata({"db", "dump", "--role-only"});
  c.exec("drop role dump_t_login; drop role dump_t_reader");
  ASSERT_EQ(d.exit_code, 0) << d.output;
  ASSERT_EQ(f.exit_code, 0) << f.output;
  // The roles dump restores: the roles and the membership come back (without a password).
  // Roles are cluster-wide and other tests leave theirs: restore only this test's lines.
  {
    std::ifstream in(roles);
    std::string line, kept;
    while (std::getline(in, line)) {
      bool about_a_role =
          line.find("ROLE") != std::string::npos || line.find("GRANT") != std::string::npos;
      if (!about_a_role || line.find("dump_t_") != std::string::npos) kept += line + "\n";
    }
    std::ofstream(roles) << kept;
  }
  auto r = strata({"db", "restore", roles.string(), "--force"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(query_value("select count(*) from pg_auth_members m join pg_roles a on a.oid = "
                        "m.roleid join pg_roles b on b.oid = m.member where a.rolname = "
                        "'dump_t_reader' and b.rolname = 'dump_t_login'"),
            "1");
  EXPECT_EQ(query_value("select rolcanlogin from pg_roles where rolname = 'dump_t_login'"), "t");
  c.exec("drop role if exists dump_t_login; drop role if exists dump_t_reader");
  EXPECT_NE(d.output.find("CREATE ROLE \"dump_t_login\";"), std::string::npos) << d.output;
  EXPECT_NE(d.output.find("CREATE ROLE \"dump_t_reader\";"), std::string::npos);
  EXPECT_NE(d.output.find("GRANT \"dump_t_reader\" TO \"dump_t_login\""), std::string::npos);
  for (const char* absent : {"PASSWORD", "SCRAM-SHA-256", "hunter2", "CREATE ROLE \"anon\"",
                             "CREATE ROLE \"authenticated\"", "CREATE ROLE \"service_role\"",
                             "CREATE ROLE \"postgres\"", "CREATE ROLE \"supabase_admin\""})
    EXPECT_EQ(d.output.find(absent), std::string::npos) << absent << "\n" << d.output;
  auto bad = strata({"db", "dump", "--role-only", "--schema-only"});
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
}

TEST_F(Dump, RestoreRefusesANonLocalDatabaseWithoutForce) {
  write("dump.sql", "create table restored_here (id int);\n");
  write("supabase/migrations/.keep", "");
  auto r = strata({"db", "restore", (project / "dump.sql").string()});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--force"), std::string::npos) << r.output;
  EXPECT_EQ(query_value("select to_regclass('public.restored_here') is null"), "t");
  auto missing = strata({"db", "restore", (project / "nope.sql").string(), "--force"});
  EXPECT_EQ(missing.exit_code, 2) << missing.output;
  // A statement the server rejects: exit 5 with psql's file:line, and nothing restored (one
  // transaction).
  write("bad.sql", "create table restored_here (id int);\nselect nosuch_function();\n");
  auto bad = strata({"db", "restore", (project / "bad.sql").string(), "--force"});
  EXPECT_EQ(bad.exit_code, 5) << bad.output;
  EXPECT_NE(bad.output.find("bad.sql:2"), std::string::npos) << bad.output;
  EXPECT_EQ(query_value("select to_regclass('public.restored_here') is null"), "t");
  auto ok = strata({"db", "restore", (project / "dump.sql").string(), "--force"});
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_EQ(query_value("select to_regclass('public.restored_here') is not null"), "t");
}

TEST_F(Dump, MissingPgDumpNamesTheDebianPackage) {
  ASSERT_EQ(setenv("STRATA_PG_BIN_DIR", "/nonexistent/pg/bin", 1), 0);
  auto d = strata({"db", "dump"});
  unsetenv("STRATA_PG_BIN_DIR");
  EXPECT_EQ(d.exit_code, 1) << d.output;
  EXPECT_NE(d.output.find("postgresql-client-15"), std::string::npos) << d.output;
}

TEST_F(Dump, PasswordReachesPgDumpThroughItsEnvironmentOnly) {
  // The suite's server trusts local connections, so a password in the URL is accepted and
  // ignored by the server; a stand-in pg_dump records what it was given.
  fs::path bin = project / "fakebin";
  fs::create_directories(bin);
  write("fakebin/pg_dump",
        "#!/bin/sh\nd=$(dirname \"$0\")\nprintf '%s\\n' \"$0\" \"$@\" > \"$d/argv.txt\"\n"
        "printf 'PGPASSWORD=%s\\nPGDATABASE=%s\\n' \"$PGPASSWORD\" \"$PGDATABASE\" > "
        "\"$d/env.txt\"\n");
  fs::permissions(bin / "pg_dump", fs::perms::owner_all);
  write("supabase/migrations/001_t.sql", "create table t (id int);\n");
  ASSERT_EQ(strata({"up"}).exit_code, 0);
  std::string secret = "S3cret-pw-42";
  std::string with_password = url;
  with_password.replace(with_password.find("postgres@"), 9, "postgres:" + secret + "@");
  ASSERT_EQ(setenv("STRATA_PG_BIN_DIR", bin.c_str(), 1), 0);
  auto d = strata_on(with_password,
                     {"db", "dump", "--schema-only", "-f", (project / "out.sql").string()});
  unsetenv("STRATA_PG_BIN_DIR");
  ASSERT_EQ(d.exit_code, 0) << d.output;
  EXPECT_EQ(d.output.find(secret), std::string::npos) << d.output;
  std::string argv = read_text(bin / "argv.txt");
  EXPECT_NE(argv.find("--schema-only"), std::string::npos) << argv;  // it did run
  EXPECT_EQ(argv.find(secret), std::string::npos) << argv;
  std::string env = read_text(bin / "env.txt");
  EXPECT_NE(env.find("PGPASSWORD=" + secret), std::string::npos) << env;
  EXPECT_NE(env.find("PGDATABASE=" + dbname), std::string::npos) << env;
}

TEST_F(Dump, UpBackupIsWrittenBeforeTheFirstMigration) {
  project_with_rows();
  write("supabase/migrations/002_more.sql", "create table public.added_later (id int);\n");
  fs::path dir = project / "backups";
  auto up = strata({"up", "--backup", dir.string()});
  ASSERT_EQ(up.exit_code, 0) << up.output;
  size_t backup_line = up.output.find("Backup: " + dir.string() + "/");
  size_t applied_line = up.output.find("Applied supabase/migrations/002_more.sql");
  ASSERT_NE(backup_line, std::string::npos) << up.output;
  ASSERT_NE(applied_line, std::string::npos) << up.output;
  EXPECT_LT(backup_line, applied_line);
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir)) files.push_back(e.path());
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].extension(), ".sql");
  EXPECT_EQ(fs::status(files[0]).permissions() & fs::perms::others_read, fs::perms::none);
  std::string sql = read_text(files[0]);
  // The state before 002: its table is not there yet, 001's table, rows and history are.
  EXPECT_EQ(sql.find("added_later"), std::string::npos);
  EXPECT_NE(sql.find("CREATE TABLE \"public\".\"items\""), std::string::npos);
  EXPECT_NE(sql.find("COPY \"public\".\"items\""), std::string::npos);
  EXPECT_NE(sql.find("COPY \"strata\".\"migrations\""), std::string::npos);
  // Nothing to apply: no backup.
  auto again = strata({"up", "--backup", dir.string()});
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_EQ(again.output.find("Backup:"), std::string::npos) << again.output;
  // The backup restores into an empty database: schema and history as before 002.
  std::string copy = other_database();
  auto r = strata_on(copy, {"db", "restore", files[0].string(), "--force"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(count("strata.migrations", copy), "1");
  EXPECT_EQ(count("public.items", copy), "3");
}

// `up --json` names the backup it wrote (path and size), and says null when it wrote none.
TEST_F(Dump, UpJsonReportsTheBackupFile) {
  project_with_rows();
  write("supabase/migrations/002_more.sql", "create table public.added_later (id int);\n");
  fs::path dir = project / "backups";
  auto up = strata({"up", "--backup", dir.string(), "--json"});
  ASSERT_EQ(up.exit_code, 0) << up.output;
  auto j = nlohmann::json::parse(up.output.substr(up.output.find('{')));
  ASSERT_TRUE(j["backup"].is_object()) << up.output;
  fs::path file = j["backup"]["path"].get<std::string>();
  EXPECT_EQ(file.parent_path(), dir);
  ASSERT_TRUE(fs::exists(file));
  EXPECT_EQ(j["backup"]["bytes"].get<long long>(), static_cast<long long>(fs::file_size(file)));
  auto again = strata({"up", "--backup", dir.string(), "--json"});
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_TRUE(
      nlohmann::json::parse(again.output.substr(again.output.find('{')))["backup"].is_null())
      << again.output;
}

TEST_F(Dump, BackupDirInStrataTomlBacksUpANonLocalDatabase) {
  project_with_rows();
  write("strata.toml", "[backup]\ndir = \"saved\"\n");
  write("supabase/migrations/002_more.sql", "create table public.added_later (id int);\n");
  auto up = strata({"up"});
  ASSERT_EQ(up.exit_code, 0) << up.output;
  EXPECT_NE(up.output.find("Backup: " + (project / "saved").string()), std::string::npos)
      << up.output;
  EXPECT_TRUE(fs::is_directory(project / "saved"));
}

TEST_F(Dump, FailedBackupAppliesNothing) {
  project_with_rows();
  write("supabase/migrations/002_more.sql", "create table public.added_later (id int);\n");
  write("not_a_folder", "a file: nothing can be created under it\n");
  std::string before = snapshot();
  auto up = strata({"up", "--backup", (project / "not_a_folder" / "backups").string()});
  EXPECT_EQ(up.exit_code, 1) << up.output;
  EXPECT_NE(up.output.find("backup failed, nothing was applied"), std::string::npos) << up.output;
  EXPECT_EQ(up.output.find("Applied"), std::string::npos) << up.output;
  EXPECT_EQ(snapshot(), before);
  EXPECT_EQ(query_value("select to_regclass('public.added_later') is null"), "t");
  EXPECT_EQ(query_value("select count(*) from strata.migrations"), "1");
  // pg_dump itself failing (not installed) stops the run the same way.
  ASSERT_EQ(setenv("STRATA_PG_BIN_DIR", "/nonexistent/pg/bin", 1), 0);
  auto missing = strata({"up", "--backup", (project / "backups").string()});
  unsetenv("STRATA_PG_BIN_DIR");
  EXPECT_EQ(missing.exit_code, 1) << missing.output;
  EXPECT_NE(missing.output.find("postgresql-client-15"), std::string::npos) << missing.output;
  EXPECT_EQ(snapshot(), before);
  EXPECT_FALSE(fs::exists(project / "backups") && !fs::is_empty(project / "backups"));
}

}  // namespace
