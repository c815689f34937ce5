// Recognising CREATE EXTENSION of a Supabase-only extension and what to run instead.
#include "execute/stand_in.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "sql/splitter.hpp"

namespace strata {

// The extension a statement names, from the statement model (src/sql reads the parse tree).
static std::optional<sql::Statement> only_statement(std::string_view text, const char* kind) {
  sql::SplitFile split = sql::split_statements(std::string(text));
  if (split.statements.size() != 1 || split.statements[0].kind != kind ||
      split.statements[0].extension.name.empty())
    return std::nullopt;
  return std::move(split.statements[0]);
}

std::optional<CreateExtension> parse_create_extension(std::string_view sql) {
  auto st = only_statement(sql, "CreateExtensionStmt");
  if (!st) return std::nullopt;
  return CreateExtension{st->extension.name, st->extension.schema, st->extension.if_not_exists,
                         st->extension.cascade};
}

std::optional<std::string> parse_comment_on_extension(std::string_view sql) {
  auto st = only_statement(sql, "CommentStmt");
  if (!st) return std::nullopt;
  return st->extension.name;
}

const std::vector<std::string>& stand_in_extensions() {
  static const std::vector<std::string> names = {
      "pg_net", "http",  "supabase_vault", "pgsodium", "pg_graphql",
      "pgmq",   "pgjwt", "wrappers",       "pg_tle",   "index_advisor"};
  return names;
}

bool has_stand_in(std::string_view extension) {
  const auto& n = stand_in_extensions();
  return std::find(n.begin(), n.end(), extension) != n.end();
}

std::string stand_in_statement(const db::Connection& conn, const CreateExtension& ce) {
  return fmt::format("SELECT strata_compat.install_stand_in({}, {}, false)",
                     conn.quote_literal(ce.name),
                     ce.schema.empty() ? "NULL" : conn.quote_literal(ce.schema));
}

StandIns StandIns::find(db::Connection& conn, const std::vector<sql::Statement>& statements) {
  StandIns out;
  std::map<size_t, CreateExtension> wanted;
  std::map<size_t, std::string> comments;
  for (size_t i = 0; i < statements.size(); ++i) {
    const sql::ExtensionRef& e = statements[i].extension;
    if (e.name.empty() || !has_stand_in(e.name)) continue;
    if (statements[i].kind == "CreateExtensionStmt")
      wanted.emplace(i, CreateExtension{e.name, e.schema, e.if_not_exists, e.cascade});
    else if (statements[i].kind == "CommentStmt")
      comments.emplace(i, e.name);
  }
  if (wanted.empty() && comments.empty()) return out;
  auto r = conn.exec(
      "SELECT to_regprocedure('strata_compat.install_stand_in(text,text,boolean)') IS NOT NULL, "
      "coalesce((SELECT string_agg(name, ',') FROM pg_catalog.pg_available_extensions), '')");
  if (r.get(0, 0) != "t") return out;
  std::string available = "," + r.get(0, 1) + ",";
  for (auto& [i, ce] : wanted) {
    if (available.find("," + ce.name + ",") != std::string::npos) continue;  // the real one
    out.replaced_.emplace(i, stand_in_statement(conn, ce));
  }
  for (auto& [i, name] : comments) {
    if (available.find("," + name + ",") != std::string::npos) continue;
    out.replaced_.emplace(i, fmt::format("SELECT 'strata: COMMENT ON EXTENSION {} skipped (a "
                                         "stand-in is not an extension)' WHERE false",
                                         name));
  }
  return out;
}

std::string_view StandIns::text(size_t i, std::string_view original) const {
  auto it = replaced_.find(i);
  return it == replaced_.end() ? original : std::string_view(it->second);
}

}  // namespace strata
