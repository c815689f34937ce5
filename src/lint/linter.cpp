// The linter (see linter.hpp): parse, run rules, config, ignores, positions.
#include "lint/linter.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <thread>

#include "lint/rule.hpp"
#include "sql/splitter.hpp"
#include "util/text.hpp"

namespace strata::lint {
namespace {

struct Unparsed {
  size_t offset = 0;
  std::string message;
  int count = 0;
};

// One file, split by src/sql (the same statements the executor runs), with its parse trees.
struct ParsedFile {
  sql::SplitFile split;
  std::vector<LintStatement> statements;  // the file's, or the pieces that parse
  std::optional<Unparsed> unparsed;
};

ParsedFile parse_file(const LintInput& in) {
  ParsedFile pf;
  sql::SplitOptions options;
  options.keep_trees = true;
  options.path = in.file;
  pf.split = sql::split_statements(in.text, options);
  if (pf.split.parsed) {
    pf.statements = std::move(pf.split.statements);
  } else {
    pf.statements = std::move(pf.split.pieces);
    if (!pf.split.errors.empty()) {
      Unparsed u;
      u.offset = pf.split.errors.front().statement_offset;
      u.message = pf.split.errors.front().message;
      u.count = static_cast<int>(pf.split.errors.size());
      pf.unparsed = u;
    }
  }
  // Statements of an included file are linted with it, not here.
  std::erase_if(pf.statements, [](const LintStatement& st) { return !st.origin.empty(); });
  for (size_t i = 0; i < pf.statements.size(); ++i) pf.statements[i].index = static_cast<int>(i);
  return pf;
}

struct Ignore {
  std::set<std::string> rules;  // empty = every rule (file form only)
  bool file_wide = false;
  int statement = -1;  // target statement index (next statement)
  size_t offset = 0;   // the comment
  std::set<std::string> used;
  bool used_any = false;
};

std::vector<Ignore> find_ignores(std::string_view text, const std::vector<LintStatement>& stmts) {
  std::vector<Ignore> out;
  static constexpr std::string_view kTag = "strata-lint-ignore";
  size_t pos = 0;
  while ((pos = text.find(kTag, pos)) != std::string_view::npos) {
    size_t line_start = text.rfind('\n', pos);
    line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
    size_t dash = text.rfind("--", pos);
    std::string between = dash != std::string_view::npos && dash >= line_start
                              ? trim(text.substr(dash + 2, pos - dash - 2))
                              : "x";
    size_t after = pos + kTag.size();
    pos = after;
    if (!between.empty()) continue;  // not a `-- strata-lint-ignore` comment
    Ignore ig;
    ig.offset = dash;
    if (text.substr(after, 5) == "-file") {
      ig.file_wide = true;
      after += 5;
    }
    if (after < text.size() && text[after] != ' ' && text[after] != '\t' && text[after] != '\n' &&
        text[after] != '\r')
      continue;  // e.g. strata-lint-ignored
    size_t eol = text.find('\n', after);
    std::string rest(
        text.substr(after, eol == std::string_view::npos ? std::string_view::npos : eol - after));
    // Anything after a further `--` is a free-text reason.
    if (size_t reason = rest.find("--"); reason != std::string::npos) rest.resize(reason);
    std::string id;
    for (char c : rest + " ") {
      if (c == ',' || c == ' ' || c == '\t' || c == '\r') {
        if (!id.empty()) ig.rules.insert(id);
        id.clear();
      } else {
        id.push_back(c);
      }
    }
    if (!ig.file_wide) {
      for (const auto& st : stmts) {
        if (st.start > ig.offset) {
          ig.statement = st.index;
          break;
        }
      }
    }
    out.push_back(std::move(ig));
  }
  return out;
}

int statement_at(const std::vector<LintStatement>& stmts, size_t offset) {
  int found = -1;
  for (const auto& st : stmts) {
    if (st.offset <= offset)
      found = st.index;
    else
      break;
  }
  return found;
}

struct FileState {
  LintFile file;
  ParsedFile parsed;
  std::vector<Ignore> ignores;
};

// Line starts for byte offset -> line/column.
void place(Diagnostic& d, std::string_view text) {
  size_t off = std::min(d.offset, text.size());
  LineCol lc = line_col_at(text, off);
  d.line = lc.line;
  d.column = lc.column;
}

// Runs fn(0..n-1) on up to 8 threads (small jobs stay on the calling thread).
void parallel_for(size_t count, const std::function<void(size_t)>& fn) {
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < count;) fn(i);
  };
  unsigned n = std::min<unsigned>(std::max(1u, std::thread::hardware_concurrency()), 8);
  n = static_cast<unsigned>(std::min<size_t>(n, (count + 15) / 16));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < n; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
}

}  // namespace

LintResult lint_files(const std::vector<LintInput>& inputs, const LintOptions& options) {
  const LintConfig& config = options.config;
  LintResult result;

  // Active rules, with their effective severity.
  std::vector<std::unique_ptr<Rule>> all = make_rules();
  std::vector<Rule*> active;
  std::map<std::string, Severity> severity;
  for (auto& r : all) {
    std::string id = r->id();
    bool on = (r->default_enabled() || config.enable.count(id)) && !config.disable.count(id);
    Severity s = r->default_severity();
    if (auto it = config.severity.find(id); it != config.severity.end()) {
      if (!it->second)
        on = false;
      else
        s = *it->second;
    }
    if (!on) continue;
    severity[id] = s;
    active.push_back(r.get());
  }
  auto is_active = [&](const std::string& id) { return severity.count(id) > 0; };

  LintContext ctx(config);
  ctx.pending_known = options.pending_known;
  ctx.supabase = options.supabase;
  ctx.catalog = options.catalog;

  // Parse every file first, on all cores (libpg_query is thread-safe); rules then run in order.
  std::vector<ParsedFile> parsed(inputs.size());
  parallel_for(inputs.size(), [&](size_t i) { parsed[i] = parse_file(inputs[i]); });

  std::vector<std::unique_ptr<FileState>> files;
  std::vector<Diagnostic> diags;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const LintInput& in = inputs[i];
    auto fs = std::make_unique<FileState>();
    fs->file.path = in.path;
    fs->file.text = in.text;
    fs->file.index = static_cast<int>(i);
    fs->file.linted = in.lint && !config.excluded(in.path);
    fs->file.version = in.version;
    auto slash = in.path.rfind('/');
    fs->file.file_name = slash == std::string::npos ? in.path : in.path.substr(slash + 1);
    fs->parsed = std::move(parsed[i]);
    fs->file.transactional = !in.no_transaction;
    for (const auto& st : fs->parsed.statements)
      if (st.non_transactional) fs->file.transactional = false;
    ctx.begin_file(fs->file);
    if (fs->file.linted) {
      result.files_linted++;
      result.sources[in.path] = in.text;
      fs->ignores = find_ignores(in.text, fs->parsed.statements);
      for (Rule* r : active) r->begin_file(ctx, diags);
      if (fs->parsed.unparsed && is_active("unparsed")) {
        Diagnostic d;
        d.rule = "unparsed";
        d.severity = severity["unparsed"];
        d.file = in.path;
        d.offset = fs->parsed.unparsed->offset;
        int n = fs->parsed.unparsed->count;
        d.message = fmt::format(
            "{} statement{} cannot be parsed by strata's PostgreSQL 15 parser ({}) and {} not "
            "linted",
            n, n == 1 ? "" : "s", fs->parsed.unparsed->message, n == 1 ? "is" : "are");
        d.help =
            "newer syntax is fine (the server is the judge), but review it by hand; fix it if it "
            "is a typo";
        diags.push_back(std::move(d));
      }
    }
    for (const auto& st : fs->parsed.statements) {
      if (fs->file.linted)
        for (Rule* r : active) r->check(st, ctx, diags);
      ctx.after_statement(st);
    }
    files.push_back(std::move(fs));
  }
  for (Rule* r : active) r->finish(ctx, diags);

  // Ignores, severities, positions.
  std::map<std::string, FileState*> by_path;
  for (auto& f : files)
    if (f->file.linted) by_path[f->file.path] = f.get();
  std::vector<Diagnostic> kept;
  for (auto& d : diags) {
    auto it = by_path.find(d.file);
    if (it == by_path.end()) continue;  // a finding in a context-only file
    FileState& fs = *it->second;
    int stmt = statement_at(fs.parsed.statements, d.offset);
    bool suppressed = false;
    for (auto& ig : fs.ignores) {
      if (!ig.file_wide && (ig.statement < 0 || ig.statement != stmt)) continue;
      if (ig.rules.empty() || ig.rules.count(d.rule) > 0) {  // bare: every rule
        suppressed = true;
        ig.used_any = true;
        ig.used.insert(d.rule);
      }
    }
    if (suppressed) continue;
    // A configured severity wins; otherwise keep the rule's (it may escalate a finding).
    if (auto cs = config.severity.find(d.rule); cs != config.severity.end() && cs->second)
      d.severity = *cs->second;
    kept.push_back(std::move(d));
  }
  if (is_active("unused-ignore")) {
    for (auto& f : files) {
      if (!f->file.linted) continue;
      for (const auto& ig : f->ignores) {
        auto make = [&](std::string msg) {
          Diagnostic d;
          d.rule = "unused-ignore";
          d.severity = severity["unused-ignore"];
          d.file = f->file.path;
          d.offset = ig.offset;
          d.message = std::move(msg);
          d.help = "remove the ignore comment (or the rule id it no longer needs)";
          kept.push_back(std::move(d));
        };
        if (ig.rules.empty()) {
          if (!ig.used_any)
            make(ig.file_wide ? "`strata-lint-ignore-file` suppresses nothing in this file"
                              : "`strata-lint-ignore` suppresses nothing in the next statement");
          continue;
        }
        for (const auto& id : ig.rules) {
          if (ig.used.count(id)) continue;
          if (!find_rule(id)) {
            make(fmt::format("`{}` is not a strata lint rule", id));
          } else if (!is_active(id)) {
            continue;  // disabled by config: nothing to judge
          } else if (!ig.file_wide && ig.statement < 0) {
            make(fmt::format("ignore of `{}` is not followed by a statement", id));
          } else {
            make(fmt::format("ignore of `{}` suppresses nothing", id));
          }
        }
      }
    }
  }
  std::map<std::string, int> order;
  for (auto& f : files) order[f->file.path] = f->file.index;
  for (auto& d : kept) place(d, result.sources[d.file]);
  std::stable_sort(kept.begin(), kept.end(), [&](const Diagnostic& a, const Diagnostic& b) {
    int fa = order[a.file], fb = order[b.file];
    if (fa != fb) return fa < fb;
    return a.offset < b.offset;
  });
  result.diagnostics = std::move(kept);
  // Freeing thousands of parse trees is a large share of the run: do it on all cores too.
  parallel_for(files.size(), [&](size_t i) { files[i].reset(); });
  return result;
}

LintResult lint_migrations(const Project& project, const std::vector<const Migration*>& set,
                           const std::vector<const Migration*>& targets, const LintConfig& config,
                           const CatalogLookup& catalog) {
  std::set<const Migration*> wanted(targets.begin(), targets.end());
  std::vector<LintInput> inputs;
  for (const Migration* m : set) {
    LintInput in;
    in.path = m->display_path.empty() ? project.display(m->path) : m->display_path;
    in.text = m->text;
    in.version = m->version;
    in.no_transaction = m->no_transaction;
    in.file = m->path;
    in.lint = targets.empty() || wanted.count(m) > 0;
    inputs.push_back(std::move(in));
  }
  LintOptions o;
  o.config = config;
  o.catalog = catalog;
  o.pending_known = static_cast<bool>(catalog);
  o.supabase = project.supabase;
  return lint_files(inputs, o);
}

}  // namespace strata::lint
