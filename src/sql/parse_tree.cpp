// libpg_query parse to protobuf, unpacked with protobuf-c into an arena, on a thread with a large
// stack (a pathological expression overflows the default one).
#include "sql/parse_tree.hpp"

#include <pg_query.h>
#include <pthread.h>

#include <algorithm>

namespace strata::sql {

void* ParseTree::Arena::alloc(size_t bytes) {
  constexpr size_t align = alignof(std::max_align_t);
  bytes = (bytes + align - 1) & ~(align - 1);
  if (bytes > left_) {
    size_t size = std::max(bytes, next_block);
    next_block = std::min<size_t>(next_block * 2, 1u << 20);
    blocks_.push_back(std::make_unique_for_overwrite<std::byte[]>(size));
    at_ = blocks_.back().get();
    left_ = size;
  }
  void* p = at_;
  at_ += bytes;
  left_ -= bytes;
  return p;
}

namespace {
struct ParseJob {
  std::string text;
  PgQueryProtobufParseResult result{};
};

void* run_parse(void* arg) {
  auto* job = static_cast<ParseJob*>(arg);
  job->result = pg_query_parse_protobuf(job->text.c_str());
  return nullptr;
}
}  // namespace

ParseTree ParseTree::parse(std::string_view text) {
  ParseJob job{std::string(text), {}};
  // Small inputs parse on the calling thread; big ones get a 256 MiB stack.
  if (text.size() < 64 * 1024) {
    run_parse(&job);
  } else {
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 256u << 20);
    pthread_t thread;
    if (pthread_create(&thread, &attr, run_parse, &job) == 0) {
      pthread_join(thread, nullptr);
    } else {
      run_parse(&job);
    }
    pthread_attr_destroy(&attr);
  }
  ParseTree out;
  if (job.result.error) {
    out.failure_ =
        ParseFailure{job.result.error->message ? job.result.error->message : "syntax error",
                     job.result.error->cursorpos};
  } else {
    // Unpacked into the arena: nothing is freed one by one (free is a no-op), the arena goes
    // with the tree. The unpacked tree takes a few times the packed size.
    out.arena_ = std::make_unique<Arena>();
    out.arena_->next_block = std::max<size_t>(16 * 1024, 4 * job.result.parse_tree.len);
    ProtobufCAllocator allocator{
        [](void* arena, size_t bytes) { return static_cast<Arena*>(arena)->alloc(bytes); },
        [](void*, void*) {}, out.arena_.get()};
    out.tree_ = pg_query__parse_result__unpack(
        &allocator, job.result.parse_tree.len,
        reinterpret_cast<const uint8_t*>(job.result.parse_tree.data));
    if (!out.tree_) {
      out.arena_.reset();
      out.failure_ = ParseFailure{"cannot unpack the parse tree", 0};
    }
  }
  pg_query_free_protobuf_parse_result(job.result);
  return out;
}

std::string node_name(const PgQuery__Node* node) {
  if (!node || node->node_case == PG_QUERY__NODE__NODE__NOT_SET) return {};
  // The oneof field descriptors are named in snake_case ("create_stmt"); turn that into the
  // PostgreSQL node name ("CreateStmt").
  const ProtobufCFieldDescriptor* field =
      protobuf_c_message_descriptor_get_field(&pg_query__node__descriptor, node->node_case);
  if (!field) return {};
  std::string out;
  bool upper = true;
  for (const char* c = field->name; *c; ++c) {
    if (*c == '_') {
      upper = true;
      continue;
    }
    out.push_back(upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(*c))) : *c);
    upper = false;
  }
  return out;
}

}  // namespace strata::sql
