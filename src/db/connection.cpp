// libpq behind RAII: connect, execute (simple, parameterised, pipelined), structured errors.
#include "db/connection.hpp"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <poll.h>
#include <algorithm>

#include <cerrno>
#include <cstdio>

#include "util/redact.hpp"

namespace strata::db {

void Result::Free::operator()(pg_result* r) const {
  PQclear(r);
}
Result::Result(pg_result* r) : res_(r) {}
int Result::rows() const {
  return res_ ? PQntuples(res_.get()) : 0;
}
int Result::columns() const {
  return res_ ? PQnfields(res_.get()) : 0;
}
bool Result::is_null(int row, int col) const {
  return PQgetisnull(res_.get(), row, col);
}
std::string Result::get(int row, int col) const {
  return std::string(PQgetvalue(res_.get(), row, col), PQgetlength(res_.get(), row, col));
}
std::optional<std::string> Result::get_optional(int row, int col) const {
  if (is_null(row, col)) return std::nullopt;
  return get(row, col);
}
std::string Result::column_name(int col) const {
  return PQfname(res_.get(), col);
}
std::string Result::command_tuples() const {
  return res_ ? PQcmdTuples(res_.get()) : "";
}

static std::string field(pg_result* res, int code) {
  const char* v = PQresultErrorField(res, code);
  return v ? v : "";
}

DbError error_from_result(pg_conn* conn, pg_result* res) {
  std::string primary = res ? field(res, PG_DIAG_MESSAGE_PRIMARY) : "";
  if (primary.empty()) {
    primary = conn ? PQerrorMessage(conn) : "unknown error";
    while (!primary.empty() && (primary.back() == '\n' || primary.back() == ' '))
      primary.pop_back();
  }
  DbError e(redact_secrets(primary), ExitCode::migration_failed);
  if (res) {
    e.sqlstate = field(res, PG_DIAG_SQLSTATE);
    e.detail = redact_secrets(field(res, PG_DIAG_MESSAGE_DETAIL));
    e.hint = field(res, PG_DIAG_MESSAGE_HINT);
    e.context = field(res, PG_DIAG_CONTEXT);
    std::string pos = field(res, PG_DIAG_STATEMENT_POSITION);
    if (!pos.empty()) e.server_position = std::stoi(pos);
  }
  if (conn && PQstatus(conn) != CONNECTION_OK) {
    e.connection_lost = true;
    e.with_code(ExitCode::connection);
  }
  return e;
}

static void notice_trampoline(void* arg, const PGresult* res) {
  auto* fn = static_cast<std::function<void(const Notice&)>*>(arg);
  if (!fn || !*fn) return;
  auto* r = const_cast<PGresult*>(res);
  (*fn)(Notice{field(r, PG_DIAG_SEVERITY), field(r, PG_DIAG_MESSAGE_PRIMARY),
               field(r, PG_DIAG_MESSAGE_DETAIL), field(r, PG_DIAG_MESSAGE_HINT),
               field(r, PG_DIAG_SQLSTATE)});
}

static void default_notice_receiver(void*, const PGresult* res) {
  auto* r = const_cast<PGresult*>(res);
  std::string severity = field(r, PG_DIAG_SEVERITY_NONLOCALIZED);
  if (severity != "WARNING") return;
  std::string msg = field(r, PG_DIAG_MESSAGE_PRIMARY);
  std::fprintf(stderr, "WARNING: %s\n", redact_secrets(msg).c_str());
}

std::string with_app_name(const std::string& conninfo, const std::string& app) {
  bool url = conninfo.starts_with("postgres://") || conninfo.starts_with("postgresql://");
  std::string out = conninfo;
  if (url) {
    // The query starts at the first '?' after the path's '/', which follows the userinfo's last
    // '@' (a password may itself contain '?').
    size_t authority = conninfo.find("://") + 3;
    size_t slash = conninfo.find('/', authority);
    size_t at = conninfo.rfind('@', slash == std::string::npos ? std::string::npos : slash);
    size_t host = at != std::string::npos && at >= authority ? at + 1 : authority;
    size_t query = conninfo.find('?', std::max(host, slash == std::string::npos ? host : slash));
    if (out.find("application_name=") == std::string::npos)
      out += (query == std::string::npos ? "?" : "&") + std::string("application_name=") + app;
    if (out.find("connect_timeout=") == std::string::npos) out += "&connect_timeout=10";
  } else {
    if (out.find("application_name") == std::string::npos) out += " application_name=" + app;
    if (out.find("connect_timeout") == std::string::npos) out += " connect_timeout=10";
  }
  return out;
}

namespace {
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
std::string percent_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}
}  // namespace

std::vector<std::string> conninfo_secrets(const std::string& conninfo) {
  std::vector<std::string> secrets;
  // What libpq itself takes for the password.
  char* err = nullptr;
  if (PQconninfoOption* opts = PQconninfoParse(conninfo.c_str(), &err)) {
    for (PQconninfoOption* o = opts; o->keyword; ++o)
      if (std::string_view(o->keyword) == "password" && o->val && *o->val)
        secrets.emplace_back(o->val);
    PQconninfoFree(opts);
  }
  if (err) PQfreemem(err);
  // What the user meant: a URL's userinfo runs to the last '@'. An unencoded '/', '?', '#', ':'
  // or '@' makes libpq read pieces of the password as host, port, database or query: hide
  // each piece too.
  if (size_t scheme = conninfo.find("://"); scheme != std::string::npos) {
    size_t start = scheme + 3;
    size_t at = conninfo.rfind('@');
    size_t colon = conninfo.find(':', start);
    if (at != std::string::npos && at > start && colon != std::string::npos && colon < at) {
      std::string raw = conninfo.substr(colon + 1, at - colon - 1);
      secrets.push_back(raw);
      secrets.push_back(percent_decode(raw));
      for (size_t b = 0, e; b <= raw.size(); b = e + 1) {
        e = raw.find_first_of("/?#@:&=", b);
        if (e == std::string::npos) e = raw.size();
        if (e > b) secrets.push_back(raw.substr(b, e - b));
      }
    }
  }
  std::sort(secrets.begin(), secrets.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  secrets.erase(std::unique(secrets.begin(), secrets.end()), secrets.end());
  return secrets;
}

// libpq's own messages can quote the password, or pieces of it (e.g. "invalid integer value
// "Secret" for connection option "port""): remove each as a token, never as letters of words.
static std::string scrub_password(std::string msg, const std::string& conninfo) {
  for (const auto& s : conninfo_secrets(conninfo)) msg = scrub_secret(std::move(msg), s);
  return msg;
}

Connection Connection::open(const std::string& conninfo, const std::string& application_name) {
  Connection c;
  c.conn_ = PQconnectdb(with_app_name(conninfo, application_name).c_str());
  if (!c.conn_ || PQstatus(c.conn_) != CONNECTION_OK) {
    std::string msg = c.conn_ ? PQerrorMessage(c.conn_) : "out of memory";
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    // The hint is chosen from libpq's own words, before anything is scrubbed.
    bool auth = msg.find("password") != std::string::npos ||
                msg.find("authentication") != std::string::npos;
    msg = scrub_password(msg, conninfo);
    Error e(fmt::format("cannot connect to the database: {}", redact_secrets(msg)),
            ExitCode::connection);
    if (auth)
      e.hint = "check the user and password in --db-url / DATABASE_URL";
    else if (msg.find("invalid URI query parameter") != std::string::npos ||
             msg.find("invalid connection option") != std::string::npos)
      e.hint =
          "the URL has a parameter libpq does not know: remove it (libpq's parameters: "
          "https://www.postgresql.org/docs/15/libpq-connect.html#LIBPQ-PARAMKEYWORDS)";
    else
      e.hint =
          "check that the server is running and that --db-url / DATABASE_URL points at it "
          "(without a URL, strata uses its local database: `strata db start`)";
    throw e;
  }
  // strata's own bookkeeping is full of IF NOT EXISTS: show the server's warnings, not its
  // notices (filtered here rather than with a SET, which would cost a round trip).
  PQsetNoticeReceiver(c.conn_, default_notice_receiver, nullptr);
  return c;
}

Connection Connection::open_as(const std::string& user, const std::string& password,
                               const std::string& application_name) const {
  std::vector<std::string> keys, values;
  if (PQconninfoOption* opts = PQconninfo(conn_)) {
    for (PQconninfoOption* o = opts; o->keyword; ++o) {
      std::string_view k = o->keyword;
      if (!o->val || !*o->val || k == "user" || k == "password" || k == "application_name")
        continue;
      keys.emplace_back(k);
      values.emplace_back(o->val);
    }
    PQconninfoFree(opts);
  }
  keys.insert(keys.end(), {"user", "password", "application_name"});
  values.insert(values.end(), {user, password, application_name});
  std::vector<const char*> k, v;
  for (size_t i = 0; i < keys.size(); ++i) {
    k.push_back(keys[i].c_str());
    v.push_back(values[i].c_str());
  }
  k.push_back(nullptr);
  v.push_back(nullptr);
  Connection c;
  c.conn_ = PQconnectdbParams(k.data(), v.data(), 0);
  if (!c.conn_ || PQstatus(c.conn_) != CONNECTION_OK) {
    std::string msg = c.conn_ ? PQerrorMessage(c.conn_) : "out of memory";
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    msg = scrub_secret(msg, password);
    throw Error(fmt::format("cannot connect as {}: {}", user, redact_secrets(msg)),
                ExitCode::connection);
  }
  PQsetNoticeReceiver(c.conn_, default_notice_receiver, nullptr);
  return c;
}

Connection::Connection(Connection&& o) noexcept : conn_(o.conn_), notice_(std::move(o.notice_)) {
  o.conn_ = nullptr;
}
Connection& Connection::operator=(Connection&& o) noexcept {
  if (this != &o) {
    if (conn_) PQfinish(conn_);
    conn_ = o.conn_;
    notice_ = std::move(o.notice_);
    o.conn_ = nullptr;
  }
  return *this;
}
Connection::~Connection() {
  if (conn_) PQfinish(conn_);
}

static Result check(pg_conn* conn, pg_result* res) {
  ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY ||
      st == PGRES_COPY_IN || st == PGRES_COPY_OUT) {
    return Result(res);
  }
  DbError e = error_from_result(conn, res);
  PQclear(res);
  throw e;
}

Result Connection::exec(std::string_view sql) {
  std::string s(sql);
  return check(conn_, PQexec(conn_, s.c_str()));
}

Result Connection::exec_params(std::string_view sql, const Params& params) {
  std::string s(sql);
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  return check(conn_, PQexecParams(conn_, s.c_str(), static_cast<int>(values.size()), nullptr,
                                   values.data(), nullptr, nullptr, 0));
}

std::vector<Result> Connection::exec_pipeline(const std::vector<BatchItem>& items,
                                              size_t* failed_index) {
  std::vector<Result> results;
  results.reserve(items.size());
  size_t begin = 0;
  while (begin < items.size()) {
    if (items[begin].copy_data) {
      try {
        results.push_back(copy_in(items[begin].sql, *items[begin].copy_data));
      } catch (DbError&) {
        if (failed_index) *failed_index = begin;
        throw;
      }
      ++begin;
      continue;
    }
    size_t end = begin;
    while (end < items.size() && !items[end].copy_data) ++end;
    pipeline_range(items, begin, end, failed_index, results);
    begin = end;
  }
  return results;
}

void Connection::pipeline_range(const std::vector<BatchItem>& items, size_t begin, size_t end,
                                size_t* failed_index, std::vector<Result>& results) {
  if (PQenterPipelineMode(conn_) != 1) throw error_from_result(conn_, nullptr);
  const bool was_nonblocking = PQisnonblocking(conn_) == 1;
  PQsetnonblocking(conn_, 1);
  std::optional<DbError> first_error;
  auto fail_at = [&](size_t index, DbError e) {
    if (!first_error) {
      first_error = std::move(e);
      if (failed_index) *failed_index = index;
    }
  };
  std::string sql;  // one statement at a time: libpq copies it into its buffer
  std::vector<const char*> values;
  size_t sent = begin, index = begin;
  bool synced = false, done = false, broken = false;
  // Read every result that has arrived: one result (then a NULL) per item, then the sync.
  auto drain = [&] {
    while ((index < sent || synced) && !done && !PQisBusy(conn_)) {
      PGresult* res = PQgetResult(conn_);
      if (!res) {
        if (PQstatus(conn_) != CONNECTION_OK) {
          broken = true;
          return;
        }
        ++index;  // end of one item's results
        continue;
      }
      ExecStatusType st = PQresultStatus(res);
      if (st == PGRES_PIPELINE_SYNC) {
        PQclear(res);
        done = true;
        return;
      }
      if (st == PGRES_PIPELINE_ABORTED) {
        PQclear(res);
        continue;
      }
      if (st == PGRES_FATAL_ERROR || st == PGRES_NONFATAL_ERROR || st == PGRES_BAD_RESPONSE) {
        fail_at(index, error_from_result(conn_, res));
        PQclear(res);
        continue;
      }
      results.emplace_back(res);
    }
    if (PQstatus(conn_) != CONNECTION_OK) broken = true;
  };
  while (!done && !broken) {
    // Send until the socket is full (or everything and the sync are out).
    bool pending = false;
    while (!synced) {
      if (sent < end && !first_error) {  // after a failure, nothing more runs: sync now
        const BatchItem& item = items[sent];
        sql.assign(item.sql);
        values.clear();
        for (const auto& p : item.params) values.push_back(p ? p->c_str() : nullptr);
        if (PQsendQueryParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                              values.data(), nullptr, nullptr, 0) != 1) {
          broken = true;
          break;
        }
        ++sent;
        if ((sent - begin) % 256 != 0 && sent < end) continue;  // flush in batches
      } else {
        if (PQpipelineSync(conn_) != 1) {
          broken = true;
          break;
        }
        synced = true;
      }
      int f = PQflush(conn_);
      if (f < 0) {
        broken = true;
        break;
      }
      if (f == 1) {
        pending = true;
        break;
      }
    }
    if (synced && !broken) {
      int f = PQflush(conn_);
      if (f < 0) broken = true;
      pending = f == 1;
    }
    if (broken) break;
    drain();
    if (done || broken) break;
    // Wait for results (and for room to send).
    pollfd pfd{PQsocket(conn_), static_cast<short>(POLLIN | (pending ? POLLOUT : 0)), 0};
    if (poll(&pfd, 1, -1) < 0 && errno != EINTR) {
      broken = true;
      break;
    }
    if ((pfd.revents & (POLLIN | POLLERR | POLLHUP)) && PQconsumeInput(conn_) != 1) {
      broken = true;
      break;
    }
    drain();
  }
  if (broken) {
    fail_at(index < end ? index : (end > begin ? end - 1 : begin),
            error_from_result(conn_, nullptr));
  } else {
    PQexitPipelineMode(conn_);
  }
  PQsetnonblocking(conn_, was_nonblocking ? 1 : 0);
  if (first_error) throw *first_error;
}

Result Connection::copy_in(std::string_view copy_sql, std::string_view data) {
  std::string sql(copy_sql);
  PGresult* start = PQexec(conn_, sql.c_str());
  if (PQresultStatus(start) != PGRES_COPY_IN) {
    DbError e = error_from_result(conn_, start);
    PQclear(start);
    throw e;
  }
  PQclear(start);
  constexpr size_t kChunk = 1u << 20;
  bool ok = true;
  for (size_t off = 0; off < data.size() && ok; off += kChunk) {
    size_t n = std::min(kChunk, data.size() - off);
    ok = PQputCopyData(conn_, data.data() + off, static_cast<int>(n)) == 1;
  }
  PQputCopyEnd(conn_, ok ? nullptr : "strata could not send the COPY data");
  PGresult* done = PQgetResult(conn_);
  std::optional<DbError> error;
  if (PQresultStatus(done) != PGRES_COMMAND_OK) error = error_from_result(conn_, done);
  Result out(done);
  while (PGresult* extra = PQgetResult(conn_)) PQclear(extra);
  if (error) throw *error;
  return out;
}

std::optional<std::pair<std::string, std::string>> Connection::next_notification() {
  PQconsumeInput(conn_);
  PGnotify* n = PQnotifies(conn_);
  if (!n) return std::nullopt;
  std::pair<std::string, std::string> out{n->relname, n->extra ? n->extra : ""};
  PQfreemem(n);
  return out;
}

long long Connection::copy_to(const std::string& copy_out_sql, Connection& target,
                              const std::string& copy_in_sql,
                              const std::function<void(long long, long long)>& on_row) {
  PGresult* out = PQexec(conn_, copy_out_sql.c_str());
  if (PQresultStatus(out) != PGRES_COPY_OUT) {
    DbError e = error_from_result(conn_, out);
    PQclear(out);
    throw e;
  }
  PQclear(out);
  PGresult* in = PQexec(target.conn_, copy_in_sql.c_str());
  if (PQresultStatus(in) != PGRES_COPY_IN) {
    DbError e = error_from_result(target.conn_, in);
    PQclear(in);
    // Drain the source's copy so its session stays usable.
    char* buf = nullptr;
    while (PQgetCopyData(conn_, &buf, 0) > 0) PQfreemem(buf);
    PQclear(PQgetResult(conn_));
    throw e;
  }
  PQclear(in);
  long long bytes = 0, rows = 0;
  char* buf = nullptr;
  int n;
  bool put_failed = false;
  while ((n = PQgetCopyData(conn_, &buf, 0)) > 0) {
    bytes += n;
    ++rows;
    if (!put_failed && PQputCopyData(target.conn_, buf, n) != 1)
      put_failed = true;  // keep draining the source
    PQfreemem(buf);
    if (on_row) on_row(rows, bytes);
  }
  PGresult* src_done = PQgetResult(conn_);
  bool src_ok = PQresultStatus(src_done) == PGRES_COMMAND_OK;
  std::optional<DbError> src_error;
  if (!src_ok) src_error = error_from_result(conn_, src_done);
  PQclear(src_done);
  while (PGresult* extra = PQgetResult(conn_)) PQclear(extra);
  PQputCopyEnd(target.conn_, src_ok ? nullptr : "source copy failed");
  PGresult* dst_done = PQgetResult(target.conn_);
  std::optional<DbError> dst_error;
  if (PQresultStatus(dst_done) != PGRES_COMMAND_OK)
    dst_error = error_from_result(target.conn_, dst_done);
  PQclear(dst_done);
  while (PGresult* extra = PQgetResult(target.conn_)) PQclear(extra);
  if (src_error) throw *src_error;
  if (dst_error) throw *dst_error;
  return bytes;
}

bool Connection::in_transaction() const {
  return PQtransactionStatus(conn_) != PQTRANS_IDLE;
}
bool Connection::is_open() const {
  return conn_ && PQstatus(conn_) == CONNECTION_OK;
}
std::string Connection::user() const {
  const char* u = conn_ ? PQuser(conn_) : nullptr;
  return u ? u : "";
}
std::string Connection::database() const {
  const char* d = conn_ ? PQdb(conn_) : nullptr;
  return d ? d : "";
}
std::string Connection::server_version() const {
  return std::to_string(PQserverVersion(conn_));
}
int Connection::backend_pid() const {
  return PQbackendPID(conn_);
}

void Connection::on_notice(std::function<void(const Notice&)> fn) {
  notice_ = std::make_unique<std::function<void(const Notice&)>>(std::move(fn));
  PQsetNoticeReceiver(conn_, notice_trampoline, notice_.get());
}

std::string Connection::quote_identifier(std::string_view ident) const {
  char* q = PQescapeIdentifier(conn_, ident.data(), ident.size());
  std::string out = q ? q : "";
  PQfreemem(q);
  return out;
}
std::string Connection::quote_literal(std::string_view lit) const {
  char* q = PQescapeLiteral(conn_, lit.data(), lit.size());
  std::string out = q ? q : "";
  PQfreemem(q);
  return out;
}

}  // namespace strata::db
