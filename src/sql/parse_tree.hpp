// ParseTree: RAII owner of libpg_query's protobuf parse tree for one SQL text. Lint rules walk
// it through pg_query.pb-c.h; nothing outside src/sql/ calls libpg_query itself.
#pragma once
#include <pg_query/pg_query.pb-c.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace strata::sql {

struct ParseFailure {
  std::string message;
  int cursorpos = 0;  // 1-based character position in the parsed text; 0 = unknown
};

class ParseTree {
 public:
  // Parses `text`; on failure, tree() is null and failure() says why.
  static ParseTree parse(std::string_view text);

  ParseTree() = default;
  // Move-only; a moved-from tree is empty (tree() null), never a view into the moved arena.
  ParseTree(ParseTree&& o) noexcept
      : arena_(std::move(o.arena_)),
        tree_(std::exchange(o.tree_, nullptr)),
        failure_(std::move(o.failure_)) {}
  ParseTree& operator=(ParseTree&& o) noexcept {
    arena_ = std::move(o.arena_);
    tree_ = std::exchange(o.tree_, nullptr);
    failure_ = std::move(o.failure_);
    return *this;
  }

  const PgQuery__ParseResult* tree() const { return tree_; }
  const std::optional<ParseFailure>& failure() const { return failure_; }

 private:
  // The unpacked tree's memory: bump-allocated blocks released together (a tree of 1000s of
  // messages is freed with a few free() calls instead of a walk over every message).
  class Arena {
   public:
    void* alloc(size_t bytes);
    size_t next_block = 16 * 1024;  // bytes of the next block (doubles, up to 1 MiB)
   private:
    std::vector<std::unique_ptr<std::byte[]>> blocks_;
    std::byte* at_ = nullptr;
    size_t left_ = 0;
  };
  std::unique_ptr<Arena> arena_;  // owns every byte tree_ points into
  const PgQuery__ParseResult* tree_ = nullptr;
  std::optional<ParseFailure> failure_;
};

// The protobuf node case name ("CreateStmt", "IndexStmt", ...) of a node; "" for null.
std::string node_name(const PgQuery__Node* node);

}  // namespace strata::sql
