// The dump: which schemas and extensions, the pg_dump/pg_dumpall command, and the line filter
// over their output.
#include "ops/dump.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <string_view>

#include "catalog/user_schemas.hpp"
#include "db/connection.hpp"
#include "db/conninfo.hpp"
#include "ops/pg_client.hpp"
#include "util/error.hpp"

namespace fs = std::filesystem;

namespace strata {

namespace {

// A pg_dump/psql pattern that matches exactly this name (double quotes make it literal).
std::string exact_pattern(const std::string& name) {
  std::string p = "\"";
  for (char c : name) {
    if (c == '"') p += '"';
    p += c;
  }
  return p + "\"";
}

std::string quote_ident(const std::string& name) {
  return exact_pattern(name);
}

// The identifier at the start of `s` ("quoted" or bare), unquoted; `rest` is what follows it.
std::string leading_identifier(std::string_view s, std::string_view* rest = nullptr) {
  std::string name;
  size_t i = 0;
  if (!s.empty() && s[0] == '"') {
    for (i = 1; i < s.size(); ++i) {
      if (s[i] == '"') {
        if (i + 1 < s.size() && s[i + 1] == '"') {
          name += '"';
          ++i;
          continue;
        }
        ++i;
        break;
      }
      name += s[i];
    }
  } else {
    while (i < s.size() && s[i] != ' ' && s[i] != ';' && s[i] != ',') name += s[i++];
  }
  if (rest) *rest = s.substr(i);
  return name;
}

// Splits a byte stream into lines for `on_line` (without the newline).
class LineSplitter {
 public:
  template <typename F>
  void feed(std::string_view data, F&& on_line) {
    size_t start = 0;
    for (size_t nl; (nl = data.find('\n', start)) != std::string_view::npos; start = nl + 1) {
      if (partial_.empty()) {
        on_line(data.substr(start, nl - start));
      } else {
        partial_.append(data.substr(start, nl - start));
        on_line(std::string_view(partial_));
        partial_.clear();
      }
    }
    partial_.append(data.substr(start));
  }
  template <typename F>
  void finish(F&& on_line) {
    if (!partial_.empty()) on_line(std::string_view(partial_));
    partial_.clear();
  }

 private:
  std::string partial_;
};

// pg_dump's plain output, made restorable into another database. It acts only on statement
// lines of the TOC entry kinds announced by pg_dump's `-- Name: ...; Type: T;` comments (schema,
// extension, comment, default ACL) and never inside COPY data, so function bodies and rows pass
// through untouched.
class SchemaFilter {
 public:
  SchemaFilter(std::ostream& out, std::vector<std::string> dumped, long long& bytes)
      : out_(out), dumped_(std::move(dumped)), bytes_(bytes) {}

  void line(std::string_view l) {
    if (in_copy_) {
      if (l == "\\.") in_copy_ = false;
      emit(l);
      return;
    }
    if (l.starts_with("-- Name: ") || l.starts_with("-- Data for Name: ")) {
      size_t t = l.find("; Type: ");
      entry_type_ = t == std::string_view::npos
                        ? std::string()
                        : std::string(l.substr(t + 8, l.find(';', t + 8) - (t + 8)));
      emit(l);
      return;
    }
    if (l.empty() || l.starts_with("--")) {
      emit(l);
      return;
    }
    if (l.starts_with("COPY ") && l.ends_with(" FROM stdin;")) in_copy_ = true;
    const std::string& type = entry_type_;  // until the next TOC comment
    if (type == "SCHEMA" && l.starts_with("CREATE SCHEMA ") && l.ends_with(";") &&
        !l.starts_with("CREATE SCHEMA IF NOT EXISTS ")) {
      // public (and any schema the target already has) must not stop the restore.
      emit("CREATE SCHEMA IF NOT EXISTS " + std::string(l.substr(14)));
      return;
    }
    if (type == "EXTENSION" && l.starts_with("CREATE EXTENSION ")) {
      size_t w = l.find(" WITH SCHEMA ");
      if (w != std::string_view::npos) {
        std::string schema = leading_identifier(l.substr(w + 13));
        if (std::find(dumped_.begin(), dumped_.end(), schema) == dumped_.end()) {
          emit("CREATE SCHEMA IF NOT EXISTS " + quote_ident(schema) + ";");
          dumped_.push_back(schema);  // once
        }
      }
      emit(l);
      return;
    }
    if (type == "COMMENT" && l.starts_with("COMMENT ON EXTENSION ")) {
      // Only the extension's owner may comment on it: a restore as another user would fail.
      emit("-- " + std::string(l));
      return;
    }
    if (type == "DEFAULT ACL" && l.starts_with("ALTER DEFAULT PRIVILEGES FOR ROLE ")) {
      std::string role = leading_identifier(l.substr(34));
      if (platform_role(role) && role != "postgres") {
        emit("-- " + std::string(l));  // the platform's own (supabase_admin's) default privileges
        return;
      }
    }
    emit(l);
  }

 private:
  void emit(std::string_view l) {
    out_.write(l.data(), static_cast<std::streamsize>(l.size()));
    out_.put('\n');
    bytes_ += static_cast<long long>(l.size()) + 1;
  }

  std::ostream& out_;
  std::vector<std::string> dumped_;
  long long& bytes_;
  std::string entry_type_;
  bool in_copy_ = false;
};

// pg_dumpall --roles-only without the platform's roles. Passwords are not dumped at all
// (--no-role-passwords); a PASSWORD clause that appears anyway is removed. CREATE ROLE tolerates
// an existing role.
class RoleFilter {
 public:
  RoleFilter(std::ostream& out, std::string bootstrap, long long& bytes, int& left_out)
      : out_(out), bootstrap_(std::move(bootstrap)), bytes_(bytes), left_out_(left_out) {}

  void line(std::string_view l) {
    std::string role;
    for (std::string_view prefix : {"CREATE ROLE ", "ALTER ROLE ", "COMMENT ON ROLE "})
      if (l.starts_with(prefix)) role = leading_identifier(l.substr(prefix.size()));
    if (l.starts_with("GRANT ")) {
      // GRANT "a" TO "b" [WITH ADMIN OPTION] [GRANTED BY "c"]: about member b.
      size_t to = l.find(" TO ");
      if (to != std::string_view::npos) role = leading_identifier(l.substr(to + 4));
    }
    if (!role.empty() && (platform_role(role) || role == bootstrap_)) {
      ++left_out_;
      return;
    }
    std::string kept(l);
    for (size_t p; (p = kept.find(" PASSWORD '")) != std::string::npos;) {
      size_t end = p + 11;
      while (end < kept.size()) {
        if (kept[end] == '\'' && (end + 1 >= kept.size() || kept[end + 1] != '\'')) break;
        end += kept[end] == '\'' ? 2 : 1;
      }
      kept.erase(p, std::min(kept.size(), end + 1) - p);
    }
    // A role that already exists where the dump is restored is kept (its ALTER ROLE and GRANT
    // lines still apply), not an error that stops the restore.
    if (kept.starts_with("CREATE ROLE ") && kept.ends_with(";") &&
        kept.find("$strata$") == std::string::npos)
      kept =
          "DO $strata$ BEGIN " + kept + " EXCEPTION WHEN duplicate_object THEN NULL; END $strata$;";
    out_ << kept << '\n';
    bytes_ += static_cast<long long>(kept.size()) + 1;
  }

 private:
  std::ostream& out_;
  std::string bootstrap_;
  long long& bytes_;
  int& left_out_;
};

std::vector<std::string> column(db::Result r) {
  std::vector<std::string> v;
  for (int i = 0; i < r.rows(); ++i) v.push_back(r.get(i, 0));
  return v;
}

std::string pg_array(const std::vector<std::string>& names) {
  std::string a = "{";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) a += ',';
    a += '"';
    for (char c : names[i]) {
      if (c == '"' || c == '\\') a += '\\';
      a += c;
    }
    a += '"';
  }
  return a + "}";
}

[[noreturn]] void client_failed(const std::string& program, const ClientRun& run) {
  std::string msg = run.errors;
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  bool conn = msg.find("connection to server") != std::string::npos ||
              msg.find("could not connect") != std::string::npos;
  Error e(fmt::format("{} failed (exit {}): {}", program, run.exit_code, msg),
          conn ? ExitCode::connection : ExitCode::failure);
  throw e;
}

DumpSummary dump_roles(const std::string& conninfo, db::Connection& conn, std::ostream& out) {
  DumpSummary s;
  std::string bootstrap = conn.exec("SELECT rolname FROM pg_roles WHERE oid = 10").get(0, 0);
  std::string dbname = conn.exec("SELECT current_database()").get(0, 0);
  RoleFilter filter(out, bootstrap, s.bytes, s.left_out);
  LineSplitter lines;
  auto run = run_pg_client("pg_dumpall",
                           {"--roles-only", "--no-role-passwords", "--quote-all-identifiers",
                            "--no-password", "-l", dbname},
                           conninfo, [&](std::string_view data) {
                             lines.feed(data, [&](std::string_view l) { filter.line(l); });
                           });
  lines.finish([&](std::string_view l) { filter.line(l); });
  if (run.exit_code != 0) client_failed("pg_dumpall", run);
  return s;
}

}  // namespace

std::string human_size(long long bytes) {
  if (bytes < 1024) return fmt::format("{} B", bytes);
  if (bytes < 1024 * 1024) return fmt::format("{:.1f} KiB", bytes / 1024.0);
  return fmt::format("{:.1f} MiB", bytes / (1024.0 * 1024.0));
}

bool platform_role(const std::string& name) {
  static const std::array<std::string_view, 19> roles = {
      "postgres",
      "anon",
      "authenticated",
      "service_role",
      "authenticator",
      "dashboard_user",
      "pgbouncer",
      "supabase_admin",
      "supabase_auth_admin",
      "supabase_storage_admin",
      "supabase_functions_admin",
      "supabase_realtime_admin",
      "supabase_replication_admin",
      "supabase_read_only_user",
      "supabase_etl_admin",
      "supabase_superuser",
      "pgsodium_keyholder",
      "pgsodium_keyiduser",
      "pgsodium_keymaker",
  };
  if (name.starts_with("pg_") || name.starts_with("cli_login_")) return true;
  return std::find(roles.begin(), roles.end(), name) != roles.end();
}

DumpSummary write_dump(const Project& project, const std::string& conninfo,
                       const DumpRequest& request, std::ostream& out) {
  pg_client_program(request.roles ? "pg_dumpall" : "pg_dump");  // missing: say so first
  db::Connection conn = db::Connection::open(conninfo);
  conn.exec("SET default_transaction_read_only = on");
  if (request.roles) return dump_roles(conninfo, conn, out);

  DumpSummary s;
  if (!request.schemas.empty()) {
    auto found =
        column(conn.exec_params("SELECT nspname FROM pg_namespace WHERE nspname = ANY($1::text[])",
                                {pg_array(request.schemas)}));
    for (const auto& want : request.schemas) {
      if (std::find(found.begin(), found.end(), want) == found.end()) {
        Error e(fmt::format("--schema {}: the database has no such schema", want), ExitCode::usage);
        e.hint = "list them with `strata db query \"select nspname from pg_namespace\"`";
        throw e;
      }
      if (std::find(s.schemas.begin(), s.schemas.end(), want) == s.schemas.end())
        s.schemas.push_back(want);
    }
  } else {
    for (auto& n : column(conn.exec("SELECT n.nspname FROM pg_namespace n WHERE " +
                                    user_schema_condition(false) + " ORDER BY 1")))
      if (n != project.history_schema) s.schemas.push_back(std::move(n));
    if (!project.app.schema.empty() && request.with_history) {
      // An app that shares its database backs up its own schema only.
      s.schemas.clear();
      if (!column(conn.exec_params("SELECT 1 FROM pg_namespace WHERE nspname = $1",
                                   {project.app.schema}))
               .empty())
        s.schemas.push_back(project.app.schema);
    }
  }
  if (request.with_history) {
    for (const std::string& h : {project.history_schema, std::string("supabase_migrations")})
      if (std::find(s.schemas.begin(), s.schemas.end(), h) == s.schemas.end() &&
          !column(conn.exec_params("SELECT 1 FROM pg_namespace WHERE nspname = $1", {h})).empty())
        s.schemas.push_back(h);
  }

  std::vector<std::string> args = {"--quote-all-identifiers", "--no-password"};
  if (request.content == DumpContent::schema) args.push_back("--schema-only");
  if (request.content == DumpContent::data) {
    args.push_back("--data-only");
    if (!request.use_copy) args.push_back("--column-inserts");
  }
  for (const auto& n : s.schemas) args.push_back("--schema=" + exact_pattern(n));
  if (project.legacy_tracking() && !request.with_history)
    for (const char* t : {"_migrations", "_content_migrations", "_entity_migrations"})
      args.push_back("--exclude-table=" + exact_pattern("public") + "." + exact_pattern(t));
  if (request.content != DumpContent::data && !s.schemas.empty()) {
    // With --schema pg_dump leaves extensions out; keep those the dumped schemas may use.
    s.extensions = column(conn.exec_params(
        "SELECT e.extname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE n.nspname = ANY($1::text[]) OR n.nspname = 'extensions' ORDER BY 1",
        {pg_array(s.schemas)}));
    for (const auto& e : s.extensions) args.push_back("--extension=" + exact_pattern(e));
  }
  // The database itself comes from the environment (PGDATABASE), as libpq would pick it.

  auto header = [&](const std::string& l) {
    out << l << '\n';
    s.bytes += static_cast<long long>(l.size()) + 1;
  };
  header(fmt::format("-- strata db dump: {} of schema(s) {}",
                     request.content == DumpContent::schema ? "schema"
                     : request.content == DumpContent::data ? "data"
                                                            : "schema and data",
                     s.schemas.empty() ? "(none)" : fmt::format("{}", fmt::join(s.schemas, ", "))));
  if (s.schemas.empty()) return s;  // without --schema, pg_dump would dump everything
  if (request.content == DumpContent::data) {
    // Rows in any order: no triggers, no foreign-key checks while they load (as Supabase does).
    header("SET session_replication_role = replica;");
  }
  SchemaFilter filter(out, s.schemas, s.bytes);
  LineSplitter lines;
  long long received = 0;
  auto run = run_pg_client("pg_dump", args, conninfo, [&](std::string_view data) {
    lines.feed(data, [&](std::string_view l) { filter.line(l); });
    received += static_cast<long long>(data.size());
    if (request.on_progress) request.on_progress(received);
  });
  lines.finish([&](std::string_view l) { filter.line(l); });
  if (run.exit_code != 0) client_failed("pg_dump", run);
  if (request.content == DumpContent::data) header("RESET session_replication_role;");
  if (!out) throw Error("cannot write the dump: output error");
  return s;
}

DumpSummary write_dump_file(const Project& project, const std::string& conninfo,
                            const DumpRequest& request, const fs::path& file, bool owner_only) {
  fs::path partial = file;
  partial += ".partial";
  DumpSummary s;
  try {
    int fd =
        ::open(partial.c_str(), O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, owner_only ? 0600 : 0666);
    if (fd < 0)
      throw Error(fmt::format("cannot write {}: {}", partial.string(), std::strerror(errno)));
    ::close(fd);
    std::ofstream f(partial, std::ios::binary | std::ios::trunc);
    if (!f) throw Error(fmt::format("cannot write {}: {}", partial.string(), std::strerror(errno)));
    s = write_dump(project, conninfo, request, f);
    f.close();
    if (!f) throw Error(fmt::format("cannot write {}", partial.string()));
    fs::rename(partial, file);
  } catch (const fs::filesystem_error& e) {
    std::error_code ec;
    fs::remove(partial, ec);
    throw Error(fmt::format("cannot write {}: {}", file.string(), e.code().message()));
  } catch (...) {
    std::error_code ec;
    fs::remove(partial, ec);
    throw;
  }
  return s;
}

}  // namespace strata
