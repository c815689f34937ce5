// Applying and reverting migrations, and turning server errors into file:line:col errors.
#include "execute/executor.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <deque>
#include <optional>

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

PreparedMigration prepare_migration(const Migration& m, const std::string& text,
                                    const std::string& display_path, int first_line) {
  PreparedMigration p;
  p.migration = &m;
  sql::SplitFile split = sql::split_statements(text, {false, m.path, 0});
  sql::check_runnable(split, display_path, first_line);
  auto position_error = [&](const std::string& msg, int line, int col, const std::string& hint) {
    Error e(fmt::format("{}:{}:{}: {}", display_path, line + first_line - 1, col, msg),
            ExitCode::config);
    e.position = SourcePosition{display_path, line + first_line - 1, col};
    e.hint = hint;
    return e;
  };
  if (split.statements.empty())
    p.notes.push_back("no SQL statements: recorded as applied, nothing runs");
  p.statements_total = static_cast<int>(split.statements.size());
  p.whole_file = !split.parsed;
  p.transactional = !m.no_transaction;
  bool own_tx = false;
  for (auto& st : split.statements) {
    if (st.non_transactional) p.transactional = false;
    if (st.tx_control == sql::TxControl::rollback && !m.no_transaction) {
      throw position_error(
          "ROLLBACK inside a migration: strata cannot tell what it should undo", st.line, st.column,
          "remove it (strata rolls back a failed migration itself), or mark the file "
          "`-- strata:no-transaction` to manage transactions yourself");
    }
    if (st.tx_control == sql::TxControl::begin || st.tx_control == sql::TxControl::commit)
      own_tx = true;
  }
  if (!p.transactional && own_tx) {
    // Statement-by-statement mode keeps the file's own transaction control.
    p.statements = std::move(split.statements);
  } else {
    std::optional<PreparedMigration::Fold> open;
    for (auto& st : split.statements) {
      if (st.tx_control == sql::TxControl::begin) {
        open = PreparedMigration::Fold{p.statements.size(), 0, {}};
        continue;
      }
      if (st.tx_control == sql::TxControl::commit) {
        if (open) {
          open->commit_at = p.statements.size();
          p.folds.push_back(std::move(*open));
          open.reset();
        }
        continue;
      }
      if (open && st.kind == "VariableSetStmt") {
        std::string name = session_set_name(st);
        if (!name.empty()) open->session_sets.push_back(name);
      }
      p.statements.push_back(std::move(st));
    }
    if (own_tx)
      p.notes.push_back(
          "its own BEGIN/COMMIT are folded into strata's transaction (SET LOCAL still ends at "
          "its COMMIT)");
  }
  // An unparseable file marked `-- strata:no-transaction` is sent whole, outside a transaction.
  for (auto& st : p.statements) {
    st.line += first_line - 1;
  }
  return p;
}

// "connection lost" for errors after which the session is gone (admin shutdown, crash,
// terminated backend, network): exit 6, whatever statement was running.
static bool connection_gone(const db::DbError& e) {
  return e.connection_lost || e.code() == ExitCode::connection || e.sqlstate.starts_with("57P0") ||
         e.sqlstate.starts_with("08");
}

void Executor::fail(const PreparedMigration& p, const sql::Statement* st, db::DbError& e,
                    const std::string& file_text, const std::string& display_path,
                    int line_offset) {
  int line = 0, col = 0;
  if (st) {
    if (e.server_position > 0) {
      size_t off = st->offset + byte_offset_of_char(st->text, e.server_position);
      LineCol lc = line_col_at(file_text, off);
      line = lc.line + line_offset;
      col = lc.column;
    } else {
      line = st->line;
      col = st->column;
    }
    e.statement = trim(
        std::string_view(file_text).substr(st->start, st->offset + st->text.size() - st->start));
  }
  std::string where = line ? fmt::format("{}:{}:{}", display_path, line, col) : display_path;
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
  if (line) out.position = SourcePosition{display_path, line, col};
  (void)p;
  explain_missing_extension(out);
  throw out;
}

std::vector<db::Result> run_script(db::Connection& conn, const std::string& text,
                                   const std::string& display_path) {
  // The caller owns the transaction: the script's own BEGIN/COMMIT/ROLLBACK (the usual shape of
  // a pgTAP file) are left out rather than ending the caller's transaction.
  Migration m;
  m.text = text;
  m.display_path = display_path;
  PreparedMigration p;
  p.migration = &m;
  sql::SplitFile split = sql::split_statements(text);
  sql::check_runnable(split, display_path);
  p.whole_file = !split.parsed;
  for (auto& st : split.statements) {
    if (st.tx_control == sql::TxControl::begin || st.tx_control == sql::TxControl::commit ||
        st.tx_control == sql::TxControl::rollback)
      continue;
    p.statements.push_back(std::move(st));
  }
  if (p.statements.empty()) return {};
  if (p.whole_file) {
    try {
      std::vector<db::Result> out;
      out.push_back(conn.exec(text));
      return out;
    } catch (db::DbError& e) {
      Executor::fail(p, &p.statements[0], e, text, display_path, 0);
    }
  }
  std::vector<db::Connection::BatchItem> batch;
  for (const auto& st : p.statements) batch.push_back(statement_item(st));
  size_t failed = 0;
  try {
    return conn.exec_pipeline(batch, &failed);
  } catch (db::DbError& e) {
    Executor::fail(p, failed < p.statements.size() ? &p.statements[failed] : nullptr, e, text,
                   display_path, 0);
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
  StandIns stand_ins = p.whole_file ? StandIns{} : StandIns::find(conn_, p.statements);
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

AppliedMigration Executor::apply_transactional(const PreparedMigration& p,
                                               const ApplyOptions& options) {
  const Migration& m = *p.migration;
  const bool outer = options.in_outer_transaction;
  auto t0 = Clock::now();
  AppliedMigration done{m.version, m.name, static_cast<int>(p.statements.size()), 0};
  std::vector<std::string> texts;
  texts.reserve(p.statements.size());
  for (const auto& st : p.statements) texts.push_back(trim(st.text));

  std::vector<db::Connection::BatchItem> batch;
  std::vector<int> stmt_of;       // per batch item: index in p.statements, or -1 (strata's own)
  std::deque<std::string> owned;  // texts of strata's own items (BatchItem holds a view)
  auto add = [&](std::string sql, db::Params params = {}, int stmt = -1) {
    owned.push_back(std::move(sql));
    batch.push_back({owned.back(), std::move(params)});
    stmt_of.push_back(stmt);
  };
  if (!outer) {
    for (auto& s : preamble(options)) add(s);
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
      fail(p, &p.statements[0], e, m.text, m.display_path, 0);
    }
    batch.clear();
    stmt_of.clear();
  } else {
    auto folds_at = [&](size_t i) {
      for (const auto& f : p.folds)
        if (f.commit_at == i)
          for (auto& s : fold_restore(f)) add(s);
      for (const auto& f : p.folds)
        if (f.begin_at == i) add(kFoldSave);
    };
    for (size_t i = 0; i < p.statements.size(); ++i) {
      if (!p.folds.empty()) folds_at(i);
      batch.push_back(statement_item(p.statements[i]));
      stmt_of.push_back(static_cast<int>(i));
    }
    if (!p.folds.empty()) folds_at(p.statements.size());
  }
  add(kResetAuthorization);
  add(kResetRole);
  size_t lock_check_at = batch.size();
  if (lock_) add(lock_->check_sql());
  // -1: the history row measures the time server-side (transaction start to its insert).
  auto history =
      history_.record_applied(m, p.statements_total, p.statements_total, true, true, -1, "", "");
  auto supa = history_.record_supabase(m, texts);
  history.insert(history.end(), supa.begin(), supa.end());
  history.insert(history.end(), options.after.begin(), options.after.end());
  for (auto& h : history) add(h.text, h.params);
  if (!outer) add("COMMIT");
  size_t failed = 0;
  try {
    conn_.exec_pipeline(batch, &failed);
  } catch (db::DbError& e) {
    e.connection_lost = e.connection_lost || !conn_.is_open();
    if (!outer) rollback_quietly(conn_);
    if (lock_ && failed == lock_check_at && e.sqlstate == "22012")
      throw lock_->lost_error("applying " + m.display_path + " (nothing of it was committed)");
    if (failed < stmt_of.size() && stmt_of[failed] >= 0) {
      if (e.sqlstate == "2D000" && e.hint.empty())
        e.hint =
            "a DO block or procedure that COMMITs or ROLLBACKs cannot run inside strata's "
            "transaction: put `-- strata:no-transaction` on the file's first line to run it "
            "statement by statement";
      fail(p, &p.statements[static_cast<size_t>(stmt_of[failed])], e, m.text, m.display_path, 0);
    }
    fail(p, nullptr, e, m.text, m.display_path, 0);
  }
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
                                            const ApplyOptions& options, bool revert,
                                            int line_offset) {
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
          book_run(history_.record_applied(m, total, resume_at, false, false, ms_since(t0),
                                           e.what(), trim(st.text)));
        book_run({history_.record_event(m.source, m.version, m.name, "fail", e.what())});
      } catch (...) {
      }
    }
    fail(p, &st, e, m.text, m.display_path, line_offset);
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
    auto start = history_.record_applied(m, total, resume_from, false, false, 0, "", "");
    start.push_back(history_.reset_statement_hashes(m, hashes_of(0, std::min(resume_from, total))));
    book_run(start);
  }
  auto tx = [&](int i) { return p.statements[static_cast<size_t>(i)].tx_control; };
  for (int i = resume_from; i < total;) {
    const sql::Statement& st = p.statements[static_cast<size_t>(i)];
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
      auto history =
          revert ? history_.record_reverted(m, "revert")
                 : history_.record_applied(m, total, total, false, true, done.execution_ms, "", "");
      if (!revert) {
        auto supa = history_.record_supabase(m, texts);
        history.insert(history.end(), supa.begin(), supa.end());
      }
      history.insert(history.end(), options.after.begin(), options.after.end());
      history_.run(conn_, history);
    });
  } catch (db::DbError& e) {
    e.connection_lost = e.connection_lost || !conn_.is_open();
    fail(p, nullptr, e, m.text, m.display_path, line_offset);
  }
  return done;
}

AppliedMigration Executor::revert(const Migration& m, const ApplyOptions& options,
                                  int resume_from) {
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
    AppliedMigration r = apply_statements(p, resume_from, options, true, down.first_line - 1);
    r.version = m.version;
    r.name = m.name;
    return r;
  }
  std::vector<db::Connection::BatchItem> batch;
  for (const auto& s : preamble(options)) conn_.exec(s);
  batch.push_back({"BEGIN", {}});
  if (!p.whole_file)
    for (const auto& st : p.statements) batch.push_back(statement_item(st));
  auto history = history_.record_reverted(m, "revert");
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
    fail(p, st, e, down.text, display, down.first_line - 1);
  }
  return {m.version, m.name, static_cast<int>(p.statements.size()), ms_since(t0)};
}

}  // namespace strata
