// Applying and reverting migrations, and turning server errors into file:line:col errors.
#include "execute/executor.hpp"

#include <fmt/format.h>

#include <chrono>

#include "execute/extension_hint.hpp"
#include "sql/splitter.hpp"
#include "util/text.hpp"

namespace strata {

using Clock = std::chrono::steady_clock;

static long long ms_since(Clock::time_point t0) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
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
    for (auto& st : split.statements) {
      if (st.tx_control == sql::TxControl::begin || st.tx_control == sql::TxControl::commit)
        continue;
      p.statements.push_back(std::move(st));
    }
    if (own_tx) p.notes.push_back("its own BEGIN/COMMIT are folded into strata's transaction");
  }
  // An unparseable file marked `-- strata:no-transaction` is sent whole, outside a transaction.
  for (auto& st : p.statements) {
    st.line += first_line - 1;
  }
  return p;
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
  db::DbError out(
      fmt::format("{}: {}{}", where, e.what(),
                  e.sqlstate.empty() ? "" : " (SQLSTATE " + e.sqlstate + ")"),
      e.code() == ExitCode::connection ? ExitCode::connection : ExitCode::migration_failed);
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

// Statements that reset the session before a migration, so one file's SET (search_path, role,
// timeouts) never leaks into the next; then the app's search_path, if any.
static std::vector<std::string> preamble(const ApplyOptions& o) {
  std::vector<std::string> out = {"RESET ALL"};
  if (!o.schema.empty()) out.push_back("SET search_path TO " + o.schema + ", public, extensions");
  return out;
}

AppliedMigration Executor::apply(const PreparedMigration& p, int resume_from,
                                 const ApplyOptions& options) {
  const Migration& m = *p.migration;
  const bool outer = options.in_outer_transaction;
  auto t0 = Clock::now();
  AppliedMigration done{m.version, m.name, static_cast<int>(p.statements.size()), 0};
  std::vector<std::string> texts;
  texts.reserve(p.statements.size());
  for (const auto& st : p.statements) texts.push_back(trim(st.text));
  std::vector<std::string> pre = preamble(options);

  if (p.transactional) {
    std::vector<db::Connection::BatchItem> batch;
    if (!outer) {
      for (const auto& s : pre) batch.push_back({s, {}});
      batch.push_back({"BEGIN", {}});
    } else {
      // Inside --single-transaction too, no file's settings leak into the next.
      batch.push_back({"RESET ALL", {}});
      if (!options.schema.empty())
        batch.push_back(
            {"SET LOCAL search_path TO " + options.schema + ", public, extensions", {}});
    }
    if (p.whole_file) {
      // Not parseable by libpg_query: the server parses it, as one multi-statement string.
      try {
        conn_.exec_pipeline(batch, nullptr);
        conn_.exec(m.text);
      } catch (db::DbError& e) {
        if (!outer && conn_.is_open() && conn_.in_transaction()) conn_.exec("ROLLBACK");
        fail(p, &p.statements[0], e, m.text, m.display_path, 0);
      }
      batch.clear();
    }
    size_t first_stmt = batch.size();
    if (!p.whole_file) {
      for (const auto& st : p.statements) batch.push_back(statement_item(st));
    }
    size_t n_stmt_items = batch.size();
    // -1: the history row measures the time server-side (transaction start to its insert).
    auto history =
        history_.record_applied(m, p.statements_total, p.statements_total, true, true, -1, "", "");
    auto supa = history_.record_supabase(m, texts);
    history.insert(history.end(), supa.begin(), supa.end());
    history.insert(history.end(), options.after.begin(), options.after.end());
    for (auto& h : history) batch.push_back({h.text, h.params});
    if (!outer) batch.push_back({"COMMIT", {}});
    size_t failed = 0;
    try {
      conn_.exec_pipeline(batch, &failed);
    } catch (db::DbError& e) {
      if (conn_.is_open() && conn_.in_transaction() && !outer) conn_.exec("ROLLBACK");
      if (!p.whole_file && failed >= first_stmt && failed < n_stmt_items) {
        fail(p, &p.statements[failed - first_stmt], e, m.text, m.display_path, 0);
      }
      fail(p, nullptr, e, m.text, m.display_path, 0);
    }
    done.execution_ms = ms_since(t0);
    return done;
  }

  // Non-transactional: statement by statement, progress recorded after each.
  int total = static_cast<int>(p.statements.size());
  for (const auto& s : pre) conn_.exec(s);
  // Resuming: the session settings the skipped statements made (SET search_path, SET ROLE,
  // timeouts) are replayed, so the rest runs as it would have.
  for (int i = 0; i < resume_from && i < total; ++i) {
    if (p.statements[static_cast<size_t>(i)].kind == "VariableSetStmt")
      conn_.exec(p.statements[static_cast<size_t>(i)].text);
  }
  history_.run(conn_, history_.record_applied(m, total, resume_from, false, false, 0, "", ""));
  int open_tx_at = -1;  // index of the file's own BEGIN while its transaction is open
  for (int i = resume_from; i < total; ++i) {
    const sql::Statement& st = p.statements[static_cast<size_t>(i)];
    try {
      exec_statement(conn_, st);
      if (st.tx_control == sql::TxControl::begin) open_tx_at = i;
      if (st.tx_control == sql::TxControl::commit || st.tx_control == sql::TxControl::rollback)
        open_tx_at = -1;
    } catch (db::DbError& e) {
      if (conn_.is_open()) {
        if (conn_.in_transaction()) conn_.exec("ROLLBACK");
        // A failure inside the file's own transaction undoes everything since its BEGIN.
        int resume_at = open_tx_at >= 0 ? open_tx_at : i;
        history_.run(conn_, history_.record_applied(m, total, resume_at, false, false, ms_since(t0),
                                                    e.what(), trim(st.text)));
        history_.run(conn_, {history_.record_event(m.source, m.version, m.name, "fail", e.what())});
      }
      fail(p, &st, e, m.text, m.display_path, 0);
    }
    history_.run(
        conn_,
        {{fmt::format(
              "UPDATE {}.migrations SET statements_applied = $3 WHERE source = $1 AND version = $2",
              history_.schema()),
          {m.source, m.version, std::to_string(i + 1)}}});
  }
  done.execution_ms = ms_since(t0);
  conn_.exec("BEGIN");
  auto history = history_.record_applied(m, total, total, false, true, done.execution_ms, "", "");
  auto supa = history_.record_supabase(m, texts);
  history.insert(history.end(), supa.begin(), supa.end());
  history.insert(history.end(), options.after.begin(), options.after.end());
  history_.run(conn_, history);
  conn_.exec("COMMIT");
  return done;
}

AppliedMigration Executor::revert(const Migration& m, const ApplyOptions& options) {
  const DownScript& down = *m.down;
  auto t0 = Clock::now();
  std::string display = m.display_path;
  if (down.path != m.path) display = down.path.filename().string();
  Migration down_m = m;  // for prepare: same identity, the down text
  down_m.text = down.text;
  down_m.no_transaction = false;  // the up file's directive says nothing about its down script
  PreparedMigration p = prepare_migration(down_m, down.text, display, down.first_line);
  if (!p.transactional) {
    throw Error(fmt::format(
        "{}: down scripts must run in a transaction; this one has a statement that cannot "
        "(e.g. DROP INDEX CONCURRENTLY)",
        display));
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
