// Rule naming-convention: migration file names and the names of new tables, indexes, views and
// functions must match the regexes `[lint] file_pattern` / `object_pattern` (no check when unset).
#include <fmt/format.h>

#include <optional>
#include <regex>

#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

class NamingConvention : public Rule {
 public:
  const char* id() const override { return "naming-convention"; }
  Severity default_severity() const override { return Severity::warning; }
  const char* summary() const override {
    return "file and object names must match the configured patterns";
  }
  void begin_file(LintContext& ctx, std::vector<Diagnostic>& out) override {
    compile(ctx);
    if (!file_re_) return;
    const std::string& name = ctx.file().file_name;
    if (std::regex_match(name, *file_re_)) return;
    report(ctx, out, 0,
           fmt::format("file name `{}` does not match file_pattern `{}`", name,
                       ctx.config().file_pattern),
           "rename the file (before it is applied anywhere), or change [lint] file_pattern");
  }
  void check(const LintStatement& st, LintContext& ctx, std::vector<Diagnostic>& out) override {
    if (!object_re_) return;
    const PgQuery__Node* n = st.node;
    std::string name;
    int32_t loc = -1;
    switch (n->node_case) {
      case PG_QUERY__NODE__NODE_CREATE_STMT:
        name = n->create_stmt->relation->relname ? n->create_stmt->relation->relname : "";
        loc = n->create_stmt->relation->location;
        break;
      case PG_QUERY__NODE__NODE_INDEX_STMT:
        name = n->index_stmt->idxname ? n->index_stmt->idxname : "";
        break;
      case PG_QUERY__NODE__NODE_VIEW_STMT:
        name = n->view_stmt->view->relname ? n->view_stmt->view->relname : "";
        loc = n->view_stmt->view->location;
        break;
      case PG_QUERY__NODE__NODE_CREATE_FUNCTION_STMT: {
        const auto* cf = n->create_function_stmt;
        if (cf->n_funcname) name = ast::str(cf->funcname[cf->n_funcname - 1]);
        break;
      }
      default:
        return;
    }
    if (name.empty() || std::regex_match(name, *object_re_)) return;
    report(ctx, out, LintContext::at(st, loc),
           fmt::format("name `{}` does not match object_pattern `{}`", name,
                       ctx.config().object_pattern),
           "rename it, or change [lint] object_pattern");
  }

 private:
  bool compiled_ = false;
  std::optional<std::regex> file_re_, object_re_;
  void compile(const LintContext& ctx) {
    if (compiled_) return;
    compiled_ = true;
    try {
      if (!ctx.config().file_pattern.empty()) file_re_.emplace(ctx.config().file_pattern);
      if (!ctx.config().object_pattern.empty()) object_re_.emplace(ctx.config().object_pattern);
    } catch (const std::regex_error&) {
      file_re_.reset();
      object_re_.reset();
    }
  }
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::NamingConvention)
