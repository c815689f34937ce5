// libFuzzer target: feeds arbitrary bytes, as SQL, to the statement splitter and to the linter
// (every rule, with a second migration file for set-level context). Built with
// -DSTRATA_FUZZ=ON and clang; run by scripts/fuzz.sh. It must never crash or leak under ASan.
#include <cstddef>
#include <cstdint>
#include <string>

#include "lint/linter.hpp"
#include "lint/render.hpp"
#include "sql/splitter.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  if (text.find('\0') != std::string::npos) text.resize(text.find('\0'));  // C strings below
  strata::sql::SplitFile split = strata::sql::split_statements(text);
  (void)split;

  strata::lint::LintOptions options;
  options.config.enable = {"missing-header-comment", "require-statement-timeout"};
  options.config.object_pattern = "^[a-z_][a-z0-9_]*$";
  options.config.file_pattern = "^[0-9]+_[a-z_]+\\.sql$";
  strata::lint::LintResult r = strata::lint::lint_files(
      {{"001_a.sql", "create table t (id bigint primary key);", "001", false, false},
       {"002_fuzz.sql", text, "002", true, false},
       {"004_b.sql", text, "004", true, true}},
      options);
  std::string out = strata::lint::render_text(r) + strata::lint::render_sarif(r) +
                    strata::lint::render_github(r) + strata::lint::render_json(r);
  (void)out;
  return 0;
}
