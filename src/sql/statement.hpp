// Statement: one SQL statement of a file as strata executes and lints it (the user's own text,
// never deparsed), with its place in the file, what the parse tree says about it and, for
// `COPY ... FROM stdin`, its inline data. The one statement model: the executor's prepare step
// and the linter both consume what sql::split_statements returns.
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

struct PgQuery__Node;

namespace strata::sql {

enum class TxControl {
  none,
  begin,     // BEGIN / START TRANSACTION
  commit,    // COMMIT / END
  rollback,  // ROLLBACK / ABORT
  other,     // SAVEPOINT, RELEASE, ROLLBACK TO, PREPARE TRANSACTION, ...
};

// What CREATE EXTENSION (kind "CreateExtensionStmt") or COMMENT ON EXTENSION (kind "CommentStmt")
// names, read from the parse tree: names as PostgreSQL reads them (folded unless quoted).
// `name` is empty for every other statement.
struct ExtensionRef {
  std::string name;
  std::string schema;  // WITH SCHEMA s; "" when not given (and for COMMENT ON)
  bool if_not_exists = false;
  bool cascade = false;
};

struct Statement {
  std::string text;   // exact bytes from the file (leading comments included)
  size_t offset = 0;  // byte offset of `text` in the file
  size_t start = 0;   // byte offset of the first token (after leading comments)
  int line = 1;       // line/column of the first token, 1-based (column in characters)
  int column = 1;
  int index = 0;           // statement number in the file, from 0
  std::string kind;        // parse node name, e.g. "CreateStmt"; "unparsed" when libpg_query failed
  ExtensionRef extension;  // CREATE EXTENSION / COMMENT ON EXTENSION only
  bool non_transactional = false;  // cannot run inside a transaction block
  TxControl tx_control = TxControl::none;
  // `COPY ... FROM stdin` with its data inline (as pg_dump writes it): the bytes between the
  // statement's line and the `\.` line, sent with PQputCopyData.
  bool copy_in = false;
  std::string copy_data;
  // A statement of a file pulled in with `\i` / `\ir`: that file's display path (offset, line
  // and column are then in that file). Empty for the file itself.
  std::string origin;
  // The parse tree's root node of this statement, only when split with keep_trees (lint); it
  // lives as long as the SplitFile's `trees`. Add `loc_base` to a node's `location` to get a
  // byte offset in the file.
  const PgQuery__Node* node = nullptr;
  size_t loc_base = 0;
};

struct SyntaxError {
  std::string message;
  size_t offset = 0;  // byte offset in the file
  int line = 0;
  int column = 0;
  size_t statement_offset = 0;  // first token of the piece the parser rejected
};

// Something that must stop the file before any of it runs: bytes that are not UTF-8, a psql
// meta-command strata does not run, an unknown `-- strata:` directive, a bad include.
struct Problem {
  std::string message;
  std::string hint;
  size_t offset = 0;
  int line = 0;
  int column = 0;
};

// A `-- strata:<word>` comment (see script_scan.hpp), with its line.
struct Directive {
  std::string word;
  std::string argument;
  size_t offset = 0;
  int line = 0;
};

// The result of splitting one file.
struct SplitFile {
  std::vector<Statement> statements;
  // When libpg_query cannot parse the file (newer syntax, typos), `parsed` is false, `errors`
  // says where, and `statements` holds the whole file as one statement: the server is the judge
  // of what it means. `pieces` then holds the top-level statements that do parse on their own
  // (split with the scanner), for lint.
  bool parsed = true;
  std::vector<SyntaxError> errors;
  std::vector<Statement> pieces;
  std::vector<Problem> problems;
  std::vector<Directive> directives;
  bool bom = false;  // a UTF-8 byte-order mark was skipped
  // Owner of the parse trees the statements' `node`s point into (keep_trees only).
  std::shared_ptr<const void> trees;
};

}  // namespace strata::sql
