// A small RAII wrapper over libpq: Connection (move-only), Result, and errors that carry the
// server's SQLSTATE, message, detail, hint and error position. Only src/db/ includes libpq.
#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.hpp"

struct pg_conn;
struct pg_result;

namespace strata::db {

// A server-side error with the fields libpq reports.
class DbError : public Error {
 public:
  using Error::Error;
  int server_position = 0;  // 1-based character position in the statement; 0 = none
  std::string context;
  bool connection_lost = false;
};

class Result {
 public:
  Result() = default;
  explicit Result(pg_result* r);
  Result(Result&&) noexcept = default;
  Result& operator=(Result&&) noexcept = default;

  int rows() const;
  int columns() const;
  bool is_null(int row, int col) const;
  std::string get(int row, int col) const;  // "" for NULL
  std::optional<std::string> get_optional(int row, int col) const;
  std::string column_name(int col) const;
  std::string command_tuples() const;  // rows affected, as text

 private:
  struct Free {
    void operator()(pg_result* r) const;
  };
  std::unique_ptr<pg_result, Free> res_;
};

using Params = std::vector<std::optional<std::string>>;

struct Notice {
  std::string severity, message, detail, hint, sqlstate;
};

class Connection {
 public:
  // Connects with a URL or conninfo ("" = libpq's PG* environment). Throws Error(connection)
  // with the password redacted.
  static Connection open(const std::string& conninfo,
                         const std::string& application_name = "strata");

  // A new session to the same server and database with the same connection parameters
  // (PQconninfo of this one), logged in as `user` with `password` instead. Throws like open().
  Connection open_as(const std::string& user, const std::string& password,
                     const std::string& application_name = "strata") const;

  Connection(Connection&&) noexcept;
  Connection& operator=(Connection&&) noexcept;
  ~Connection();

  Result exec(std::string_view sql);  // simple protocol, may hold many statements
  Result exec_params(std::string_view sql, const Params& params);

  // Pipelined batch: each entry is one statement (no parameters unless given). Returns the
  // results of every entry; on the first failure, throws DbError with `failed_index` set to
  // that entry and the pipeline drained. Entries after a failure are not executed.
  // An item with `copy_data` is a `COPY ... FROM STDIN`: the pipeline is synced before it, the
  // data is sent with copy_in, and the pipeline goes on after it. The batch is sent and read in
  // non-blocking mode, so a batch of any size never deadlocks on full socket buffers and the
  // statements are never all held in libpq's buffer at once.
  struct BatchItem {
    std::string_view sql;
    Params params;
    std::optional<std::string_view> copy_data = std::nullopt;
  };
  std::vector<Result> exec_pipeline(const std::vector<BatchItem>& items, size_t* failed_index);

  // Runs `copy_sql` (COPY ... FROM STDIN) and sends `data` (the rows in COPY's text or CSV
  // format, as a file holds them) with PQputCopyData in chunks. Throws DbError on failure
  // (the server's error for a bad row: SQLSTATE, message, CONTEXT with the line).
  Result copy_in(std::string_view copy_sql, std::string_view data);

  // The next NOTIFY received on this session (channel and payload), if any has arrived.
  std::optional<std::pair<std::string, std::string>> next_notification();
  // Streams `copy_out_sql` (COPY ... TO STDOUT) on this session into `copy_in_sql` (COPY ... FROM
  // STDIN) on `target`, chunk by chunk, without holding the data. Returns the bytes moved.
  // `on_row`, when given, is called after each chunk with the rows and bytes moved so far (a
  // text-format COPY sends one row per chunk).
  long long copy_to(const std::string& copy_out_sql, Connection& target,
                    const std::string& copy_in_sql,
                    const std::function<void(long long rows, long long bytes)>& on_row = nullptr);
  bool in_transaction() const;
  bool is_open() const;
  // The user and database this session logged in as (libpq's PQuser / PQdb).
  std::string user() const;
  std::string database() const;
  std::string server_version() const;
  int backend_pid() const;
  void on_notice(std::function<void(const Notice&)> fn);
  std::string quote_identifier(std::string_view ident) const;
  std::string quote_literal(std::string_view lit) const;

 private:
  Connection() = default;
  void pipeline_range(const std::vector<BatchItem>& items, size_t begin, size_t end,
                      size_t* failed_index, std::vector<Result>& results);
  pg_conn* conn_ = nullptr;
  std::unique_ptr<std::function<void(const Notice&)>> notice_;
};

// Runs `body` in a transaction on `conn`: COMMIT when it returns, ROLLBACK when it throws.
template <typename F>
void in_transaction(Connection& conn, F&& body) {
  conn.exec("BEGIN");
  try {
    body();
    conn.exec("COMMIT");
  } catch (...) {
    if (conn.is_open() && conn.in_transaction()) conn.exec("ROLLBACK");
    throw;
  }
}

// Build a DbError from a failed result (internal, also used by tests).
DbError error_from_result(pg_conn* conn, pg_result* res);

// The password of a URL or conninfo as libpq parses it (PQconninfoParse) and as the user wrote
// it (a URL's userinfo up to its last '@', percent-decoded or not, and its pieces between
// '/', '?', '#', '@', ':'), longest first: what must never be printed.
std::vector<std::string> conninfo_secrets(const std::string& conninfo);

// Adds application_name and a connect timeout to a URL or conninfo, keeping its form.
std::string with_app_name(const std::string& conninfo, const std::string& app);

}  // namespace strata::db
