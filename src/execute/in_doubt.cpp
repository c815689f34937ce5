// What the server can tell about a statement an interrupted run left in flight.
#include "execute/in_doubt.hpp"

#include <fmt/format.h>

#include <cctype>
#include <filesystem>
#include <optional>
#include <vector>

#include "util/text.hpp"

namespace strata {

namespace {

// Words of a statement's head: identifiers lower-cased unless quoted, comments skipped;
// "a.b" stays one word; stops at '(' or after `limit` words.
std::vector<std::string> head_words(const std::string& text, size_t limit) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < text.size() && out.size() < limit) {
    char c = text[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '-' && i + 1 < text.size() && text[i + 1] == '-') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      size_t e = text.find("*/", i + 2);
      i = e == std::string::npos ? text.size() : e + 2;
    } else if (c == '(' || c == ';') {
      break;
    } else {
      std::string w;
      while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i])) &&
             text[i] != '(' && text[i] != ';') {
        if (text[i] == '"') {
          size_t e = text.find('"', i + 1);
          if (e == std::string::npos) e = text.size() - 1;
          w += text.substr(i, e - i + 1);
          i = e + 1;
        } else {
          w += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
          ++i;
        }
      }
      out.push_back(w);
    }
  }
  return out;
}

struct IndexTarget {
  std::string index;  // as written (quoted or lower-cased)
  std::string table;  // as written, maybe schema-qualified
};

// CREATE [UNIQUE] INDEX CONCURRENTLY [IF NOT EXISTS] name ON [ONLY] table ...
std::optional<IndexTarget> concurrent_index(const std::string& text) {
  auto w = head_words(text, 12);
  size_t i = 0;
  auto is = [&](const char* s) { return i < w.size() && w[i] == s; };
  if (!is("create")) return std::nullopt;
  ++i;
  if (is("unique")) ++i;
  if (!is("index")) return std::nullopt;
  ++i;
  if (!is("concurrently")) return std::nullopt;
  ++i;
  if (is("if")) i += 3;
  if (is("on") || i >= w.size()) return std::nullopt;  // no name: cannot be looked up
  IndexTarget t;
  t.index = w[i++];
  if (!is("on")) return std::nullopt;
  ++i;
  if (is("only")) ++i;
  if (i >= w.size()) return std::nullopt;
  t.table = w[i];
  return t;
}

// The index's validity: "t", "f", or "" when it does not exist.
std::string index_state(db::Connection& conn, const IndexTarget& t) {
  auto r = conn.exec_params(
      "SELECT CASE WHEN x.indisvalid THEN 't' ELSE 'f' END FROM pg_catalog.pg_index x JOIN "
      "pg_catalog.pg_class c ON c.oid = "
      "x.indexrelid WHERE x.indrelid = to_regclass($1) AND c.oid = to_regclass(quote_ident(("
      "SELECT n.nspname FROM pg_catalog.pg_class r JOIN pg_catalog.pg_namespace n ON n.oid = "
      "r.relnamespace WHERE r.oid = to_regclass($1))) || '.' || $2)",
      {t.table, t.index});
  return r.rows() ? r.get(0, 0) : "";
}

void drop_index(db::Connection& conn, const IndexTarget& t) {
  auto r = conn.exec_params(
      "SELECT quote_ident(n.nspname) FROM pg_catalog.pg_class r JOIN pg_catalog.pg_namespace n ON "
      "n.oid = r.relnamespace WHERE r.oid = to_regclass($1)",
      {t.table});
  if (!r.rows()) return;
  conn.exec(fmt::format("DROP INDEX CONCURRENTLY IF EXISTS {}.{}", r.get(0, 0), t.index));
}

// The statement's first line, at most 120 bytes, for a message. Cut in place (erase/append):
// gcc 12 reports a false -Warray-bounds for `substr(...) + "..."` once this is inlined.
std::string first_line_of(const std::string& s) {
  std::string t = trim(s);
  if (size_t nl = t.find('\n'); nl != std::string::npos) t.erase(nl).append(" ...");
  if (t.size() > 120) t.erase(117).append("...");
  return t;
}

}  // namespace

std::string in_flight_file(const Migration* m, const HistoryRow& row) {
  const InFlight& f = *row.in_flight;
  if (!m) return row.version + "_" + row.name;
  if (f.down && m->down && m->down->path != m->path)
    return (std::filesystem::path(m->display_path).parent_path() / m->down->path.filename())
        .string();
  return m->display_path;
}

Error in_doubt_error(const Migration* m, const HistoryRow& row, const std::string& why,
                     const std::string& source_flag) {
  const InFlight& f = *row.in_flight;
  // A statement of a down script (a non-transactional revert) is settled and finished by
  // `strata down`, one of the up file by `strata up`.
  const char* command = f.down ? "down" : "up";
  std::string file = in_flight_file(m, row);
  Error e(
      fmt::format("{}:{}: in doubt: an interrupted `strata {}` sent this {}statement and "
                  "strata cannot tell whether it completed: {}",
                  file, f.line, command, f.down ? "down script " : "", first_line_of(f.statement)),
      ExitCode::in_doubt);
  e.position = SourcePosition{file, f.line, 1};
  std::string done =
      f.down ? fmt::format("statements 1-{} of its down script are done", f.from)
             : fmt::format("statements 1-{} of {} are done", f.from, row.statements_total);
  e.detail = fmt::format(
      "{} ({}; the interrupted run's backend, pid {}, has ended). strata never runs such a "
      "statement again by itself",
      why, done, f.pid);
  e.hint = fmt::format(
      "check in the database whether this statement's change is there (e.g. the rows it "
      "{2}), then record what you found: `strata repair --in-doubt ran {0}{1}` (it ran: "
      "continue after it) or `strata repair --in-doubt not-run {0}{1}` (it did not: run it "
      "again); then `strata {3}`{4}",
      source_flag, row.version, f.down ? "removes" : "updates", command,
      f.down ? " to finish its down script" : "");
  return e;
}

void drop_invalid_index_of(db::Connection& conn, const std::string& statement_text) {
  auto t = concurrent_index(statement_text);
  if (t && index_state(conn, *t) == "f") drop_index(conn, *t);
}

void resolve_in_flight(db::Connection& conn, const HistoryStore& store, const Migration* m,
                       const HistoryRow& row, const std::string& source_flag, std::ostream& out) {
  const InFlight& f = *row.in_flight;
  std::string file = in_flight_file(m, row);
  std::optional<bool> ran;
  std::string why =
      "the server cannot say whether a statement run outside a transaction "
      "completed";
  std::string how;
  if (!f.xid.empty()) {
    auto r = conn.exec_params("SELECT coalesce(pg_xact_status($1::xid8), '')", {f.xid});
    std::string s = r.get(0, 0);
    if (s == "committed") ran = true;
    if (s == "aborted") ran = false;
    how = fmt::format("its transaction {} {}", f.xid, s.empty() ? "is too old to look up" : s);
    if (!ran) why = "its transaction's outcome is unknown (" + how + ")";
  } else if (auto t = concurrent_index(f.statement)) {
    std::string state = index_state(conn, *t);
    if (state == "t") {
      ran = true;
      how = fmt::format("index {} exists and is valid", t->index);
    } else {
      if (state == "f") drop_index(conn, *t);
      ran = false;
      how = state == "f"
                ? fmt::format("index {} was left invalid: dropped, to be built again", t->index)
                : fmt::format("index {} does not exist", t->index);
    }
  } else if (f.kind == "ReindexStmt" || f.kind == "VacuumStmt" || f.kind == "ClusterStmt") {
    ran = false;  // maintenance: running it again changes nothing
    how = "it can safely run again";
  }
  if (!ran) throw in_doubt_error(m, row, why, source_flag);
  const int applied = *ran ? f.to : f.from;
  db::in_transaction(conn, [&] {
    store.run(conn,
              {store.record_progress(row.source, row.version, applied,
                                     *ran ? f.hashes : std::vector<std::string>{}),
               store.record_event(row.source, row.version, row.name, "repair",
                                  fmt::format("in-flight statement {} resolved: {} ({})",
                                              f.from + 1, *ran ? "ran" : "did not run", how))});
  });
  out << fmt::format(
      "{}:{}: the interrupted run's {}statement {} ({}); resuming {}at statement {}.\n", file,
      f.line, f.down ? "down script " : "", *ran ? "had completed" : "had not completed", how,
      f.down ? "the down script " : "", applied + 1);
}

}  // namespace strata
