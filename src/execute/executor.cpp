// Applying and reverting migrations, and turning server errors into file:line:col errors.
#include "execute/executor.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <tuple>

#include "execute/extension_hint.hpp"
#include "execute/lock.hpp"
#include "execute/stand_in.hpp"
#include "sql/splitter.hpp"
#include "util/text.hpp"

namespace strata {

using Clock = std::chrono::steady_clock;

static long long ms_since(Clock::time_point t0) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
}

// The setting a plain (session-level) SET or RESET changes, lower-case; "" for SET LOCAL and
// for what strata cannot name. Under psql such a SET outlives the COMMIT of its block.
static std::string session_set_name(const sql::Statement& st) {
  std::vector<std::string> words;
  std::string w;
  for (size_t i = st.start >= st.offset ? st.start - st.offset : 0;
       i < st.text.size() && words.size() < 3; ++i) {
    char c = st.text[i];
    if (std::isspace(static_cast<unsigned char>(c)) || c == '=' || c == ';') {
      if (!w.empty()) words.push_back(w);
      w.clear();
      if (c == '=' || c == ';') break;
    } else if (c != '"') {
      w += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  if (!w.empty() && words.size() < 3) words.push_back(w);
  if (words.size() < 2) return "";
  if (words[0] == "reset") return words[1] == "all" ? "" : words[1];
  if (words[0] != "set" || words[1] == "local" || words[1] == "transaction" ||
      words[1] == "constraints")
    return "";
  if (words[1] == "session") {
    if (words.size() < 3) return "";
    return words[2] == "authorization" ? "session_authorization" : words[2];
  }
  if (words[1] == "time") return "timezone";
  return words[1];
}

// COPY ... FROM stdin with inline data: the statement and its rows, sent with PQputCopyData.
static db::Connection::BatchItem statement_item(const sql::Statement& st) {
  db::Connection::BatchItem item{st.text, {}};
  if (st.copy_in) item.copy_data = std::string_view(st.copy_data);
  return item;
}
static void exec_statement(db::Connection& conn, const sql::Statement& st) {
  if (st.copy_in)
    conn.copy_in(st.text, st.copy_data);
  else
    conn.exec(st.text);
}

namespace {
std::mutex limits_mutex;
StreamLimits limits;
}  // namespace

StreamLimits stream_limits() {
  std::lock_guard<std::mutex> lock(limits_mutex);
  return limits;
}
void set_stream_limits(const StreamLimits& l) {
  std::lock_guard<std::mutex> lock(limits_mutex);
  limits = l;
}

namespace {

Error rollback_error(const std::string& display_path, int line, int col) {
  Error e(fmt::format("{}:{}:{}: ROLLBACK inside a migration: strata cannot tell what it should "
                      "undo",
                      display_path, line, col),
          ExitCode::config);
  e.position = SourcePosition{display_path, line, col};
  e.hint =
      "remove it (strata rolls back a failed migration itself), or mark the file "
      "`-- strata:no-transaction` to manage transactions yourself";
  return e;
}

// The statements to execute, as prepare keeps them: a file's own BEGIN and COMMIT are folded
// (left out, their places kept as Folds). Fed one statement at a time, in file order.
class Folder {
 public:
  explicit Folder(PreparedMigration& p) : p_(p) {}
  // False for a folded BEGIN/COMMIT (not executed).
  bool take(const sql::Statement& st) {
    if (st.tx_control == sql::TxControl::begin) {
      open_ = PreparedMigration::Fold{executed_, 0, {}};
      return false;
    }
    if (st.tx_control == sql::TxControl::commit) {
      if (open_) {
        open_->commit_at = executed_;
        p_.folds.push_back(std::move(*open_));
        open_.reset();
      }
      return false;
    }
    if (open_ && st.kind == "VariableSetStmt") {
      std::string name = session_set_name(st);
      if (!name.empty()) open_->session_sets.push_back(name);
    }
    ++executed_;
    return true;
  }
  size_t executed() const { return executed_; }

 private:
  PreparedMigration& p_;
  std::optional<PreparedMigration::Fold> open_;
  size_t executed_ = 0;
};

// The first pass over a big file: everything prepare checks, nothing kept per statement.
struct CheckSink final : sql::StatementSink {
  PreparedMigration& p;
  Folder folder;
  bool restarted = false, non_transactional = false, own_tx = false;
  std::optional<std::pair<int, int>> rollback;  // line, column of the first ROLLBACK
  explicit CheckSink(PreparedMigration& prepared) : p(prepared), folder(prepared) {}
  void add(sql::Statement&& st) override {
    ++p.statements_total;
    if (st.non_transactional) non_transactional = true;
    if (st.tx_control == sql::TxControl::rollback && !rollback)
      rollback = std::make_pair(st.line, st.column);
    if (st.tx_control == sql::TxControl::begin || st.tx_control == sql::TxControl::commit)
      own_tx = true;
    size_t at = folder.executed();
    if (!folder.take(st)) return;
    if (st.kind == "CreateExtensionStmt" || st.kind == "CommentStmt") {
      p.extension_at.push_back(at);
      p.extensions.push_back(std::move(st));
    }
  }
  void restart() override { restarted = true; }
};

// A big file that runs in one transaction, checked without keeping its statements; nullopt
// when it must be prepared the ordinary way (not parseable, not transactional, ...).
std::optional<PreparedMigration> prepare_streamed(const Migration& m,
                                                  const std::string& display_path) {
  PreparedMigration p;
  p.migration = &m;
  CheckSink sink(p);
  sql::SplitFile split = sql::split_statements(m.text, {false, m.path, 0}, sink);
  sql::check_runnable(split, display_path);
  if (!split.parsed || sink.restarted || sink.non_transactional) return std::nullopt;
  if (sink.rollback)
    throw rollback_error(display_path, sink.rollback->first, sink.rollback->second);
  p.streamed = true;
  p.count = sink.folder.executed();
  if (p.statements_total == 0)
    p.notes.push_back("no SQL statements: recorded as applied, nothing runs");
  if (sink.own_tx)
    p.notes.push_back(
        "its own BEGIN/COMMIT are folded into strata's transaction (SET LOCAL still ends at "
        "its COMMIT)");
  return p;
}

}  // namespace

void for_each_statement(const PreparedMigration& p,
                        const std::function<void(const sql::Statement&)>& fn) {
  if (!p.streamed) {
    for (const auto& st : p.statements) fn(st);
    return;
  }
  struct Sink final : sql::StatementSink {
    const std::function<void(const sql::Statement&)>& fn;
    explicit Sink(const std::function<void(const sql::Statement&)>& f) : fn(f) {}
    void add(sql::Statement&& st) override {
      if (st.tx_control != sql::TxControl::begin && st.tx_control != sql::TxControl::commit) fn(st);
    }
    void restart() override {
      throw Error("internal: a streamed migration split differently the second time");
    }
  } sink(fn);
  sql::split_statements(p.migration->text, {false, p.migration->path, 0}, sink);
}

PreparedMigration prepare_migration(const Migration& m, const std::string& text,
                                    const std::string& display_path, int first_line) {
  if (text.size() >= stream_limits().file_bytes && text.data() == m.text.data() &&
      !m.no_transaction && first_line == 1) {
    if (auto streamed = prepare_streamed(m, display_path)) return std::move(*streamed);
  }
  PreparedMigration p;
  p.migration = &m;
  sql::SplitFile split = sql::split_statements(text, {false, m.path, 0});
  sql::check_runnable(split, display_path, first_line);
  if (split.statements.empty())
    p.notes.push_back("no SQL statements: recorded as applied, nothing runs");
  p.statements_total = static_cast<int>(split.statements.size());
  p.whole_file = !split.parsed;
  p.transactional = !m.no_transaction;
  bool own_tx = false;
  for (auto& st : split.statements) {
    if (st.non_transactional) p.transactional = false;
    if (st.tx_control == sql::TxControl::rollback && !m.no_transaction)
      throw rollback_error(st.origin.empty() ? display_path : st.origin,
                           st.line + (st.origin.empty() ? first_line - 1 : 0), st.column);
    if (st.tx_control == sql::TxControl::begin || st.tx_control == sql::TxControl::commit)
      own_tx = true;
  }
  if (!p.transactional && own_tx) {
    // Statement-by-statement mode keeps the file's own transaction control.
    p.statements = std::move(split.statements);
  } else {
    Folder folder(p);
    for (auto& st : split.statements)
      if (folder.take(st)) p.statements.push_back(std::move(st));
    if (own_tx)
      p.notes.push_back(
          "its own BEGIN/COMMIT are folded into strata's transaction (SET LOCAL still ends at "
          "its COMMIT)");
  }
  // An unparseable file marked `-- strata:no-transaction` is sent whole, outside a transaction.
  for (auto& st : p.statements)
    if (st.origin.empty()) st.line += first_line - 1;
  return p;
}

// "connection lost" for errors after which the session is gone (admin shutdown, crash,
// terminated backend, network): exit 6, whatever statement was running.
static bool connection_gone(const db::DbError& e) {
  return e.connection_lost || e.code() == ExitCode::connection || e.sqlstate.starts_with("57P0") ||
         e.sqlstate.starts_with("08");
}

// Line and column of byte `rel` of a statement's text, from the statement's own position (its
// first token's): no rescan of the file, and right for a statement of an included file.
static std::pair<int, int> position_in(const sql::Statement& st, size_t rel) {
  size_t from = st.start >= st.offset ? st.start - st.offset : 0;
  if (rel <= from || rel > st.text.size()) return {st.line, st.column};
  int line = st.line, col = st.column;
  for (size_t i = from; i < rel; ++i) {
    unsigned char c = static_cast<unsigned char>(st.text[i]);
    if (c == '\n') {
      ++line;
      col = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++col;  // a character starts here (UTF-8 continuation bytes are not columns)
    }
  }
  return {line, col};
}

void Executor::fail(const sql::Statement* st, db::DbError& e, const std::string& display_path) {
  int line = 0, col = 0;
  std::string path = display_path;
  if (st) {
    if (!st->origin.empty()) path = st->origin;
    std::tie(line, col) = e.server_position > 0
                              ? position_in(*st, byte_offset_of_char(st->text, e.server_position))
                              : std::make_pair(st->line, st->column);
    size_t from = st->start >= st->offset ? st->start - st->offset : 0;
    e.statement = trim(std::string_view(st->text).substr(std::min(from, st->text.size())));
  }
  std::string where = line ? fmt::format("{}:{}:{}", path, line, col) : path;
  const bool lost = connection_gone(e);
  db::DbError out(fmt::format("{}{}: {}{}", lost ? "connection lost while running " : "", where,
                              e.what(), e.sqlstate.empty() ? "" : " (SQLSTATE " + e.sqlstate + ")"),
                  lost ? ExitCode::connection : ExitCode::migration_failed);
  if (lost && e.hint.empty())
    e.hint =
        "the server ended strata's session (restart, crash, pg_terminate_backend, network); "
        "what committed before stays committed: run `strata up` again to continue";
  out.sqlstate = e.sqlstate;
  out.detail = e.detail;
  out.hint = e.hint;
  out.statement = e.statement;
  out.context = e.context;
  out.connection_lost = e.connection_lost;
  if (line) out.position = SourcePosition{path, line, col};
  explain_missing_extension(out);
  throw out;
}

std::vector<db::Result> run_script(db::Connection& conn, const std::string& text,
                                   const std::string& display_path, bool keep_results) {
  // The caller owns the transaction: the script's own BEGIN/COMMIT/ROLLBACK (the usual shape of
  // a pgTAP file) are left out rather than ending the caller's transaction.
  auto own_tx = [](const sql::Statement& st) {
    return st.tx_control == sql::TxControl::begin || st.tx_control == sql::TxControl::commit ||
           st.tx_control == sql::TxControl::rollback;
  };
  if (!keep_results && text.size() >= stream_limits().file_bytes) {
    // Checked whole first (nothing is sent from a file that cannot run), then split again and
    // sent batch by batch; only one batch's statements are held at a time.
    struct Check final : sql::StatementSink {
      bool restarted = false;
      void add(sql::Statement&&) override {}
      void restart() override { restarted = true; }
    } check;
    sql::SplitFile split = sql::split_statements(text, {}, check);
    sql::check_runnable(split, display_path);
    if (split.parsed && !check.restarted) {
      struct Send final : sql::StatementSink {
        db::Connection& conn;
        const std::string& path;
        std::deque<sql::Statement> kept;
        std::vector<db::Connection::BatchItem> batch;
        size_t bytes = 0;
        bool (*skip)(const sql::Statement&);
        std::optional<sql::Statement> bad;  // the statement that failed
        Send(db::Connection& c, const std::string& p, bool (*s)(const sql::Statement&))
            : conn(c), path(p), skip(s) {}
        void add(sql::Statement&& st) override {
          if (skip(st)) return;
          kept.push_back(std::move(st));
          batch.push_back(statement_item(kept.back()));
          bytes += kept.back().text.size() + kept.back().copy_data.size();
          if (bytes >= stream_limits().batch_bytes) flush();
        }
        void restart() override {
          throw Error("internal: a streamed script split differently the second time");
        }
        void flush() {
          if (batch.empty()) return;
          size_t failed = 0;
          try {
            conn.exec_pipeline(batch, &failed);
          } catch (db::DbError&) {
            if (failed < kept.size()) bad = std::move(kept[failed]);
            throw;
          }
          batch.clear();
          kept.clear();
          bytes = 0;
        }
      } send(conn, display_path, +own_tx);
      try {
        sql::split_statements(text, {}, send);
        send.flush();
      } catch (db::DbError& e) {
        Executor::fail(send.bad ? &*send.bad : nullptr, e, display_path);
      }
      return {};
    }
  }
  Migration m;
  m.text = text;
  m.display_path = display_path;
  PreparedMigration p;
  p.migration = &m;
  sql::SplitFile split = sql::split_statements(text);
  sql::check_runnable(split, display_path);
  p.whole_file = !split.parsed;
  for (auto& st : split.statements) {
    if (own_tx(st)) continue;
    p.statements.push_back(std::move(st));
  }
  if (p.statements.empty()) return {};
  if (p.whole_file) {
    try {
      std::vector<db::Result> out;
      out.push_back(conn.exec(text));
      return out;
    } catch (db::DbError& e) {
      Executor::fail(&p.statements[0], e, display_path);
    }
  }
  std::vector<db::Connection::BatchItem> batch;
  for (const auto& st : p.statements) batch.push_back(statement_item(st));
  size_t failed = 0;
  try {
    return conn.exec_pipeline(batch, &failed);
  } catch (db::DbError& e) {
    Executor::fail(failed < p.statements.size() ? &p.statements[failed] : nullptr, e, display_path);
  }
}

// Statements that reset the session before a migration, so one file's SET (search_path,
// timeouts) never leaks into the next; then the app's search_path, if any. The role is reset
// after each migration's statements (it is not part of RESET ALL). The server checks every
// second, even mid-statement, whether strata is still there, and stops work for a dead client.
static constexpr const char* kCheckInterval = "SET client_connection_check_interval = 1000";
static std::vector<std::string> preamble(const ApplyOptions& o) {
  std::vector<std::string> out = {"RESET ALL", kCheckInterval};
  if (!o.schema.empty()) out.push_back("SET search_path TO " + o.schema + ", public, extensions");
  return out;
}

// SET ROLE / SET SESSION AUTHORIZATION (or set_config('role', ...)) in a migration: strata's
// own rows are written as the role strata logged in as, and the next file starts as that role.
static constexpr const char* kResetAuthorization = "RESET SESSION AUTHORIZATION";
static constexpr const char* kResetRole = "RESET ROLE";

static std::string sql_literal(std::string_view v) {
  std::string out = "'";
  for (char c : v) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

// A folded BEGIN saves the settings; the folded COMMIT puts back what SET LOCAL or
// set_config(..., true) changed in between (the role first), as psql's COMMIT would end them.
static const char* kFoldSave =
    "SELECT set_config('strata.fold_settings', ((SELECT jsonb_object_agg(name, setting) FROM "
    "pg_catalog.pg_settings WHERE context IN ('user', 'superuser') AND name NOT LIKE "
    "'transaction\\_%') || jsonb_build_object('role', current_setting('role')))::text, true), "
    "set_config('strata.fold_statement_timeout', current_setting('statement_timeout'), true)";
static std::vector<std::string> fold_restore(const PreparedMigration::Fold& f) {
  std::string keep;
  for (const auto& n : f.session_sets) keep += ", " + sql_literal(n);
  std::vector<std::string> out;
  auto kept = [&](const char* name) {
    return std::find(f.session_sets.begin(), f.session_sets.end(), name) != f.session_sets.end();
  };
  // A short SET LOCAL statement_timeout must not cut the restore below: it goes first, alone.
  if (!kept("statement_timeout"))
    out.push_back(
        "SELECT set_config('statement_timeout', current_setting('strata.fold_statement_timeout'), "
        "true)");
  if (!kept("role"))
    out.push_back(
        "SELECT set_config('role', r, true) FROM (SELECT current_setting('strata.fold_settings')"
        "::jsonb ->> 'role' AS r) x WHERE r IS DISTINCT FROM current_setting('role')");
  out.push_back(
      "SELECT count(set_config(s.k, s.v, true)) FROM jsonb_each_text(current_setting("
      "'strata.fold_settings')::jsonb) s(k, v) JOIN pg_catalog.pg_settings p ON p.name = s.k "
      "WHERE p.setting IS DISTINCT FROM s.v AND s.k NOT IN ('role'" +
      keep + ")");
  return out;
}

static void rollback_quietly(db::Connection& conn) {
  try {
    if (conn.is_open() && conn.in_transaction()) conn.exec("ROLLBACK");
  } catch (...) {
  }
}

AppliedMigration Executor::apply(const PreparedMigration& p, int resume_from,
                                 const ApplyOptions& options) {
  // CREATE EXTENSION of a Supabase-only extension runs strata's stand-in where one is installed.
  StandIns stand_ins =
      p.whole_file ? StandIns{} : StandIns::find(conn_, p.streamed ? p.extensions : p.statements);
  if (!stand_ins.empty() && p.streamed) {
    std::map<size_t, std::string> replaced;
    for (size_t k = 0; k < p.extensions.size(); ++k) {
      std::string_view text = stand_ins.text(k, p.extensions[k].text);
      if (text.data() != p.extensions[k].text.data())
        replaced.emplace(p.extension_at[k], std::string(text));
    }
    return apply_transactional(p, options, replaced);
  }
  if (!stand_ins.empty()) {
    PreparedMigration q = p;
    for (size_t i = 0; i < q.statements.size(); ++i)
      q.statements[i].text = std::string(stand_ins.text(i, q.statements[i].text));
    return q.transactional ? apply_transactional(q, options)
                           : apply_statements(q, resume_from, options);
  }
  if (p.transactional) return apply_transactional(p, options);
  return apply_statements(p, resume_from, options);
}

// The record of a non-transactional migration that has run its first `applied` statements of
// `total` and is not finished (success false; `error` and `failed_statement` when one failed).
static AppliedRecord partial_record(const Migration& m, int total, int applied, long long ms,
                                    std::string error, std::string failed_statement) {
  AppliedRecord r = applied_record(m);
  r.statements_total = total;
  r.statements_applied = applied;
  r.transactional = false;
  r.success = false;
  r.execution_ms = ms;
  r.error = std::move(error);
  r.failed_statement = std::move(failed_statement);
  return r;
}

AppliedMigration Executor::apply_transactional(const PreparedMigration& p,
                                               const ApplyOptions& options,
                                               const std::map<size_t, std::string>& replaced) {
  const Migration& m = *p.migration;
  const bool outer = options.in_outer_transaction;
  auto t0 = Clock::now();
  AppliedMigration done{m.version, m.name, static_cast<int>(p.size()), 0};
  // The Supabase CLI's history keeps every statement's text: only collected when it is kept.
  const bool keep_texts = history_.keeps_statement_texts(m.source);
  std::vector<std::string> texts;

  // The batch being built: strata's own items and the file's statements, in order. A streamed
  // migration sends a batch whenever it holds StreamLimits::batch_bytes of SQL and forgets it
  // (statements, results) once the server has run it, so memory stays bounded whatever the file's
  // size.
  const size_t batch_limit = stream_limits().batch_bytes;
  std::vector<db::Connection::BatchItem> batch;
  std::vector<const sql::Statement*> stmt_of;  // per item: the file's statement, or null
  std::deque<std::string> owned;               // texts of strata's own items (items hold views)
  std::deque<sql::Statement> kept;             // a streamed migration's statements in the batch
  size_t batch_bytes = 0;
  size_t lock_check_at = SIZE_MAX;
  auto add = [&](std::string sql, db::Params params = {}) {
    owned.push_back(std::move(sql));
    batch.push_back({owned.back(), std::move(params)});
    stmt_of.push_back(nullptr);
  };
  auto send = [&] {
    size_t failed = 0;
    try {
      conn_.exec_pipeline(batch, &failed);  // the results are dropped at once
    } catch (db::DbError& e) {
      e.connection_lost = e.connection_lost || !conn_.is_open();
      if (!outer) rollback_quietly(conn_);
      if (lock_ && failed == lock_check_at && e.sqlstate == "22012")
        throw lock_->lost_error("applying " + m.display_path + " (nothing of it was committed)");
      if (failed < stmt_of.size() && stmt_of[failed]) {
        if (e.sqlstate == "2D000" && e.hint.empty())
          e.hint =
              "a DO block or procedure that COMMITs or ROLLBACKs cannot run inside strata's "
              "transaction: put `-- strata:no-transaction` on the file's first line to run it "
              "statement by statement";
        fail(stmt_of[failed], e, m.display_path);
      }
      fail(nullptr, e, m.display_path);
    }
    batch.clear();
    stmt_of.clear();
    owned.clear();
    kept.clear();
    batch_bytes = 0;
  };
  if (!outer) {
    // The previous migration of this executor committed with the session reset (see below):
    // only the first one, or one after a non-transactional file, starts with the reset.
    if (!clean_) {
      if (login_.empty()) {
        auto who = conn_.exec("SELECT session_user, current_setting('role')");
        login_ = who.get(0, 0);
        role_ = who.get(0, 1);
      }
      for (auto& s : preamble(options)) add(s);
    }
    clean_ = false;
    add("BEGIN");
  } else {
    // Inside --single-transaction too, no file's settings leak into the next.
    add("RESET ALL");
    add(kCheckInterval);
    if (!options.schema.empty())
      add("SET LOCAL search_path TO " + options.schema + ", public, extensions");
  }
  if (p.whole_file) {
    // Not parseable by libpg_query: the server parses it, as one multi-statement string.
    try {
      conn_.exec_pipeline(batch, nullptr);
      conn_.exec(m.text);
    } catch (db::DbError& e) {
      e.connection_lost = e.connection_lost || !conn_.is_open();
      if (!outer) rollback_quietly(conn_);
      fail(&p.statements[0], e, m.display_path);
    }
    batch.clear();
    stmt_of.clear();
    if (keep_texts) texts.push_back(trim(p.statements[0].text));
  } else {
    auto folds_at = [&](size_t i) {
      for (const auto& f : p.folds)
        if (f.commit_at == i)
          for (auto& s : fold_restore(f)) add(s);
      for (const auto& f : p.folds)
        if (f.begin_at == i) add(kFoldSave);
    };
    size_t i = 0;
    for_each_statement(p, [&](const sql::Statement& st) {
      if (!p.folds.empty()) folds_at(i);
      const sql::Statement* item = &st;
      if (p.streamed) {
        kept.push_back(st);
        if (auto r = replaced.find(i); r != replaced.end()) kept.back().text = r->second;
        item = &kept.back();
      }
      if (keep_texts) texts.push_back(trim(item->text));
      batch.push_back(statement_item(*item));
      stmt_of.push_back(item);
      batch_bytes += item->text.size() + item->copy_data.size();
      ++i;
      if (p.streamed && batch_bytes >= batch_limit) send();
    });
    if (!p.folds.empty()) folds_at(i);
  }
  if (outer) {
    add(kResetAuthorization);
    add(kResetRole);
    if (lock_) {
      lock_check_at = batch.size();
      add(lock_->check_sql());
    }
  } else {
    // Before the history rows, in the same transaction: the session as the next file must find
    // it (RESET ALL, then the login role, strata's settings and the app's search_path) and,
    // in the same statement, the lock check. What the file SET never outlives its COMMIT; a
    // failed file rolls it all back.
    add("RESET ALL");
    lock_check_at = batch.size();
    db::Params params = {login_, role_};
    std::string sets =
        "set_config('session_authorization', $1, false), set_config('role', $2, false), "
        "set_config('client_connection_check_interval', '1000', false)";
    if (!options.schema.empty()) {
      params.push_back(options.schema + ", public, extensions");
      sets += ", set_config('search_path', $3, false)";
    }
    add(fmt::format("SELECT {} FROM (SELECT {} OFFSET 0) s",
                    lock_ ? lock_->check_expression() : "1", sets),
        params);
  }
  // -1: the history row measures the time server-side (transaction start to its insert).
  AppliedRecord record = applied_record(m);
  record.statements_total = record.statements_applied = p.statements_total;
  record.execution_ms = -1;
  record.statements = std::move(texts);
  auto history = history_.record_applied(record);
  history.insert(history.end(), options.after.begin(), options.after.end());
  for (auto& h : history) add(h.text, h.params);
  if (!outer) add("COMMIT");
  send();
  clean_ = !outer;
  done.execution_ms = ms_since(t0);
  return done;
}

namespace {
// Statements that only change the session (SET, RESET): nothing of theirs outlives the
// session, so they need no in-flight mark (a resume replays them anyway).
bool session_only(const sql::Statement& st) {
  return st.kind == "VariableSetStmt";
}
// Statements strata may run inside a transaction of its own, so the in-flight mark can name
// the transaction and a later run can ask the server whether it committed. A DO block or a
// procedure may COMMIT itself: those run as written.
bool wrappable(const PreparedMigration& p, const sql::Statement& st) {
  return !p.whole_file && !st.non_transactional && st.tx_control == sql::TxControl::none &&
         st.kind != "DoStmt" && st.kind != "CallStmt" && st.kind != "unparsed" &&
         st.kind != "TransactionStmt" && !st.kind.empty();
}
}  // namespace

AppliedMigration Executor::apply_statements(const PreparedMigration& p, int resume_from,
                                            const ApplyOptions& options, bool revert) {
  clean_ = false;  // the file's settings outlive it: the next migration starts with a reset
  const Migration& m = *p.migration;
  auto t0 = Clock::now();
  AppliedMigration done{m.version, m.name, static_cast<int>(p.statements.size()), 0};
  const int total = static_cast<int>(p.statements.size());
  std::vector<std::string> texts, hashes;
  for (const auto& st : p.statements) {
    texts.push_back(trim(st.text));
    hashes.push_back(statement_hash(st.text));
  }
  auto hashes_of = [&](int from, int to) {
    return std::vector<std::string>(hashes.begin() + from, hashes.begin() + to);
  };
  // strata's bookkeeping runs on the lock session: it commits on its own, never as a role the
  // file switched to, and each write proves the lock is still held.
  db::Connection& book = lock_ ? lock_->session() : conn_;
  const std::string doing = "running " + m.display_path;
  auto book_run = [&](const std::vector<HistoryStore::Sql>& sql) {
    try {
      history_.run(book, sql);
    } catch (const Error&) {
      if (lock_ && !book.is_open()) {
        rollback_quietly(conn_);
        throw lock_->lost_error(doing);
      }
      throw;
    }
  };
  auto mark = [&](int from, int to, const std::string& xid) {
    const sql::Statement& st = p.statements[static_cast<size_t>(from)];
    InFlight f{from,
               to,
               conn_.backend_pid(),
               xid,
               st.kind,
               st.line,
               texts[static_cast<size_t>(from)],
               hashes_of(from, to),
               revert};
    book_run({history_.record_in_flight(m, f)});
  };
  auto progress = [&](int from, int to) {
    book_run({history_.record_progress(m.source, m.version, to, hashes_of(from, to))});
  };
  // A statement failed. The server's answer says it did not run: record where to resume.
  // No answer (connection gone): leave the in-flight mark for the next run to resolve.
  auto failed = [&](int resume_at, const sql::Statement& st, db::DbError& e) {
    e.connection_lost = e.connection_lost || !conn_.is_open();
    rollback_quietly(conn_);
    if (!e.sqlstate.empty() || !e.connection_lost) {
      try {
        if (revert)
          book_run({history_.record_revert_progress(m, resume_at, e.what())});
        else
          book_run(history_.record_applied(
              partial_record(m, total, resume_at, ms_since(t0), e.what(), trim(st.text))));
        book_run({history_.record_event(m.source, m.version, m.name, "fail", e.what())});
      } catch (...) {
      }
    }
    fail(&st, e, m.display_path);
  };

  {
    std::string pre;
    for (const auto& s : preamble(options)) pre += s + ";";
    conn_.exec(pre);
  }
  // Resuming: the session settings the skipped statements made (SET search_path, SET ROLE,
  // timeouts) are replayed, so the rest runs as it would have.
  for (int i = 0; i < resume_from && i < total; ++i) {
    if (session_only(p.statements[static_cast<size_t>(i)]))
      conn_.exec(p.statements[static_cast<size_t>(i)].text);
  }
  if (revert) {
    book_run({history_.record_revert_progress(m, resume_from)});
  } else {
    auto start = history_.record_applied(partial_record(m, total, resume_from, 0, "", ""));
    start.push_back(history_.reset_statement_hashes(m, hashes_of(0, std::min(resume_from, total))));
    book_run(start);
  }
  auto tx = [&](int i) { return p.statements[static_cast<size_t>(i)].tx_control; };
  for (int i = resume_from; i < total;) {
    const sql::Statement& st = p.statements[static_cast<size_t>(i)];
    if (on_statement) on_statement(p, i, st);  // progress display only
    if (st.tx_control == sql::TxControl::begin) {
      // The file's own BEGIN ... COMMIT: atomic on the server; only its COMMIT can be in doubt.
      int j = i + 1;
      while (j < total && tx(j) != sql::TxControl::commit && tx(j) != sql::TxControl::rollback) ++j;
      if (lock_) lock_->check(doing);
      for (int k = i; k < j; ++k) {
        const sql::Statement& sk = p.statements[static_cast<size_t>(k)];
        try {
          exec_statement(conn_, sk);
        } catch (db::DbError& e) {
          failed(i, sk, e);  // the block is undone: resume at its BEGIN
        }
      }
      if (j < total) {
        const sql::Statement& end = p.statements[static_cast<size_t>(j)];
        try {
          if (tx(j) == sql::TxControl::commit) {
            std::string xid = conn_.exec("SELECT pg_current_xact_id_if_assigned()::text").get(0, 0);
            if (!xid.empty())
              mark(i, j + 1, xid);
            else if (lock_)
              lock_->check(doing);
          }
          conn_.exec(end.text);
        } catch (db::DbError& e) {
          failed(i, end, e);
        }
      }
      progress(i, std::min(j + 1, total));
      i = j + 1;
      continue;
    }
    if (session_only(st)) {
      try {
        conn_.exec(st.text);
      } catch (db::DbError& e) {
        failed(i, st, e);
      }
      progress(i, i + 1);
      ++i;
      continue;
    }
    bool wrap = wrappable(p, st);
    if (wrap) {
      // BEGIN; the statement; mark it in flight with its transaction id; COMMIT.
      size_t failed_at = 0;
      std::string xid;
      try {
        auto r = conn_.exec_pipeline(
            {{"BEGIN", {}}, {"SELECT pg_current_xact_id()::text", {}}, statement_item(st)},
            &failed_at);
        xid = r.at(1).get(0, 0);
      } catch (db::DbError& e) {
        if (e.sqlstate == "25001" && failed_at == 2 && conn_.is_open()) {
          rollback_quietly(conn_);
          wrap = false;  // cannot run in a transaction block after all: run it as written
        } else {
          failed(i, st, e);
        }
      }
      if (wrap) {
        try {
          mark(i, i + 1, xid);
        } catch (...) {
          rollback_quietly(conn_);
          throw;
        }
        try {
          conn_.exec("COMMIT");
        } catch (db::DbError& e) {
          failed(i, st, e);
        }
        progress(i, i + 1);
        ++i;
        continue;
      }
    }
    mark(i, i + 1, "");
    try {
      exec_statement(conn_, st);
    } catch (db::DbError& e) {
      failed(i, st, e);
    }
    progress(i, i + 1);
    ++i;
  }
  done.execution_ms = ms_since(t0);
  if (lock_) lock_->check("finishing " + m.display_path);
  try {
    conn_.exec(std::string(kResetAuthorization) + ";" + kResetRole);
    db::in_transaction(conn_, [&] {
      AppliedRecord record = partial_record(m, total, total, done.execution_ms, "", "");
      record.success = true;
      record.statements = std::move(texts);
      auto history =
          revert ? history_.record_reverted(applied_record(m)) : history_.record_applied(record);
      history.insert(history.end(), options.after.begin(), options.after.end());
      history_.run(conn_, history);
    });
  } catch (db::DbError& e) {
    e.connection_lost = e.connection_lost || !conn_.is_open();
    fail(nullptr, e, m.display_path);
  }
  return done;
}

AppliedMigration Executor::revert(const Migration& m, const ApplyOptions& options,
                                  int resume_from) {
  clean_ = false;
  const DownScript& down = *m.down;
  auto t0 = Clock::now();
  std::string display = m.display_path;
  if (down.path != m.path) display = down.path.filename().string();
  Migration down_m = m;  // for prepare: same identity, the down text
  down_m.text = down.text;
  down_m.display_path = display;
  down_m.no_transaction = down.no_transaction;
  PreparedMigration p = prepare_migration(down_m, down.text, display, down.first_line);
  if (!p.transactional) {
    // As a non-transactional up file: statement by statement, each marked in flight first.
    AppliedMigration r = apply_statements(p, resume_from, options, true);
    r.version = m.version;
    r.name = m.name;
    return r;
  }
  std::vector<db::Connection::BatchItem> batch;
  for (const auto& s : preamble(options)) conn_.exec(s);
  batch.push_back({"BEGIN", {}});
  if (!p.whole_file)
    for (const auto& st : p.statements) batch.push_back(statement_item(st));
  auto history = history_.record_reverted(applied_record(m));
  history.insert(history.end(), options.after.begin(), options.after.end());
  for (auto& h : history) batch.push_back({h.text, h.params});
  batch.push_back({"COMMIT", {}});
  size_t failed = 0;
  try {
    if (p.whole_file) {
      conn_.exec("BEGIN");
      conn_.exec(down.text);
      batch.erase(batch.begin());
    }
    conn_.exec_pipeline(batch, &failed);
  } catch (db::DbError& e) {
    if (conn_.is_open() && conn_.in_transaction()) conn_.exec("ROLLBACK");
    const sql::Statement* st = nullptr;
    if (!p.whole_file && failed >= 1 && failed <= p.statements.size())
      st = &p.statements[failed - 1];
    if (p.whole_file) st = &p.statements[0];
    fail(st, e, display);
  }
  return {m.version, m.name, static_cast<int>(p.statements.size()), ms_since(t0)};
}

}  // namespace strata
