// Statement splitting and classification on libpg_query's parse tree. One parse of the whole
// file gives statement boundaries (RawStmt location/length) and the nodes to classify; one scan
// gives token positions so that each statement's line/column points past its leading comments.
#include "sql/splitter.hpp"

#include <pg_query.h>

#include <algorithm>

#include "sql/parse_tree.hpp"
#include "sql/pieces.hpp"
#include "util/text.hpp"

namespace strata::sql {
namespace {

bool has_defelem(PgQuery__Node** items, size_t n, std::string_view name) {
  for (size_t i = 0; i < n; ++i) {
    if (items[i] && items[i]->node_case == PG_QUERY__NODE__NODE_DEF_ELEM &&
        items[i]->def_elem->defname && name == items[i]->def_elem->defname)
      return true;
  }
  return false;
}

void classify(const PgQuery__Node* node, Statement& st) {
  st.kind = node_name(node);
  if (!node) return;
  switch (node->node_case) {
    case PG_QUERY__NODE__NODE_INDEX_STMT:
      st.non_transactional = node->index_stmt->concurrent;
      break;
    case PG_QUERY__NODE__NODE_DROP_STMT:
      st.non_transactional = node->drop_stmt->concurrent;
      break;
    case PG_QUERY__NODE__NODE_REINDEX_STMT:
      st.non_transactional =
          has_defelem(node->reindex_stmt->params, node->reindex_stmt->n_params, "concurrently");
      break;
    case PG_QUERY__NODE__NODE_VACUUM_STMT:
      st.non_transactional = node->vacuum_stmt->is_vacuumcmd;  // ANALYZE alone is fine
      break;
    case PG_QUERY__NODE__NODE_ALTER_SYSTEM_STMT:
    case PG_QUERY__NODE__NODE_CREATEDB_STMT:
    case PG_QUERY__NODE__NODE_DROPDB_STMT:
    case PG_QUERY__NODE__NODE_CREATE_TABLE_SPACE_STMT:
    case PG_QUERY__NODE__NODE_DROP_TABLE_SPACE_STMT:
      st.non_transactional = true;
      break;
    case PG_QUERY__NODE__NODE_CREATE_SUBSCRIPTION_STMT:
      st.non_transactional = true;  // creates a replication slot by default
      break;
    case PG_QUERY__NODE__NODE_TRANSACTION_STMT:
      switch (node->transaction_stmt->kind) {
        case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_BEGIN:
        case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_START:
          st.tx_control = TxControl::begin;
          break;
        case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT:
          st.tx_control = TxControl::commit;
          break;
        case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK:
          st.tx_control = TxControl::rollback;
          break;
        default:
          st.tx_control = TxControl::other;
      }
      break;
    default:
      break;
  }
}

struct Token {
  size_t start, end;
  bool comment;
};

// Token positions from libpg_query's scanner (comments included, flagged).
std::vector<Token> scan_tokens(std::string_view text) {
  std::vector<Token> out;
  std::string owned(text);
  PgQueryScanResult scan = pg_query_scan(owned.c_str());
  if (!scan.error) {
    PgQuery__ScanResult* tokens = pg_query__scan_result__unpack(
        nullptr, scan.pbuf.len, reinterpret_cast<const uint8_t*>(scan.pbuf.data));
    if (tokens) {
      out.reserve(tokens->n_tokens);
      for (size_t i = 0; i < tokens->n_tokens; ++i) {
        const auto* t = tokens->tokens[i];
        bool comment =
            t->token == PG_QUERY__TOKEN__SQL_COMMENT || t->token == PG_QUERY__TOKEN__C_COMMENT;
        out.push_back({static_cast<size_t>(t->start), static_cast<size_t>(t->end), comment});
      }
      pg_query__scan_result__free_unpacked(tokens, nullptr);
    }
  }
  pg_query_free_scan_result(scan);
  return out;
}

// First non-comment token at or after `from` (and before `to`), else the first non-blank byte.
size_t first_token_at(const std::vector<Token>& tokens, std::string_view text, size_t from,
                      size_t to) {
  auto it = std::lower_bound(tokens.begin(), tokens.end(), from,
                             [](const Token& t, size_t pos) { return t.start < pos; });
  for (; it != tokens.end() && it->start < to; ++it) {
    if (!it->comment) return it->start;
  }
  size_t p = text.find_first_not_of(" \t\r\n", from);
  return p == std::string_view::npos || p >= to ? from : p;
}

void place(Statement& st, std::string_view text, const std::vector<Token>& tokens) {
  st.start = first_token_at(tokens, text, st.offset, st.offset + st.text.size());
  LineCol lc = line_col_at(text, st.start);
  st.line = lc.line;
  st.column = lc.column;
}

// Syntax errors for a file the parser rejects: split with the scanner and parse each piece so
// every error is reported with its own position.
std::vector<SyntaxError> locate_errors(std::string_view text) {
  std::vector<SyntaxError> errors;
  // `base` is where `piece` starts in the file; the failure's position is within the piece.
  auto error_at = [&](std::string_view piece, size_t base, const ParseFailure& f) {
    SyntaxError e;
    e.message = f.message;
    e.offset = base + (f.cursorpos > 0 ? byte_offset_of_char(piece, f.cursorpos) : 0);
    LineCol lc = line_col_at(text, e.offset);
    e.line = lc.line;
    e.column = lc.column;
    errors.push_back(std::move(e));
  };
  for (const Piece& p : split_pieces(text)) {
    std::string_view piece = text.substr(p.offset, p.length);
    ParseTree tree = ParseTree::parse(piece);
    if (tree.failure()) error_at(piece, p.offset, *tree.failure());
  }
  if (errors.empty()) {
    ParseTree whole = ParseTree::parse(text);
    error_at(text, 0, whole.failure() ? *whole.failure() : ParseFailure{"syntax error", 0});
  }
  return errors;
}

}  // namespace

SplitFile split_statements(std::string_view text) {
  SplitFile out;
  ParseTree tree = ParseTree::parse(text);
  std::vector<Token> tokens = scan_tokens(text);
  if (!tree.tree()) {
    out.parsed = false;
    out.errors = locate_errors(text);
    if (!is_blank_sql(text)) {
      Statement whole;
      whole.text = std::string(text);
      whole.kind = "unparsed";
      place(whole, text, tokens);
      out.statements.push_back(std::move(whole));
    }
    return out;
  }
  const PgQuery__ParseResult* result = tree.tree();
  out.statements.reserve(result->n_stmts);
  for (size_t i = 0; i < result->n_stmts; ++i) {
    const PgQuery__RawStmt* raw = result->stmts[i];
    Statement st;
    st.offset = static_cast<size_t>(raw->stmt_location);
    size_t len = raw->stmt_len > 0 ? static_cast<size_t>(raw->stmt_len) : text.size() - st.offset;
    st.text = std::string(text.substr(st.offset, len));
    classify(raw->stmt, st);
    place(st, text, tokens);
    out.statements.push_back(std::move(st));
  }
  return out;
}

bool is_blank_sql(std::string_view text) {
  for (const Token& t : scan_tokens(text)) {
    if (!t.comment) return false;
  }
  return true;
}

}  // namespace strata::sql
