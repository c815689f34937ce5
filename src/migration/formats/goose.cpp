// goose (github.com/pressly/goose): `<version>_<name>.sql` with `-- +goose Up` / `-- +goose Down`
// sections, `-- +goose StatementBegin` / `StatementEnd` around statements holding semicolons (a
// comment to strata, whose parser splits them correctly anyway), `-- +goose NO TRANSACTION`
// and `-- +goose ENVSUB ON` / `OFF` (`$VAR`, `${VAR}`, `${VAR-word}`, `${VAR:-word}`,
// `${VAR?message}`, `${VAR:offset:length}` from the environment, as goose's interpolation does).
// Annotations are case-insensitive comment lines.
#include <fmt/format.h>

#include <cstdlib>
#include <optional>

#include "migration/formats/format.hpp"
#include "util/text.hpp"

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

// goose's ENVSUB (the mfridman/interpolate grammar, applied line by line): `$VAR`, `${VAR}`,
// `${VAR-word}` (word when unset), `${VAR:-word}` (word when unset or empty), `${VAR?msg}` (an
// error when unset), `${VAR:offset}` / `${VAR:offset:length}` (a substring); `$$` and `\$` are a
// literal `$`, `$(` is kept. A word may itself hold expansions. Anything else after `$` is an
// error in goose, and so here: `EnvsubError` with the message, never a silent substitution.
struct EnvsubError {
  std::string message;
};

bool letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool ident(char c) {
  return letter(c) || (c >= '0' && c <= '9') || c == '_';
}

class Envsub {
 public:
  explicit Envsub(std::string_view in) : in_(in) {}
  std::string run() {
    std::string out = expression('\0');
    return out;
  }

 private:
  std::string_view in_;
  size_t pos_ = 0;

  std::string identifier() {
    if (pos_ >= in_.size() || !letter(in_[pos_]))
      throw EnvsubError{pos_ >= in_.size()
                            ? std::string("`$` with no variable name after it")
                            : fmt::format("`${}` is not a variable (a name starts with a letter); "
                                          "write `$$` for a literal `$`",
                                          in_[pos_])};
    size_t b = pos_;
    while (pos_ < in_.size() && ident(in_[pos_])) ++pos_;
    return std::string(in_.substr(b, pos_ - b));
  }
  static std::optional<std::string> get(const std::string& name) {
    const char* v = std::getenv(name.c_str());
    return v ? std::optional<std::string>(v) : std::nullopt;
  }
  // Text and expansions up to `stop` (not consumed) or the end.
  std::string expression(char stop) {
    std::string out;
    while (pos_ < in_.size() && (stop == '\0' || in_[pos_] != stop)) {
      std::string_view rest = in_.substr(pos_);
      if (rest.starts_with("\\\\")) {
        out += "\\\\";
        pos_ += 2;
      } else if (rest.starts_with("\\$") || rest.starts_with("$$")) {
        out += '$';
        pos_ += 2;
      } else if (rest.starts_with("$(")) {
        out += "$(";
        pos_ += 2;
      } else if (rest[0] == '$' && rest.size() > 1) {
        ++pos_;
        out += expansion();
      } else {
        out += in_[pos_++];
      }
    }
    return out;
  }
  std::string expansion() {
    if (in_[pos_] != '{') return get(identifier()).value_or("");
    ++pos_;
    std::string name = identifier();
    auto value = get(name);
    auto expect_close = [&] {
      if (pos_ >= in_.size() || in_[pos_] != '}')
        throw EnvsubError{fmt::format("`${{{}` is not closed by `}}` on its line", name)};
      ++pos_;
    };
    if (pos_ >= in_.size()) throw EnvsubError{fmt::format("`${{{}` is not closed", name)};
    char op = in_[pos_++];
    if (op == '}') return value.value_or("");
    if (op == '-' || (op == ':' && pos_ < in_.size() && in_[pos_] == '-')) {
      bool colon = op == ':';
      if (colon) ++pos_;
      std::string word = expression('}');
      expect_close();
      return value && !(colon && value->empty()) ? *value : word;
    }
    if (op == '?') {
      std::string msg = expression('}');
      expect_close();
      if (!value)
        throw EnvsubError{msg.empty() ? fmt::format("${} is not set", name)
                                      : fmt::format("${} is not set: {}", name, msg)};
      return *value;
    }
    if (op == ':') {
      size_t b = pos_;
      while (pos_ < in_.size() && in_[pos_] != ':' && in_[pos_] != '}') ++pos_;
      auto number = [&](std::string_view t, const char* what) {
        std::string s = trim(t);
        size_t digits = s.starts_with('-') || s.starts_with('+') ? 1 : 0;
        if (s.size() == digits || s.find_first_not_of("0123456789", digits) != std::string::npos)
          throw EnvsubError{fmt::format(
              "`${{{}:{}` is not a form goose supports (after `:` it expects `-word` or a "
              "substring {})",
              name, std::string(t), what)};
        return std::stol(s);
      };
      long offset = number(in_.substr(b, pos_ - b), "offset");
      std::optional<long> length;
      if (pos_ < in_.size() && in_[pos_] == ':') {
        size_t c = ++pos_;
        while (pos_ < in_.size() && in_[pos_] != '}') ++pos_;
        length = number(in_.substr(c, pos_ - c), "length");
      }
      expect_close();
      std::string v = value.value_or("");
      long n = static_cast<long>(v.size());
      if (offset < 0) offset += n;
      if (offset < 0 || offset > n) return {};
      std::string sub = v.substr(static_cast<size_t>(offset));
      if (length && *length >= 0 && static_cast<size_t>(*length) < sub.size())
        sub.resize(static_cast<size_t>(*length));
      return sub;
    }
    throw EnvsubError{
        fmt::format("`${{{}{}` is not a form goose supports (it knows ${{VAR}}, ${{VAR-word}}, "
                    "${{VAR:-word}}, ${{VAR?message}} and ${{VAR:offset:length}})",
                    name, op)};
  }
};

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
    // goose: the digits before the first underscore, a positive number. `.go` files so named
    // are Go migrations (registered with goose.AddMigration...): strata cannot run them.
    bool go = file.ends_with(".go") && !file.ends_with("_test.go");
    if (!file.ends_with(".sql") && !go) return std::nullopt;
    std::string_view stem = file.substr(0, file.size() - (go ? 3 : 4));
    size_t us = stem.find('_');
    if (us == std::string_view::npos || us == 0) return std::nullopt;
    std::string_view digits = stem.substr(0, us);
    if (digits.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
    if (digits.find_first_not_of('0') == std::string_view::npos) return std::nullopt;
    return NameInfo{std::string(digits), std::string(stem.substr(us + 1)),
                    go ? FileKind::foreign : FileKind::up};
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
        if (!substitute[i + 1]) {
          body += lines[i];
        } else {
          try {
            body += Envsub(lines[i]).run();
          } catch (const EnvsubError& e) {
            marker_error(m, static_cast<int>(i) + 1, "ENVSUB: " + e.message,
                         "goose would stop here too: set the variable, or write `$$` for a "
                         "literal `$` between `-- +goose ENVSUB ON` and `OFF`");
          }
        }
        body += '\n';
      }
    }
    if (!down) {
      m.text = body;  // no annotation at all: the whole file is the up migration
      // goose rolls back a file without a Down section by deleting its version row.
      if (up)
        m.down = DownScript{m.path, "", 1, m.no_transaction,
                            "a goose file without `-- +goose Down`: goose runs no SQL either"};
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
