// Rule ban-uncommitted-transaction: a BEGIN with no matching COMMIT leaves the rest of the file
// (and, with psql or a no-transaction migration, the session) inside an open transaction.
#include <fmt/format.h>

#include <optional>

#include "lint/rules/common.hpp"

namespace strata::lint::rules {
namespace {

class BanUncommittedTransaction : public Rule {
 public:
  const char* id() const override { return "ban-uncommitted-transaction"; }
  Severity default_severity() const override { return Severity::error; }
  const char* summary() const override { return "every BEGIN needs a COMMIT in the same file"; }
  void begin_file(LintContext&, std::vector<Diagnostic>& out) override { flush(out); }
  void check(const LintStatement& st, LintContext& ctx, std::vector<Diagnostic>&) override {
    if (st.node->node_case != PG_QUERY__NODE__NODE_TRANSACTION_STMT) return;
    switch (st.node->transaction_stmt->kind) {
      case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_BEGIN:
      case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_START:
        if (!open_) open_ = Position{ctx.file().path, st.start};
        break;
      case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT:
      case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK:
        open_.reset();
        break;
      default:
        break;
    }
  }
  void finish(LintContext&, std::vector<Diagnostic>& out) override { flush(out); }

 private:
  std::optional<Position> open_;
  void flush(std::vector<Diagnostic>& out) {
    if (!open_) return;
    report_at(out, open_->file, open_->offset, "BEGIN is never committed in this file",
              "add COMMIT at the end of the transaction, or remove BEGIN (strata runs each "
              "migration in a transaction)");
    open_.reset();
  }
};

}  // namespace
}  // namespace strata::lint::rules
STRATA_LINT_RULE(strata::lint::rules::BanUncommittedTransaction)
