// Splits a migration file into statements with libpg_query (never a hand-written splitter) and
// classifies each from its parse tree: transaction control, and statements that cannot run
// inside a transaction block.
#pragma once
#include <string_view>

#include "sql/statement.hpp"

namespace strata::sql {

SplitFile split_statements(std::string_view text);

// True when the file has statements but all of them are comments/whitespace-free empties.
bool is_blank_sql(std::string_view text);

}  // namespace strata::sql
