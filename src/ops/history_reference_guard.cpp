// Refusing pending migrations that use a tool's history table strata does not keep (see
// history_reference_guard.hpp).
#include "ops/history_reference_guard.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "util/error.hpp"

namespace strata {
namespace {

struct ToolTable {
  const char* tool;   // `[history] mirror` name
  const char* table;  // the tool's default table (in public), a name no schema uses by chance
};
constexpr ToolTable kTables[] = {{"flyway", "flyway_schema_history"},
                                 {"goose", "goose_db_version"},
                                 {"node-pg-migrate", "pgmigrations"}};

bool ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// The 1-based line of the first whole-word, case-insensitive occurrence of `word`, or 0.
int find_word(const std::string& text, std::string_view word) {
  auto it = text.begin();
  while (true) {
    it = std::search(it, text.end(), word.begin(), word.end(),
                     [](char a, char b) { return (a | 0x20) == (b | 0x20); });
    if (it == text.end()) return 0;
    bool before = it != text.begin() && ident_char(*(it - 1));
    auto end = it + static_cast<std::ptrdiff_t>(word.size());
    bool after = end != text.end() && ident_char(*end);
    if (!before && !after) return 1 + static_cast<int>(std::count(text.begin(), it, '\n'));
    ++it;
  }
}

}  // namespace

void refuse_missing_tool_history_references(const Project& project, db::Connection& conn,
                                            const std::vector<UpPlan>& plans) {
  const auto& mirror = project.foreign_history.mirror;
  for (const UpPlan& plan : plans) {
    for (const UpStep& step : plan.steps) {
      const Migration& m = *step.migration;
      for (const ToolTable& t : kTables) {
        if (std::find(mirror.begin(), mirror.end(), t.tool) != mirror.end()) continue;
        int line = find_word(m.text, t.table);
        if (!line) continue;
        auto r = conn.exec_params("SELECT to_regclass($1) IS NULL", {t.table});
        if (r.get(0, 0) != "t") continue;  // the table is there (the tool made it): fine
        Error e(fmt::format("{}:{}: uses {}'s history table {}, which does not exist: strata "
                            "keeps its own history, not {}'s",
                            m.display_path, line, t.tool, t.table, t.tool),
                ExitCode::config);
        e.position = SourcePosition{m.display_path, line, 1};
        e.hint = fmt::format(
            "set `[history] mirror = [\"{}\"]` in strata.toml: strata then keeps {} as {} does, "
            "and this migration finds it; nothing was applied",
            t.tool, t.table, t.tool);
        throw e;
      }
    }
  }
}

}  // namespace strata
