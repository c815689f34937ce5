// Stand-ins for Supabase-only extensions: which CREATE EXTENSION statements of a migration run
// strata's stand-in instead (docs/local-database.md). Only on a database that holds the
// stand-ins (strata's local database, or one given `strata compat install --stand-ins`), only
// for an extension the server lacks; everywhere else the statement runs as written and fails
// as before, with the hint of extension_hint.hpp.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/connection.hpp"
#include "sql/statement.hpp"

namespace strata {

// What a CREATE EXTENSION statement asks for (names unquoted, case-folded unless quoted).
struct CreateExtension {
  std::string name;
  std::string schema;  // empty: none given
  bool if_not_exists = false;
  bool cascade = false;
};

// Reads `CREATE EXTENSION [IF NOT EXISTS] name [WITH] [SCHEMA s] [VERSION v] [CASCADE]` (leading
// comments allowed) through the statement model (sql::Statement::extension, from the parse
// tree); nullopt for any other statement. StandIns::find reads the split statements directly.
std::optional<CreateExtension> parse_create_extension(std::string_view sql);

// Reads `COMMENT ON EXTENSION name IS ...` (as `supabase db pull` dumps write after each CREATE
// EXTENSION): the extension's name, or nullopt for any other statement.
std::optional<std::string> parse_comment_on_extension(std::string_view sql);

// The extensions strata can stand in for: pg_net, http, supabase_vault, pgsodium, pg_graphql,
// pgmq, pgjwt, wrappers, pg_tle, index_advisor.
const std::vector<std::string>& stand_in_extensions();
bool has_stand_in(std::string_view extension);

// The single statement that installs the stand-in for `ce` (a call of
// strata_compat.install_stand_in, which prints one WARNING line saying so).
std::string stand_in_statement(const db::Connection& conn, const CreateExtension& ce);

// The statements of one migration to run in place of the user's text, by index. Empty (and no
// query sent) unless the migration has a CREATE EXTENSION (or COMMENT ON EXTENSION) of an
// extension in stand_in_extensions(); then one query asks the server whether it holds the
// stand-ins and which of those extensions it has for real. A COMMENT ON EXTENSION of a
// stood-in extension becomes a no-op (there is no extension to comment on).
class StandIns {
 public:
  static StandIns find(db::Connection& conn, const std::vector<sql::Statement>& statements);
  // The text to send for statement `i`: the stand-in's, or `original`.
  std::string_view text(size_t i, std::string_view original) const;
  bool empty() const { return replaced_.empty(); }

 private:
  std::map<size_t, std::string> replaced_;
};

}  // namespace strata
