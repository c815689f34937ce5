// Squash: shadow-build the migrations, write the model's DDL plus the kept data statements,
// verify the result in another shadow, then replace the files; and, for `up`, the history rewrite.
#include "ops/squash.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "catalog/inspect.hpp"
#include "db/connection.hpp"
#include "ddl/ddl_writer.hpp"
#include "diff/schema_diff.hpp"
#include "lint/ast.hpp"
#include "migration/discover.hpp"
#include "ops/shadow.hpp"
#include "ops/up.hpp"
#include "sql/splitter.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace fs = std::filesystem;

namespace strata {

namespace {

// Statements that change rows (or call functions for their effect: setval, cron.schedule,
// vault.create_secret) and so are not in the schema model: carried into the squashed file.
enum class Role { ddl, data, left_out };

Role role_of(const sql::Statement& st) {
  const std::string& k = st.kind;
  if (k == "InsertStmt" || k == "UpdateStmt" || k == "DeleteStmt" || k == "MergeStmt" ||
      k == "CopyStmt" || k == "CallStmt")
    return Role::data;
  if (k == "SelectStmt") {
    // `SELECT [pg_catalog.]set_config(...)` (pg_dump's preamble) only sets the session.
    auto calls = lint::ast::func_calls(st.node);
    bool only_set_config = !calls.empty() && std::all_of(calls.begin(), calls.end(), [](auto* f) {
      std::string n = lint::ast::func_name(f);
      return n == "set_config" || n == "pg_catalog.set_config";
    });
    return only_set_config ? Role::left_out : Role::data;
  }
  if (k == "VariableSetStmt" || k == "DoStmt" || k == "NotifyStmt" || k == "VariableShowStmt" ||
      k == "ListenStmt" || k == "UnlistenStmt")
    return Role::left_out;
  return Role::ddl;
}

std::string statement_sql(const sql::Statement& st) {
  std::string text = trim(std::string_view(st.text).substr(st.start - st.offset));
  std::string out = text + ";\n";
  if (st.copy_in) {
    out += st.copy_data;
    if (!st.copy_data.empty() && st.copy_data.back() != '\n') out += "\n";
    out += "\\.\n";
  }
  return out;
}

int count_lines(std::string_view s) {
  return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
}

// Rows of every table (count and a hash of the sorted row texts) and every sequence's value.
std::map<std::string, std::string> fingerprint(db::Connection& c, const SchemaModel& model,
                                               int* tables) {
  std::map<std::string, std::string> out;
  for (const auto& [key, o] : model.objects) {
    if (o.kind == ObjKind::table) {
      db::Result r =
          c.exec(fmt::format("SELECT count(*), md5(coalesce(string_agg(x::text, E'\\n' ORDER BY "
                             "x::text), '')) FROM ONLY {} x",
                             o.qname));
      out[o.qname] = fmt::format("{} row(s), md5 {}", r.get(0, 0), r.get(0, 1));
      if (tables) ++*tables;
    } else if (o.kind == ObjKind::sequence) {
      db::Result r = c.exec(fmt::format("SELECT last_value, is_called FROM {}", o.qname));
      out["sequence " + o.qname] =
          fmt::format("last_value {}, is_called {}", r.get(0, 0), r.get(0, 1));
    }
  }
  return out;
}

void write_file(const fs::path& path, const std::string& text, const Project& project) {
  errno = 0;
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (f) f << text;
  if (f) f.close();
  if (!f) {
    int err = errno;
    throw Error(fmt::format("cannot write {}: {}", project.display(path),
                            err ? std::strerror(err) : "write failed"),
                ExitCode::failure);
  }
}

struct TempDir {
  fs::path dir;
  TempDir() {
    static std::atomic<int> counter{0};
    dir = fs::temp_directory_path() / fmt::format("strata_squash_{}_{}", getpid(), counter++);
    fs::create_directories(dir);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

// Where a kept data statement sits in the squashed file, and where it came from.
struct Placed {
  int first_line = 0, last_line = 0;  // in the squashed file
  const SquashStatement* from = nullptr;
};

}  // namespace

SquashResult run_squash(const Project& project, const std::string& conninfo,
                        const SquashRequest& request, std::ostream& out) {
  const SourceConfig* src = &project.sources.front();
  if (!request.source.empty()) {
    auto it = std::find_if(project.sources.begin(), project.sources.end(),
                           [&](const SourceConfig& s) { return s.name == request.source; });
    if (it == project.sources.end())
      throw Error(fmt::format("--source {}: no such source", request.source), ExitCode::usage);
    src = &*it;
  }
  DiscoveredSource disc = discover_migrations(project, *src);
  std::vector<Migration>& all = disc.migrations;
  size_t last = all.size();
  if (request.version) {
    for (size_t i = 0; i < all.size(); ++i)
      if (all[i].version == *request.version) last = i;
    if (last == all.size()) {
      Error e(fmt::format("--version {}: no migration has that version", *request.version),
              ExitCode::usage);
      e.hint = "`strata status` lists the versions";
      throw e;
    }
  } else {
    for (size_t i = 0; i < all.size(); ++i)
      if (!all[i].repeatable) last = i;
  }
  if (last == all.size() || last == 0) {
    Error e(fmt::format("nothing to squash: {} migration(s) up to that version in {}",
                        last == all.size() ? 0 : 1, project.display(src->dir)),
            ExitCode::usage);
    e.hint = "squash replaces two or more migrations with one file";
    throw e;
  }
  std::vector<const Migration*> squashed;
  for (size_t i = 0; i <= last; ++i) {
    const Migration& m = all[i];
    if (m.repeatable || !m.env.empty()) {
      Error e(fmt::format("{} is {}: it cannot be folded into a file that runs everywhere",
                          m.display_path,
                          m.repeatable ? "a repeatable migration" : "dev-only (`-- strata:env`)"),
              ExitCode::usage);
      e.hint = fmt::format("squash up to a version before it (--version), or move it after {}",
                           all[last].version);
      throw e;
    }
    squashed.push_back(&m);
  }
  const Migration& newest = all[last];
  SquashResult result;
  result.version = newest.version;
  result.file = newest.display_path;
  result.later_files = static_cast<int>(all.size() - last - 1);
  result.squashed = static_cast<int>(squashed.size());

  // 1. The data statements of each file, classified by the statement model.
  std::vector<std::string> data_sql;
  for (const Migration* m : squashed) {
    sql::SplitOptions so;
    so.keep_trees = true;
    so.path = m->path;
    sql::SplitFile split = sql::split_statements(m->text, so);
    sql::check_runnable(split, m->display_path);
    if (!split.parsed) {
      sql::SyntaxError err = split.errors.empty() ? sql::SyntaxError{} : split.errors.front();
      Error e(fmt::format("{}:{}:{}: cannot tell its data statements from its DDL: {}",
                          m->display_path, err.line, err.column, err.message),
              ExitCode::config);
      e.hint = "squash needs every file to parse with PostgreSQL 15's grammar";
      throw e;
    }
    for (const auto& st : split.statements) {
      if (st.tx_control != sql::TxControl::none) continue;  // the file's own BEGIN / COMMIT
      Role r = role_of(st);
      if (r == Role::ddl) continue;
      SquashStatement s{st.origin.empty() ? m->display_path : st.origin, st.line, st.kind};
      if (r == Role::left_out) {
        result.left_out.push_back(s);
      } else {
        result.data.push_back(s);
        data_sql.push_back(statement_sql(st));
      }
    }
  }

  // 2. The schema the files build, and the DDL that builds it from nothing.
  Project single = project;
  single.sources = {*src};
  single.sources.front().run_last.clear();
  single.notify_postgrest = false;
  ShadowExtras extras = shadow_extras_of(conninfo);
  SchemaModel built, empty;
  std::map<std::string, std::string> rows_built;
  {
    ShadowDatabase shadow(conninfo, extras);
    UpRequest up;
    up.plan.to = newest.version;
    up.plan.include_all = true;
    std::ostringstream quiet;
    run_up(single, shadow.url(), up, quiet);
    db::Connection c = db::Connection::open(shadow.url());
    built = inspect_schema(c, {});
    rows_built = fingerprint(c, built, &result.tables_checked);
  }
  {
    ShadowDatabase shadow(conninfo, extras);
    db::Connection c = db::Connection::open(shadow.url());
    empty = inspect_schema(c, {});
  }
  DdlPlan ddl = plan_ddl(empty, built, diff_models(empty, built));
  result.ddl_statements = static_cast<int>(ddl.statements.size());
  out << fmt::format(
      "Built {} migration(s) in a shadow database: {} DDL statement(s), {} data "
      "statement(s)\n",
      squashed.size(), result.ddl_statements, result.data.size());

  // 3. The squashed file.
  std::string text = fmt::format(
      "-- Squashed by `strata migration squash`: {} migrations, {} to {}, as one file.\n"
      "-- The schema is written from strata's model of what they built; their data statements\n"
      "-- follow in file order. Verified in a shadow database: same schema, same rows.\n"
      "-- A database that applied all of the lines below counts this file as applied.\n",
      squashed.size(), squashed.front()->version, newest.version);
  for (const Migration* m : squashed) {
    text += fmt::format("-- strata:squash-of {} {}\n", m->version, m->checksum);
    // A squash being squashed again: its lines come along, so a database that applied the files
    // it replaced (and never recorded it) still matches.
    for (const SquashedVersion& v : m->squash_of)
      text += fmt::format("-- strata:squash-of {} {} via {} {}\n", v.version, v.checksum,
                          v.via_version.empty() ? m->version : v.via_version,
                          v.via_version.empty() ? m->checksum : v.via_checksum);
  }
  text += "\n" + ddl.sql();
  if (!text.ends_with("\n")) text += "\n";
  std::vector<Placed> placed;
  if (!data_sql.empty()) {
    text += "\n-- Data statements of the squashed migrations, in order.\n";
    for (size_t i = 0; i < data_sql.size(); ++i) {
      const SquashStatement& s = result.data[i];
      text += fmt::format("\n-- {}:{}\n", s.file, s.line);
      int first = count_lines(text) + 1;
      text += data_sql[i];
      placed.push_back({first, count_lines(text), &s});
    }
  }
  result.sql = text;

  // 4. Verify: the squashed file alone, through `up`, in a fresh shadow.
  {
    TempDir tmp;
    fs::path file = tmp.dir / newest.path.filename();
    write_file(file, text, project);
    Project check = single;
    SourceConfig& s = check.sources.front();
    s.dir = tmp.dir;
    s.order.clear();
    s.dev_only.clear();
    ShadowDatabase shadow(conninfo, extras);
    try {
      std::ostringstream quiet;
      run_up(check, shadow.url(), UpRequest{}, quiet);
    } catch (const Error& e) {
      int line = e.position ? e.position->line : 0;
      // The server's message without the temporary file's position.
      std::string message = e.what();
      if (e.position) {
        std::string prefix =
            fmt::format("{}:{}:{}: ", e.position->file, e.position->line, e.position->column);
        if (size_t at = message.find(prefix); at != std::string::npos)
          message = message.substr(at + prefix.size());
      }
      for (const Placed& p : placed) {
        if (line < p.first_line || line > p.last_line) continue;
        Error r(fmt::format("{}:{}: this data statement fails once the migrations are squashed: "
                            "{}",
                            p.from->file, p.from->line, message),
                ExitCode::migration_failed);
        r.position = SourcePosition{p.from->file, p.from->line, 1};
        r.sqlstate = e.sqlstate;
        r.detail = e.detail;
        r.hint = fmt::format(
            "the squashed file runs every data statement after the whole schema, and a later "
            "migration changed what this one needs (e.g. dropped a column or table it uses). "
            "Squash only up to a version before that change (--version), or rewrite the "
            "statement for the final schema. Nothing was changed");
        throw r;
      }
      Error r(fmt::format("the squashed file fails in a shadow database: {}", e.what()),
              ExitCode::failure);
      r.sqlstate = e.sqlstate;
      r.detail = e.detail;
      r.hint =
          "strata's schema model cannot rebuild what these migrations built (see `strata db "
          "diff --from <empty> --to migrations`); nothing was changed";
      throw r;
    }
    db::Connection c = db::Connection::open(shadow.url());
    SchemaModel rebuilt = inspect_schema(c, {});
    auto residual = diff_models(built, rebuilt);
    if (!residual.empty()) {
      Error e(fmt::format("the squashed file would not build the same schema: {} difference(s) "
                          "remain; nothing was changed",
                          residual.size()),
              ExitCode::failure);
      e.detail = describe_changes(residual);
      e.hint = "the differences are what the squashed file builds differently from the originals";
      throw e;
    }
    auto rows_rebuilt = fingerprint(c, rebuilt, nullptr);
    std::string diffs;
    for (const auto& [name, fp] : rows_built) {
      auto it = rows_rebuilt.find(name);
      std::string other = it == rows_rebuilt.end() ? "missing" : it->second;
      if (other != fp) diffs += fmt::format("\n  {}: {} before, {} squashed", name, fp, other);
    }
    if (!diffs.empty()) {
      Error e("the squashed file would not leave the same rows; nothing was changed",
              ExitCode::failure);
      e.detail = diffs.substr(1);
      std::string left;
      for (const auto& l : result.left_out)
        if (l.kind == "DoStmt") left += fmt::format(" {}:{}", l.file, l.line);
      e.hint = left.empty()
                   ? "a statement strata does not carry (SET, DO) or an ALTER with USING "
                     "changed rows; squash up to a version before it (--version)"
                   : "DO blocks are not carried into the squashed file and may have changed "
                     "rows:" +
                         left + "; squash up to a version before them (--version)";
      throw e;
    }
  }
  out << fmt::format(
      "Verified in a shadow database: no schema residual, the same rows in {} "
      "table(s)\n",
      result.tables_checked);

  // 5. Replace the files (nothing on disk changed before this point).
  for (const Migration* m : squashed) {
    if (m != &newest) result.replaced.push_back(m->display_path);
    if (m->down && m->down->path != m->path)
      result.replaced.push_back(project.display(m->down->path));
  }
  if (request.dry_run) return result;
  fs::path staged = newest.path;
  staged += ".squash-tmp";
  write_file(staged, text, project);
  std::error_code ec;
  fs::rename(staged, newest.path, ec);
  if (ec) {
    fs::remove(staged, ec);
    throw Error(fmt::format("cannot replace {}: {}", newest.display_path, ec.message()),
                ExitCode::failure);
  }
  for (const Migration* m : squashed) {
    if (m != &newest) fs::remove(m->path, ec);
    if (m->down && m->down->path != m->path) fs::remove(m->down->path, ec);
  }
  return result;
}

int record_squashes(db::Connection& conn, const HistoryStore& store, const Status& status,
                    bool dry_run, bool in_outer_transaction, std::ostream& out) {
  int n = 0;
  for (const StatusItem& item : status.items) {
    if (item.squashed.empty() || !item.migration) continue;
    const Migration& m = *item.migration;
    std::string versions;
    for (const HistoryRow* row : item.squashed) versions += " " + row->version;
    ++n;
    if (dry_run) {
      out << fmt::format("-- would record {} as applied in place of{} (squashed)\n", m.display_path,
                         versions);
      continue;
    }
    std::vector<HistoryStore::Sql> sql;
    for (const HistoryRow* row : item.squashed) {
      if (row->version == m.version) continue;
      // The events table's CHECK knows no "squash" action: a repair with a "squash:" detail.
      AppliedRecord r;
      r.source = m.source;
      r.version = row->version;
      r.name = row->name;
      r.event = "repair";
      r.event_detail = "squash: replaced by " + m.version;
      auto del = store.record_reverted(r);
      sql.insert(sql.end(), del.begin(), del.end());
    }
    AppliedRecord r = applied_record(m);
    r.execution_ms = 0;
    r.event = "repair";
    r.event_detail = "squash: applied as" + versions;
    auto rec = store.record_applied(r);
    sql.insert(sql.end(), rec.begin(), rec.end());
    if (!in_outer_transaction) conn.exec("BEGIN");
    store.run(conn, sql);
    if (!in_outer_transaction) conn.exec("COMMIT");
    out << fmt::format("Recorded {} as applied in place of {} squashed migration(s).\n",
                       m.display_path, item.squashed.size());
  }
  return n;
}

}  // namespace strata
