// libpg_query parse to protobuf, unpacked with protobuf-c, on a thread with a large stack
// (a pathological expression overflows the default one).
#include "sql/parse_tree.hpp"

#include <pg_query.h>
#include <pthread.h>

namespace strata::sql {

void ParseTree::Free::operator()(PgQuery__ParseResult* p) const {
  pg_query__parse_result__free_unpacked(p, nullptr);
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
    out.tree_.reset(pg_query__parse_result__unpack(
        nullptr, job.result.parse_tree.len,
        reinterpret_cast<const uint8_t*>(job.result.parse_tree.data)));
    if (!out.tree_) out.failure_ = ParseFailure{"cannot unpack the parse tree", 0};
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
