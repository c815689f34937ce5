// Statement splitting and classification (see splitter.hpp): the psql-like scan, then
// libpg_query's parse of the text with meta-commands and COPY data blanked out (offsets and
// lines unchanged), in runs of whole statements for big files.
#include "sql/splitter.hpp"

#include <fmt/format.h>
#include <pg_query.h>

#include <algorithm>
#include <fstream>
#include <mutex>
#include <sstream>

#include "sql/parse_tree.hpp"
#include "sql/pieces.hpp"
#include "sql/script_scan.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace strata::sql {
namespace {

std::mutex progress_mutex;
std::function<void(size_t, size_t)> progress_callback;

// Files up to kWhole are parsed in one piece; bigger ones in runs of about kChunk bytes (a
// parse tree takes ~50x its text: runs keep that small, and under 64 KiB they parse on the
// calling thread).
constexpr size_t kWhole = 64u << 10;
constexpr size_t kChunk = 32u << 10;

bool has_defelem(PgQuery__Node** items, size_t n, std::string_view name) {
  for (size_t i = 0; i < n; ++i) {
    if (items[i] && items[i]->node_case == PG_QUERY__NODE__NODE_DEF_ELEM &&
        items[i]->def_elem->defname && name == items[i]->def_elem->defname)
      return true;
  }
  return false;
}

// CREATE SUBSCRIPTION runs in a transaction only with create_slot = false.
bool creates_slot(const PgQuery__CreateSubscriptionStmt* s) {
  for (size_t i = 0; i < s->n_options; ++i) {
    const PgQuery__Node* o = s->options[i];
    if (!o || o->node_case != PG_QUERY__NODE__NODE_DEF_ELEM || !o->def_elem->defname) continue;
    if (std::string_view(o->def_elem->defname) != "create_slot") continue;
    const PgQuery__Node* arg = o->def_elem->arg;
    if (!arg) return true;
    if (arg->node_case == PG_QUERY__NODE__NODE_BOOLEAN) return arg->boolean->boolval;
    if (arg->node_case == PG_QUERY__NODE__NODE_STRING && arg->string->sval) {
      std::string v = arg->string->sval;
      return !(v == "false" || v == "off" || v == "0" || v == "no");
    }
    if (arg->node_case == PG_QUERY__NODE__NODE_INTEGER) return arg->integer->ival != 0;
    return true;
  }
  return true;
}

void classify(const PgQuery__Node* node, Statement& st) {
  st.kind = node_name(node);
  if (!node) return;
  switch (node->node_case) {
    case PG_QUERY__NODE__NODE_INDEX_STMT:
      st.non_transactional = node->index_stmt->concurrent;
      break;
    case PG_QUERY__NODE__NODE_DROP_STMT:
      st.non_transactional = node->drop_stmt->concurrent;
      break;
    case PG_QUERY__NODE__NODE_REINDEX_STMT:
      st.non_transactional =
          has_defelem(node->reindex_stmt->params, node->reindex_stmt->n_params, "concurrently");
      break;
    case PG_QUERY__NODE__NODE_VACUUM_STMT:
      st.non_transactional = node->vacuum_stmt->is_vacuumcmd;  // ANALYZE alone is fine
      break;
    case PG_QUERY__NODE__NODE_ALTER_SYSTEM_STMT:
    case PG_QUERY__NODE__NODE_CREATEDB_STMT:
    case PG_QUERY__NODE__NODE_DROPDB_STMT:
    case PG_QUERY__NODE__NODE_CREATE_TABLE_SPACE_STMT:
    case PG_QUERY__NODE__NODE_DROP_TABLE_SPACE_STMT:
      st.non_transactional = true;
      break;
    case PG_QUERY__NODE__NODE_CREATE_EXTENSION_STMT: {
      const PgQuery__CreateExtensionStmt* ce = node->create_extension_stmt;
      st.extension.name = ce->extname ? ce->extname : "";
      st.extension.if_not_exists = ce->if_not_exists;
      for (size_t i = 0; i < ce->n_options; ++i) {
        const PgQuery__Node* o = ce->options[i];
        if (!o || o->node_case != PG_QUERY__NODE__NODE_DEF_ELEM || !o->def_elem->defname) continue;
        std::string_view opt = o->def_elem->defname;
        const PgQuery__Node* arg = o->def_elem->arg;
        if (opt == "schema" && arg && arg->node_case == PG_QUERY__NODE__NODE_STRING)
          st.extension.schema = arg->string->sval;
        if (opt == "cascade")
          st.extension.cascade =
              !arg || arg->node_case != PG_QUERY__NODE__NODE_BOOLEAN || arg->boolean->boolval;
      }
      break;
    }
    case PG_QUERY__NODE__NODE_COMMENT_STMT: {
      const PgQuery__CommentStmt* c = node->comment_stmt;
      if (c->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_EXTENSION && c->object &&
          c->object->node_case == PG_QUERY__NODE__NODE_STRING)
        st.extension.name = c->object->string->sval;
      break;
    }
    case PG_QUERY__NODE__NODE_CREATE_SUBSCRIPTION_STMT:
      st.non_transactional = creates_slot(node->create_subscription_stmt);
      break;
    case PG_QUERY__NODE__NODE_TRANSACTION_STMT:
      switch (node->transaction_stmt->kind) {
        case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_BEGIN:
        case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_START:
          st.tx_control = TxControl::begin;
          break;
        case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT:
          st.tx_control = TxControl::commit;
          break;
        case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK:
          st.tx_control = TxControl::rollback;
          break;
        default:
          st.tx_control = TxControl::other;
      }
      break;
    default:
      break;
  }
}

bool is_copy_from_stdin(const PgQuery__Node* node) {
  return node && node->node_case == PG_QUERY__NODE__NODE_COPY_STMT && node->copy_stmt->is_from &&
         !node->copy_stmt->is_program &&
         (!node->copy_stmt->filename || !*node->copy_stmt->filename);
}

// Byte offset of the first token at or after `from` (before `to`): skips blanks, `--` comments
// and nested `/* */`; `to` when there is none.
size_t first_token(std::string_view t, size_t from, size_t to) {
  size_t p = from;
  to = std::min(to, t.size());
  while (p < to) {
    char c = t[p];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
      ++p;
    } else if (c == '-' && p + 1 < to && t[p + 1] == '-') {
      size_t nl = t.find('\n', p);
      p = nl == std::string_view::npos ? to : nl + 1;
    } else if (c == '/' && p + 1 < to && t[p + 1] == '*') {
      int depth = 1;
      p += 2;
      while (p < to && depth > 0) {
        if (t[p] == '/' && p + 1 < to && t[p + 1] == '*') {
          ++depth;
          p += 2;
        } else if (t[p] == '*' && p + 1 < to && t[p + 1] == '/') {
          --depth;
          p += 2;
        } else {
          ++p;
        }
      }
    } else {
      return p;
    }
  }
  return to;
}

struct Range {
  size_t begin, end;
};

// The parse of one run of the (blanked) text, and where it starts and ends.
struct Run {
  size_t base = 0;
  size_t end = 0;
  std::shared_ptr<ParseTree> tree;
};

struct Trees {
  std::vector<std::shared_ptr<ParseTree>> all;
};

std::string read_whole(const std::filesystem::path& p, bool& ok) {
  std::ifstream in(p, std::ios::binary);
  ok = static_cast<bool>(in);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool is_include(const MetaCommand& m) {
  return m.name == "i" || m.name == "include" || m.name == "ir" || m.name == "include_relative";
}
std::string include_argument(const MetaCommand& m) {
  std::string arg = m.argument;
  if (arg.size() >= 2 && arg.front() == '\'' && arg.back() == '\'')
    arg = arg.substr(1, arg.size() - 2);
  return arg;
}
// `\ir` is relative to the including file's folder, `\i` to the current directory (as psql).
std::filesystem::path include_path(const MetaCommand& m, const std::filesystem::path& file) {
  std::filesystem::path p(include_argument(m));
  bool relative = m.name == "ir" || m.name == "include_relative";
  if (relative && p.is_relative() && !file.empty()) p = file.parent_path() / p;
  return p.lexically_normal();
}

void collect_includes(std::string_view text, const std::filesystem::path& path, int depth,
                      std::vector<IncludedFile>& out) {
  // Every include command (\i, \ir, \include, \include_relative) starts with `\i`: a text
  // without it needs no scan (the scan is most of the cost of checksumming 1000s of files).
  if (depth >= 8 || text.find("\\i") == std::string_view::npos) return;
  for (const MetaCommand& m : scan_script(text).meta_commands) {
    if (!is_include(m) || include_argument(m).empty()) continue;
    IncludedFile f;
    f.path = include_path(m, path);
    f.text = read_whole(f.path, f.readable);
    std::string sub = f.readable ? f.text : std::string();
    std::filesystem::path sub_path = f.path;
    out.push_back(std::move(f));
    collect_includes(sub, sub_path, depth + 1, out);
  }
}

// Syntax errors for a text the parser rejects: split with the scanner and parse each piece so
// every error is reported with its own position; the pieces that parse become `pieces`.
void locate_errors(std::string_view text, const SplitOptions& options, SplitFile& out,
                   Trees* trees) {
  LineCursor cursor(text);
  std::vector<SyntaxError> errors;
  auto error_at = [&](std::string_view piece, size_t base, size_t stmt_at, const ParseFailure& f) {
    SyntaxError e;
    e.message = f.message;
    e.offset = base + (f.cursorpos > 0 ? byte_offset_of_char(piece, f.cursorpos) : 0);
    e.statement_offset = stmt_at;
    errors.push_back(std::move(e));
  };
  for (const Piece& p : split_pieces(text)) {
    std::string_view piece = text.substr(p.offset, p.length);
    auto tree = std::make_shared<ParseTree>(ParseTree::parse(piece));
    if (tree->failure()) {
      size_t at = first_token(text, p.offset, p.offset + p.length);
      if (at == p.offset + p.length) continue;  // only blanks and comments
      error_at(piece, p.offset, at, *tree->failure());
      continue;
    }
    const PgQuery__ParseResult* r = tree->tree();
    for (size_t i = 0; i < r->n_stmts; ++i) {
      const PgQuery__RawStmt* raw = r->stmts[i];
      Statement st;
      st.loc_base = p.offset;
      st.offset = p.offset + static_cast<size_t>(std::max(0, raw->stmt_location));
      size_t piece_end = std::min(p.offset + p.length, text.size());
      st.offset = std::min(st.offset, piece_end);
      size_t len = raw->stmt_len > 0 ? static_cast<size_t>(raw->stmt_len) : piece_end - st.offset;
      len = std::min(len, text.size() - st.offset);
      st.text = std::string(text.substr(st.offset, len));
      classify(raw->stmt, st);
      st.start = first_token(text, st.offset, st.offset + len);
      auto [l, c] = cursor.at(st.start);
      st.line = l;
      st.column = c;
      if (options.keep_trees) st.node = raw->stmt;
      out.pieces.push_back(std::move(st));
    }
    if (options.keep_trees && trees) trees->all.push_back(tree);
  }
  if (errors.empty()) {
    ParseTree whole = ParseTree::parse(text);
    error_at(text, 0, first_token(text, 0, text.size()),
             whole.failure() ? *whole.failure() : ParseFailure{"syntax error", 0});
  }
  LineCursor ec(text);
  std::sort(errors.begin(), errors.end(),
            [](const SyntaxError& a, const SyntaxError& b) { return a.offset < b.offset; });
  for (auto& e : errors) {
    auto [l, c] = ec.at(e.offset);
    e.line = l;
    e.column = c;
  }
  out.errors = std::move(errors);
}

}  // namespace

void set_split_progress(std::function<void(size_t, size_t)> callback) {
  std::lock_guard<std::mutex> lock(progress_mutex);
  progress_callback = std::move(callback);
}

namespace {

// Collects what a split emits into SplitFile::statements.
struct VectorSink final : StatementSink {
  std::vector<Statement>& out;
  explicit VectorSink(std::vector<Statement>& o) : out(o) {}
  void add(Statement&& st) override { out.push_back(std::move(st)); }
  void restart() override { out.clear(); }
};

// `text` with the ranges of `blanks` (sorted) that fall in [base, base + size) turned into
// spaces (newlines kept), as the parser must see it.
std::string blanked_copy(std::string_view text, size_t base, const std::vector<Range>& blanks) {
  std::string out(text);
  for (const Range& r : blanks) {
    if (r.end <= base) continue;
    if (r.begin >= base + out.size()) break;
    size_t b = std::max(r.begin, base) - base, e = std::min(r.end - base, out.size());
    for (size_t i = b; i < e; ++i)
      if (out[i] != '\n') out[i] = ' ';
  }
  return out;
}

bool overlaps(const std::vector<Range>& blanks, size_t begin, size_t end) {
  auto it = std::lower_bound(blanks.begin(), blanks.end(), begin,
                             [](const Range& r, size_t v) { return r.end <= v; });
  for (; it != blanks.end() && it->begin < end; ++it)
    if (it->end > begin) return true;
  return false;
}

}  // namespace

SplitFile split_statements(std::string_view text, const SplitOptions& options) {
  SplitFile out;
  VectorSink sink(out.statements);
  SplitFile meta = split_statements(text, options, sink);
  meta.statements = std::move(out.statements);
  return meta;
}

SplitFile split_statements(std::string_view text, const SplitOptions& options,
                           StatementSink& sink) {
  SplitFile out;
  ScriptScan scan = scan_script(text);
  out.bom = scan.bom;
  LineCursor cursor(text);

  // What must stop the file, and what to blank before the parse.
  std::vector<Range> blanks;
  if (scan.bom) blanks.push_back({0, 3});
  auto problem = [&](size_t offset, std::string message, std::string hint) {
    Problem p;
    p.message = std::move(message);
    p.hint = std::move(hint);
    p.offset = offset;
    out.problems.push_back(std::move(p));
  };
  if (scan.invalid_utf8 != std::string_view::npos) {
    problem(scan.invalid_utf8,
            fmt::format("not valid UTF-8 (byte 0x{:02X})",
                        static_cast<unsigned char>(text[scan.invalid_utf8])),
            "convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8)");
  }
  struct Include {
    size_t offset;
    std::filesystem::path path;
    std::string written;
  };
  std::vector<Include> includes;
  for (const MetaCommand& m : scan.meta_commands) {
    blanks.push_back({m.offset, m.end});
    if (m.name == "restrict" || m.name == "unrestrict") continue;  // only matter to psql
    if (is_include(m)) {
      std::string arg = include_argument(m);
      if (arg.empty()) {
        problem(m.offset, fmt::format("\\{} needs a file name", m.name), "");
        continue;
      }
      includes.push_back({m.offset, include_path(m, options.path), arg});
      continue;
    }
    problem(m.offset, fmt::format("psql meta-command \\{} is not supported", m.name),
            "strata runs SQL, not psql scripts: remove the line (\\restrict and \\unrestrict are "
            "ignored, \\i and \\ir include a file, COPY ... FROM stdin data is loaded)");
  }
  for (const CopyData& c : scan.copies) blanks.push_back({c.data_begin, c.block_end});
  std::sort(blanks.begin(), blanks.end(),
            [](const Range& a, const Range& b) { return a.begin < b.begin; });
  for (const DirectiveComment& dc : scan.directives)
    out.directives.push_back({dc.word, dc.argument, dc.offset, 0});

  Trees* trees = nullptr;
  std::shared_ptr<Trees> owner;
  if (options.keep_trees) {
    owner = std::make_shared<Trees>();
    trees = owner.get();
  }

  // Statements go to the sink in file order, each included file's in place of its `\i` line.
  size_t emitted = 0;
  size_t next_include = 0;
  auto expand_include = [&](const Include& inc) {
    if (options.include_depth >= 8) {
      problem(inc.offset, fmt::format("\\i {}: includes nested too deep", inc.written), "");
      return;
    }
    bool read_ok = false;
    std::string sub_text = read_whole(inc.path, read_ok);
    if (!read_ok) {
      problem(inc.offset, fmt::format("cannot read included file {}", inc.path.string()),
              "\\ir is relative to the including file, \\i to the current directory");
      return;
    }
    SplitOptions sub_options = options;
    sub_options.path = inc.path;
    sub_options.include_depth = options.include_depth + 1;
    SplitFile sub = split_statements(sub_text, sub_options);
    for (const Problem& p : sub.problems)
      problem(
          inc.offset,
          fmt::format("in included {}:{}:{}: {}", inc.path.string(), p.line, p.column, p.message),
          p.hint);
    if (!sub.parsed) {
      const SyntaxError& e = sub.errors.front();
      problem(inc.offset,
              fmt::format("included {}:{}:{} cannot be parsed ({})", inc.path.string(), e.line,
                          e.column, e.message),
              "an included file must be plain SQL that strata can split");
      return;
    }
    for (Statement& st : sub.statements) {
      if (st.origin.empty()) st.origin = inc.path.string();
      st.index = static_cast<int>(emitted++);
      sink.add(std::move(st));
    }
    if (trees && sub.trees) {
      // Keep the included file's trees alive with ours.
      auto keep = std::const_pointer_cast<void>(sub.trees);
      trees->all.push_back(std::shared_ptr<ParseTree>(keep, nullptr));
    }
  };
  auto emit = [&](Statement&& st) {
    while (next_include < includes.size() && includes[next_include].offset < st.offset)
      expand_include(includes[next_include++]);
    st.index = static_cast<int>(emitted++);
    sink.add(std::move(st));
  };

  // Statements from one parsed run (`run` is the run's blanked text, starting at byte `base` of
  // the file); each run's tree is dropped as soon as it is read (unless kept for lint), so a
  // big file never holds more than one run's tree and text.
  auto blank = blanks.begin();
  auto copy = scan.copies.begin();
  const size_t problems_before = out.problems.size();
  auto consume = [&](std::string_view run, size_t base, const ParseTree& tree) {
    const PgQuery__ParseResult* result = tree.tree();
    for (size_t i = 0; i < result->n_stmts; ++i) {
      const PgQuery__RawStmt* raw = result->stmts[i];
      Statement st;
      st.loc_base = base;
      size_t offset = static_cast<size_t>(std::max(0, raw->stmt_location));
      size_t end = raw->stmt_len > 0 ? offset + static_cast<size_t>(raw->stmt_len) : run.size();
      offset = std::min(offset, run.size());
      end = std::min(std::max(end, offset), run.size());
      st.start = base + first_token(run, offset, end);
      offset += base;
      end += base;
      // Leading blanks that were COPY data or a meta-command are not part of the statement.
      while (blank != blanks.end() && blank->end <= st.start) {
        if (blank->end > offset) offset = blank->end;
        ++blank;
      }
      st.offset = offset;
      st.text = std::string(run.substr(offset - base, end - offset));
      classify(raw->stmt, st);
      if (is_copy_from_stdin(raw->stmt)) {
        while (copy != scan.copies.end() && copy->semicolon < end) ++copy;
        if (copy != scan.copies.end() && copy->semicolon == end) {
          st.copy_in = true;
          st.copy_data =
              std::string(text.substr(copy->data_begin, copy->data_end - copy->data_begin));
        } else {
          problem(st.start, "COPY ... FROM stdin without its data",
                  "put the rows on the lines after the statement, ended by a line `\\.` (as "
                  "pg_dump writes them)");
        }
      }
      auto [l, c] = cursor.at(st.start);
      st.line = l;
      st.column = c;
      if (options.keep_trees) st.node = raw->stmt;
      emit(std::move(st));
    }
  };

  // Parse: the whole text, or runs of whole statements (ending at a top-level `;`). Only the
  // run being parsed is copied (with its blanked ranges), never the whole file.
  bool ok = false;
  if (text.size() > kWhole) {
    std::function<void(size_t, size_t)> progress;
    {
      std::lock_guard<std::mutex> lock(progress_mutex);
      progress = progress_callback;
    }
    ok = true;
    size_t begin = 0;
    auto semi = scan.semicolons.begin();
    std::string run_text;
    while (begin < text.size()) {
      semi = std::lower_bound(semi, scan.semicolons.end(), begin + kChunk);
      size_t end = semi == scan.semicolons.end() ? text.size() : *semi + 1;
      std::string_view run = text.substr(begin, end - begin);
      if (overlaps(blanks, begin, end)) {
        run_text = blanked_copy(run, begin, blanks);
        run = run_text;
      }
      auto tree = std::make_shared<ParseTree>(ParseTree::parse(run));
      if (!tree->tree()) {
        ok = false;
        break;
      }
      consume(run, begin, *tree);
      if (trees) trees->all.push_back(tree);
      if (progress) progress(end, text.size());
      begin = end;
    }
    if (!ok) {  // a run boundary inside a statement (e.g. BEGIN ATOMIC): the whole text, once
      sink.restart();
      emitted = 0;
      next_include = 0;
      out.problems.resize(problems_before);
      if (trees) trees->all.clear();
      blank = blanks.begin();
      copy = scan.copies.begin();
    }
  }
  std::string blanked;
  std::string_view clean = text;
  if (!ok) {
    if (!blanks.empty()) {
      blanked = blanked_copy(text, 0, blanks);
      clean = blanked;
    }
    auto tree = std::make_shared<ParseTree>(ParseTree::parse(clean));
    ok = tree->tree() != nullptr;
    if (ok) {
      consume(clean, 0, *tree);
      if (trees) trees->all.push_back(tree);
    }
  }

  if (!ok) {
    out.parsed = false;
    locate_errors(clean, options, out, trees);
    size_t at = first_token(clean, 0, clean.size());
    if (at < clean.size()) {
      Statement whole;
      whole.text = std::string(clean);
      whole.kind = "unparsed";
      whole.start = at;
      auto [l, c] = cursor.at(at);
      whole.line = l;
      whole.column = c;
      emit(std::move(whole));
    }
  }
  // Included files after the last statement.
  while (next_include < includes.size()) expand_include(includes[next_include++]);
  for (size_t i = 0; i < out.pieces.size(); ++i) out.pieces[i].index = static_cast<int>(i);

  // Lines and columns of problems and directives (in offset order, one forward pass each).
  std::sort(out.problems.begin(), out.problems.end(),
            [](const Problem& a, const Problem& b) { return a.offset < b.offset; });
  LineCursor pc(text);
  for (Problem& p : out.problems) {
    auto [l, c] = pc.at(p.offset);
    p.line = l;
    p.column = c;
  }
  LineCursor dc(text);
  for (Directive& d : out.directives) d.line = dc.at(d.offset).first;
  if (owner) out.trees = owner;
  return out;
}

std::vector<IncludedFile> included_files(std::string_view text, const std::filesystem::path& path) {
  std::vector<IncludedFile> out;
  collect_includes(text, path, 0, out);
  return out;
}

void check_runnable(const SplitFile& split, const std::string& display_path, int first_line) {
  if (split.problems.empty()) return;
  const Problem& p = split.problems.front();
  int line = p.line + first_line - 1;
  Error e(fmt::format("{}:{}:{}: {}", display_path, line, p.column, p.message), ExitCode::config);
  e.position = SourcePosition{display_path, line, p.column};
  e.hint = p.hint;
  if (split.problems.size() > 1)
    e.detail = fmt::format("{} more problem(s) in this file", split.problems.size() - 1);
  throw e;
}

bool is_blank_sql(std::string_view text) {
  size_t from = text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  return first_token(text, from, text.size()) == text.size();
}

}  // namespace strata::sql
