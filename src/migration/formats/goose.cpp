// goose (github.com/pressly/goose): `<version>_<name>.sql` with `-- +goose Up` / `-- +goose Down`
// sections, `-- +goose StatementBegin` / `StatementEnd` around statements holding semicolons (a
// comment to strata, whose parser splits them correctly anyway), `-- +goose NO TRANSACTION`
// and `-- +goose ENVSUB ON` / `OFF` (${VAR} and ${VAR:-default} from the environment).
// Annotations are case-insensitive comment lines.
#include <cstdlib>

#include "migration/formats/format.hpp"

namespace strata::formats {
namespace {

// The annotation of a line ("up", "down", "no transaction", ...), or "" for other lines.
std::string annotation(std::string_view line) {
  size_t a = line.find_first_not_of(" \t");
  if (a == std::string_view::npos || line.compare(a, 2, "--") != 0) return {};
  std::string l = lower(line.substr(a + 2));
  size_t g = l.find("+goose");
  if (g == std::string::npos || l.find_first_not_of(" \t") != g) return {};
  std::string rest = l.substr(g + 6);
  size_t b = rest.find_first_not_of(" \t");
  size_t e = rest.find_last_not_of(" \t");
  return b == std::string::npos ? std::string() : rest.substr(b, e - b + 1);
}

std::string envsub(std::string_view line) {
  std::string out;
  size_t i = 0;
  while (i < line.size()) {
    if (line.compare(i, 2, "${") == 0) {
      size_t end = line.find('}', i);
      if (end != std::string_view::npos) {
        std::string body(line.substr(i + 2, end - i - 2)), def;
        if (size_t d = body.find(":-"); d != std::string::npos) {
          def = body.substr(d + 2);
          body.resize(d);
        }
        const char* v = std::getenv(body.c_str());
        out += v ? v : def;
        i = end + 1;
        continue;
      }
    }
    out += line[i++];
  }
  return out;
}

class GooseFormat : public Format {
 public:
  std::string_view name() const override { return "goose"; }
  std::string detect(const std::vector<FileSample>& files) const override {
    for (const auto& f : files) {
      if (f.text.find("+goose") == std::string_view::npos &&
          f.text.find("+GOOSE") == std::string_view::npos)
        continue;
      for (auto l : text_lines(f.text))
        if (annotation(l) == "up") return "`-- +goose Up` in " + f.file;
    }
    return {};
  }
  std::optional<NameInfo> parse_name(std::string_view file) const override {
    // goose: the digits before the first underscore, a positive number.
    if (!file.ends_with(".sql")) return std::nullopt;
    std::string_view stem = file.substr(0, file.size() - 4);
    size_t us = stem.find('_');
    if (us == std::string_view::npos || us == 0) return std::nullopt;
    std::string_view digits = stem.substr(0, us);
    if (digits.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
    if (digits.find_first_not_of('0') == std::string_view::npos) return std::nullopt;
    return NameInfo{std::string(digits), std::string(stem.substr(us + 1)), FileKind::up};
  }
  void split(Migration& m, const std::string& text) const override {
    auto lines = text_lines(text);
    int up = 0, down = 0;
    bool envsub_on = false, any_envsub = false;
    std::vector<bool> substitute(lines.size() + 1, false);
    for (size_t i = 0; i < lines.size(); ++i) {
      int line = static_cast<int>(i) + 1;
      std::string a = annotation(lines[i]);
      if (a == "up") {
        if (up) marker_error(m, line, "a second `-- +goose Up`", "goose allows one per file");
        if (down)
          marker_error(m, line, "`-- +goose Up` after `-- +goose Down`",
                       "goose expects the Up section first");
        up = line;
      } else if (a == "down") {
        if (down) marker_error(m, line, "a second `-- +goose Down`", "goose allows one per file");
        if (!up)
          marker_error(m, line, "`-- +goose Down` before any `-- +goose Up`",
                       "goose files start with `-- +goose Up`; without it the down SQL would run "
                       "forward");
        down = line;
      } else if (a == "no transaction") {
        m.no_transaction = true;
      } else if (a == "envsub on") {
        envsub_on = any_envsub = true;
      } else if (a == "envsub off") {
        envsub_on = false;
      } else if (a.empty() && !up) {
        std::string_view l = lines[i];
        size_t b = l.find_first_not_of(" \t");
        if (b != std::string_view::npos && l.compare(b, 2, "--") != 0)
          marker_error(m, line, "SQL before `-- +goose Up`",
                       "goose refuses statements outside a section: move it below the Up "
                       "annotation");
      }
      substitute[static_cast<size_t>(line)] = envsub_on && a.empty();
    }
    std::string body = text;
    if (any_envsub) {
      body.clear();
      for (size_t i = 0; i < lines.size(); ++i) {
        body += substitute[i + 1] ? envsub(lines[i]) : std::string(lines[i]);
        body += '\n';
      }
    }
    if (!down) {
      m.text = body;  // no annotation at all: the whole file is the up migration
      return;
    }
    m.text = keep_lines(body, 1, down);
    std::string down_text = keep_lines(body, down + 1, 0).substr(static_cast<size_t>(down));
    // NO TRANSACTION is file-wide in goose: the Down section runs outside a transaction too.
    m.down = DownScript{m.path, down_text, down + 1, m.no_transaction};
  }
};

}  // namespace

const Format& goose_format() {
  static const GooseFormat f;
  return f;
}

}  // namespace strata::formats
