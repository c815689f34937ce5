// LintContext: what rules know about the migration set while it is linted in order — tables
// created (and in which file), RLS and policies per table, indexes and foreign keys, lock_timeout
// and transaction state of the current file, exposed schemas — plus optional catalog facts from
// a database. The linter updates it after the rules have seen each statement.
#pragma once
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "lint/diagnostic.hpp"
#include "lint/lint_config.hpp"
#include "sql/parse_tree.hpp"
#include "sql/statement.hpp"

namespace strata::lint {

struct LintFile {
  std::string path;           // display path
  std::string_view text;      // the up SQL
  int index = 0;              // place in the ordered set
  bool linted = true;         // false: only context (already applied or not selected)
  bool transactional = true;  // strata runs it in one transaction
  std::string version;        // migration version ("" for plain files)
  std::string file_name;      // base name
};

// A statement as src/sql splits it (the same value the executor runs), with its parse tree
// (`node`, never null for linted statements) and `loc_base` for node locations.
using LintStatement = sql::Statement;

struct Position {
  std::string file;
  size_t offset = 0;
};

struct ForeignKey {
  std::vector<std::string> columns;
  Position at;
};

struct TableInfo {
  std::string name;             // schema.table
  int created_file = -1;        // index of the file that created it; -1 = before the set
  bool created_linted = false;  // created in a file being linted
  Position created_at;
  bool rls = false;
  Position rls_at;          // where RLS was enabled
  bool rls_linted = false;  // ... in a file being linted
  int policies = 0;
  std::vector<std::vector<std::string>> indexes;  // column lists (PK, UNIQUE, indexes)
  std::vector<ForeignKey> foreign_keys;
  // CHECK (col IS NOT NULL) constraints by name -> column, and the columns such a check proves
  // (added without NOT VALID, or validated later): SET NOT NULL then needs no scan.
  std::map<std::string, std::string> not_null_checks;
  std::set<std::string> proven_not_null;
};

// Facts about a table from the target database (when --db-url is given).
struct TableFacts {
  bool exists = false;
  bool has_rows = false;
};
using CatalogLookup = std::function<std::optional<TableFacts>(const std::string& table)>;

class LintContext {
 public:
  explicit LintContext(const LintConfig& config) : config_(config) {}

  const LintConfig& config() const { return config_; }
  const LintFile& file() const { return *file_; }

  // Tables known in the set (created before or in the linted files), by "schema.table".
  std::map<std::string, TableInfo> tables;
  std::vector<const LintFile*> files;  // every file seen so far, in order (linted or not)
  bool lock_timeout_set = false;       // a SET lock_timeout was seen earlier in the current file
  bool in_explicit_tx = false;         // after a BEGIN (and before COMMIT) in the current file
  // When true (the pending set is known from a database), files of one run count as one deploy:
  // a table created in an earlier pending file is still new (empty) when a later one runs.
  bool pending_known = false;
  bool supabase = false;  // Supabase project (files also pushed with `supabase db push`)
  CatalogLookup catalog;  // null without a database

  // A table created in the current file (or earlier in this deploy): empty, nobody reads it yet.
  bool is_new_table(const std::string& qualified_name) const;
  // Catalog facts, when a database is connected; cached.
  std::optional<TableFacts> facts(const std::string& qualified_name);
  bool exposed_schema(const std::string& schema) const;

  // File offset of a node location in statement `st` (the statement's first token when -1).
  static size_t at(const LintStatement& st, int32_t location) {
    return location >= 0 ? st.loc_base + static_cast<size_t>(location) : st.start;
  }

  // Used by the linter.
  void begin_file(const LintFile& f);
  void after_statement(const LintStatement& st);

 private:
  const LintConfig& config_;
  const LintFile* file_ = nullptr;
  std::map<std::string, std::optional<TableFacts>> facts_cache_;
  TableInfo& table(const std::string& name);
};

}  // namespace strata::lint
