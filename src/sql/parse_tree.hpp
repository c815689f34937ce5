// ParseTree: RAII owner of libpg_query's protobuf parse tree for one SQL text. Lint rules walk
// it through pg_query.pb-c.h; nothing outside src/sql/ calls libpg_query itself.
#pragma once
#include <pg_query/pg_query.pb-c.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace strata::sql {

struct ParseFailure {
  std::string message;
  int cursorpos = 0;  // 1-based character position in the parsed text; 0 = unknown
};

class ParseTree {
 public:
  // Parses `text`; on failure, tree() is null and failure() says why.
  static ParseTree parse(std::string_view text);

  const PgQuery__ParseResult* tree() const { return tree_.get(); }
  const std::optional<ParseFailure>& failure() const { return failure_; }

 private:
  struct Free {
    void operator()(PgQuery__ParseResult* p) const;
  };
  std::unique_ptr<PgQuery__ParseResult, Free> tree_;
  std::optional<ParseFailure> failure_;
};

// The protobuf node case name ("CreateStmt", "IndexStmt", ...) of a node; "" for null.
std::string node_name(const PgQuery__Node* node);

}  // namespace strata::sql
