// Directives are whole `--` comments of their own line, outside any statement, string or body
// (found by sql::scan_script, the same psql-like pass the splitter uses):
//   -- strata:no-transaction   run statement by statement outside a transaction
//   -- strata:env dev          run only against the local cluster or with --env dev
//   -- strata:down             everything after this line is the down migration
//   -- strata:squash-of V SUM  this file replaces version V (checksum SUM): ops/squash.hpp
// Any other `-- strata:<word>` is an error, as is a file that is not UTF-8. A leading UTF-8
// byte-order mark is not part of the SQL.
#include "migration/migration.hpp"

#include <fmt/format.h>

#include "sql/script_scan.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace strata {

namespace {
Error at(const Migration& m, std::string_view text, size_t offset, const std::string& message,
         const std::string& hint) {
  sql::LineCursor cursor(text);
  auto [line, column] = cursor.at(offset);
  std::string where = m.display_path.empty() ? m.path.string() : m.display_path;
  Error e(fmt::format("{}:{}:{}: {}", where, line, column, message), ExitCode::config);
  e.position = SourcePosition{where, line, column};
  e.hint = hint;
  return e;
}
}  // namespace

void apply_directives(Migration& m, const std::string& file_text) {
  std::string_view text = file_text;
  if (size_t bad = sql::first_invalid_utf8(text); bad != std::string_view::npos) {
    throw at(m, text, bad,
             fmt::format("not valid UTF-8 (byte 0x{:02X})", static_cast<unsigned char>(text[bad])),
             "convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8)");
  }
  size_t skip = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;  // a BOM is not SQL
  if (file_text.find("strata:") == std::string::npos) {    // no directives: skip the scan
    if (&file_text != &m.text)
      m.text = std::string(text.substr(skip));
    else if (skip)
      m.text.erase(0, skip);  // `file_text` is m.text itself: no copy of a big file
    return;
  }
  std::string own;  // `file_text` may be m.text itself, which is replaced below
  if (&file_text == &m.text) {
    own = file_text;
    text = own;
  }
  m.text = std::string(text.substr(skip));
  sql::ScriptScan scan = sql::scan_script(text);
  for (const sql::DirectiveComment& d : scan.directives) {
    auto no_argument = [&] {
      if (!d.argument.empty())
        throw at(m, text, d.offset,
                 fmt::format("`-- strata:{}` takes no argument (found \"{}\")", d.word, d.argument),
                 "write the directive alone on its line; put remarks on another line");
    };
    if (d.word == "no-transaction") {
      no_argument();
      m.no_transaction = true;
    } else if (d.word == "env") {
      if (d.argument.empty() || d.argument.find_first_of(" \t") != std::string::npos)
        throw at(m, text, d.offset, "`-- strata:env` needs one environment name",
                 "e.g. `-- strata:env dev` (the file then runs only with --env dev or locally)");
      m.env = d.argument;
    } else if (d.word == "squash-of") {
      std::vector<std::string> w;
      for (size_t i = 0; i < d.argument.size();) {
        size_t end = d.argument.find(' ', i);
        if (end == std::string::npos) end = d.argument.size();
        if (end > i) w.push_back(d.argument.substr(i, end - i));
        i = end + 1;
      }
      bool via = w.size() == 5 && w[2] == "via" && w[4].starts_with("sha256:");
      if ((w.size() != 2 && !via) || !w[1].starts_with("sha256:"))
        throw at(m, text, d.offset,
                 "`-- strata:squash-of` needs a version and its checksum (and optionally `via` "
                 "an earlier squash's version and checksum)",
                 "`strata migration squash` writes these lines: e.g. `-- strata:squash-of "
                 "20250101000000 sha256:<hex>`");
      m.squash_of.push_back({w[0], w[1], via ? w[3] : "", via ? w[4] : ""});
    } else if (d.word == "down") {
      no_argument();
      size_t up_end = d.offset;
      m.text = std::string(text.substr(skip, up_end - std::min(up_end, skip)));
      sql::LineCursor cursor(text);
      int line = cursor.at(d.offset).first;
      m.down = DownScript{m.path, std::string(text.substr(d.line_end)), line + 1, m.no_transaction};
      return;
    } else {
      throw at(m, text, d.offset, fmt::format("unknown directive `-- strata:{}`", d.word),
               "strata's directives are `-- strata:no-transaction`, `-- strata:env <name>`, "
               "`-- strata:down` and `-- strata:squash-of`; for an ordinary comment, do not start "
               "it with `strata:`");
    }
  }
}

}  // namespace strata
