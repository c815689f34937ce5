// Directives are plain SQL comments at the start of a line:
//   -- strata:no-transaction   run statement by statement outside a transaction
//   -- strata:env dev          run only against the local cluster or with --env dev
//   -- strata:down             everything after this line is the down migration
#include "migration/migration.hpp"

#include "util/text.hpp"

namespace strata {

void apply_directives(Migration& m, const std::string& file_text) {
  size_t pos = 0;
  int line = 1;
  m.text = file_text;
  if (file_text.find("strata:") == std::string::npos) return;  // no directives: skip the line scan
  while (pos < file_text.size()) {
    size_t end = file_text.find('\n', pos);
    if (end == std::string::npos) end = file_text.size();
    std::string l = trim(std::string_view(file_text).substr(pos, end - pos));
    if (l.starts_with("--")) {
      std::string body = trim(std::string_view(l).substr(2));
      if (body == "strata:no-transaction") {
        m.no_transaction = true;
      } else if (body.starts_with("strata:env")) {
        m.env = trim(std::string_view(body).substr(10));
      } else if (body == "strata:down") {
        m.text = file_text.substr(0, pos);
        m.down =
            DownScript{m.path, file_text.substr(std::min(end + 1, file_text.size())), line + 1};
        return;
      }
    }
    pos = end + 1;
    ++line;
  }
}

}  // namespace strata
