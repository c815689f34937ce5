// Scanner split for lint (see pieces.hpp).
#include "sql/pieces.hpp"

#include <pg_query.h>

#include <string>

namespace strata::sql {

std::vector<Piece> split_pieces(std::string_view text) {
  std::vector<Piece> out;
  std::string owned(text);
  PgQuerySplitResult split = pg_query_split_with_scanner(owned.c_str());
  if (!split.error) {
    for (int i = 0; i < split.n_stmts; ++i) {
      size_t off = static_cast<size_t>(split.stmts[i]->stmt_location);
      size_t len = static_cast<size_t>(split.stmts[i]->stmt_len);
      if (off > text.size()) continue;
      if (len == 0 || off + len > text.size()) len = text.size() - off;
      out.push_back({off, len});
    }
  }
  pg_query_free_split_result(split);
  return out;
}

}  // namespace strata::sql
