// Dependency sort of DDL statements: a topological order of nodes (Kahn's algorithm), with a
// per-node priority and then the node's name only as the tie-break among nodes that are ready,
// so the output is deterministic. A cycle is repaired the way pg_dump repairs its known loops:
// a node may carry deferrable parts (a column default that calls a function, a sequence's
// OWNED BY), each with a repair name; an edge that only the deferrable part needs is moved to a
// new node holding that part, emitted after the node's core. A cycle with no such edge is an
// Error naming the objects in it.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

namespace strata::ddl {

struct SortNode {
  std::string name;  // unique; used in cycle errors and as the second tie-break
  int priority = 0;  // smaller first among ready nodes
  // parts[0]: the node's core SQL; parts[i > 0]: deferrable SQL named by repairs[i].
  std::vector<std::string> parts;
  std::vector<std::string> repairs;  // same size as parts; repairs[0] unused
};

struct SortEdge {
  size_t before = 0;      // node index that must come first
  size_t after = 0;       // node index that needs it
  size_t after_part = 0;  // which part of `after` needs it (0: the core)
};

struct SortResult {
  std::vector<std::string> statements;  // non-empty parts in order
  std::vector<std::string> order;       // node names in order (split parts: "name [repair]")
  std::vector<std::string> repairs;     // "repair: name" for each cycle broken
};

// Throws strata::Error (ExitCode::failure) on a cycle that no part can break.
SortResult sort_statements(std::vector<SortNode> nodes, std::vector<SortEdge> edges);

}  // namespace strata::ddl
