// Recognising CREATE EXTENSION of a Supabase-only extension and what to run instead.
#include "execute/stand_in.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace strata {

namespace {

// A tiny tokenizer for the one statement shape we read: words, quoted identifiers, string
// literals; comments and whitespace skipped. Words are lower-cased, quoted identifiers kept.
struct Token {
  std::string text;
  bool quoted = false;
};

std::vector<Token> tokenize(std::string_view s, size_t max_tokens) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < s.size() && out.size() < max_tokens) {
    char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (s.compare(i, 2, "--") == 0) {
      while (i < s.size() && s[i] != '\n') ++i;
    } else if (s.compare(i, 2, "/*") == 0) {
      int depth = 0;
      do {
        if (s.compare(i, 2, "/*") == 0) {
          ++depth;
          i += 2;
        } else if (s.compare(i, 2, "*/") == 0) {
          --depth;
          i += 2;
        } else {
          ++i;
        }
      } while (i < s.size() && depth > 0);
    } else if (c == '"' || c == '\'') {
      Token t{"", c == '"'};
      ++i;
      while (i < s.size()) {
        if (s[i] == c && i + 1 < s.size() && s[i + 1] == c) {
          t.text += c;
          i += 2;
        } else if (s[i] == c) {
          ++i;
          break;
        } else {
          t.text += s[i++];
        }
      }
      out.push_back(std::move(t));
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
               static_cast<unsigned char>(c) >= 0x80) {
      Token t;
      while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_' ||
                              s[i] == '$' || static_cast<unsigned char>(s[i]) >= 0x80))
        t.text += static_cast<char>(std::tolower(static_cast<unsigned char>(s[i++])));
      out.push_back(std::move(t));
    } else {
      out.push_back({std::string(1, c), false});
      ++i;
    }
  }
  return out;
}

bool is_word(const Token& t, std::string_view w) {
  return !t.quoted && t.text == w;
}

}  // namespace

std::optional<CreateExtension> parse_create_extension(std::string_view sql) {
  auto toks = tokenize(sql, 16);
  size_t i = 0;
  auto word = [&](std::string_view w) {
    if (i < toks.size() && is_word(toks[i], w)) {
      ++i;
      return true;
    }
    return false;
  };
  if (!word("create") || !word("extension")) return std::nullopt;
  CreateExtension ce;
  if (word("if")) {
    if (!word("not") || !word("exists")) return std::nullopt;
    ce.if_not_exists = true;
  }
  if (i >= toks.size()) return std::nullopt;
  ce.name = toks[i++].text;
  word("with");
  while (i < toks.size() && !(toks[i].text == ";" && !toks[i].quoted)) {
    if (word("schema")) {
      if (i >= toks.size()) return std::nullopt;
      ce.schema = toks[i++].text;
    } else if (word("version") || word("from")) {
      if (i < toks.size()) ++i;
    } else if (word("cascade")) {
      ce.cascade = true;
    } else {
      return std::nullopt;
    }
  }
  return ce;
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
  for (size_t i = 0; i < statements.size(); ++i) {
    if (statements[i].kind != "CreateExtensionStmt") continue;
    auto ce = parse_create_extension(statements[i].text);
    if (ce && has_stand_in(ce->name)) wanted.emplace(i, *ce);
  }
  if (wanted.empty()) return out;
  auto r = conn.exec(
      "SELECT to_regprocedure('strata_compat.install_stand_in(text,text,boolean)') IS NOT NULL, "
      "coalesce((SELECT string_agg(name, ',') FROM pg_catalog.pg_available_extensions), '')");
  if (r.get(0, 0) != "t") return out;
  std::string available = "," + r.get(0, 1) + ",";
  for (auto& [i, ce] : wanted) {
    if (available.find("," + ce.name + ",") != std::string::npos) continue;  // the real one
    out.replaced_.emplace(i, stand_in_statement(conn, ce));
  }
  return out;
}

std::string_view StandIns::text(size_t i, std::string_view original) const {
  auto it = replaced_.find(i);
  return it == replaced_.end() ? original : std::string_view(it->second);
}

}  // namespace strata
