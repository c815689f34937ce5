// Scanner-based statement pieces for text the parser rejects as a whole: lint uses them to keep
// linting the statements that do parse and to report the ones that do not.
#pragma once
#include <cstddef>
#include <string_view>
#include <vector>

namespace strata::sql {

struct Piece {
  size_t offset = 0;  // byte offset in the text
  size_t length = 0;
};

// Splits on top-level semicolons with libpg_query's scanner (no parse). Empty when even the
// scanner fails (e.g. an unterminated quote).
std::vector<Piece> split_pieces(std::string_view text);

}  // namespace strata::sql
