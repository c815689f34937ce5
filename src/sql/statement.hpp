// Statement: one SQL statement of a migration file as strata executes it (the user's own text,
// never deparsed), with its place in the file and what the parse tree says about it.
#pragma once
#include <string>
#include <vector>

namespace strata::sql {

enum class TxControl {
  none,
  begin,     // BEGIN / START TRANSACTION
  commit,    // COMMIT / END
  rollback,  // ROLLBACK / ABORT
  other,     // SAVEPOINT, RELEASE, ROLLBACK TO, PREPARE TRANSACTION, ...
};

struct Statement {
  std::string text;   // exact bytes from the file (leading comments included)
  size_t offset = 0;  // byte offset of `text` in the file
  size_t start = 0;   // byte offset of the first token (after leading comments)
  int line = 1;       // line/column of the first token, 1-based
  int column = 1;
  std::string kind;  // parse node name, e.g. "CreateStmt"; "unparsed" when libpg_query failed
  bool non_transactional = false;  // cannot run inside a transaction block
  TxControl tx_control = TxControl::none;
};

struct SyntaxError {
  std::string message;
  size_t offset = 0;  // byte offset in the file
  int line = 0;
  int column = 0;
};

// The result of splitting one file.
struct SplitFile {
  std::vector<Statement> statements;
  // When libpg_query cannot parse the file (newer syntax, psql meta-commands, typos), `parsed`
  // is false, `errors` says where, and `statements` holds the whole file as one statement: the
  // server is the judge of what it means.
  bool parsed = true;
  std::vector<SyntaxError> errors;
};

}  // namespace strata::sql
