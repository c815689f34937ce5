// Kahn's algorithm with a (priority, name) ready set; cycles repaired by splitting deferrable
// parts out of a node, or reported.
#include "ddl/dep_sort.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <tuple>

#include "util/error.hpp"

namespace strata::ddl {

namespace {

// Returns the emitted order, or the prefix emitted before the sort stalled (size < nodes).
std::vector<size_t> kahn(const std::vector<SortNode>& nodes, const std::vector<SortEdge>& edges) {
  std::vector<size_t> indegree(nodes.size(), 0);
  std::vector<std::vector<size_t>> out(nodes.size());
  for (const auto& e : edges) {
    if (e.before == e.after) continue;
    ++indegree[e.after];
    out[e.before].push_back(e.after);
  }
  using Key = std::tuple<int, std::string, size_t>;
  std::set<Key> ready;
  for (size_t i = 0; i < nodes.size(); ++i)
    if (indegree[i] == 0) ready.insert({nodes[i].priority, nodes[i].name, i});
  std::vector<size_t> order;
  while (!ready.empty()) {
    size_t n = std::get<2>(*ready.begin());
    ready.erase(ready.begin());
    order.push_back(n);
    for (size_t m : out[n])
      if (--indegree[m] == 0) ready.insert({nodes[m].priority, nodes[m].name, m});
  }
  return order;
}

// Edges of one cycle among the nodes not yet emitted.
std::vector<size_t> find_cycle(const std::vector<SortNode>& nodes,
                               const std::vector<SortEdge>& edges, const std::vector<bool>& done) {
  // Start from the first remaining node by (priority, name) and walk to a remaining predecessor
  // until a node repeats.
  size_t start = nodes.size();
  for (size_t i = 0; i < nodes.size(); ++i)
    if (!done[i] &&
        (start == nodes.size() || std::tie(nodes[i].priority, nodes[i].name) <
                                      std::tie(nodes[start].priority, nodes[start].name)))
      start = i;
  std::vector<size_t> path_nodes, path_edges;
  std::vector<int> pos(nodes.size(), -1);
  size_t cur = start;
  while (pos[cur] < 0) {
    pos[cur] = static_cast<int>(path_nodes.size());
    path_nodes.push_back(cur);
    size_t pick = edges.size();
    for (size_t e = 0; e < edges.size(); ++e) {
      const auto& ed = edges[e];
      if (ed.after != cur || ed.before == cur || done[ed.before]) continue;
      if (pick == edges.size() || nodes[ed.before].name < nodes[edges[pick].before].name) pick = e;
    }
    if (pick == edges.size()) return {};  // cannot happen when the sort stalled
    path_edges.push_back(pick);
    cur = edges[pick].before;
  }
  return std::vector<size_t>(path_edges.begin() + pos[cur], path_edges.end());
}

}  // namespace

SortResult sort_statements(std::vector<SortNode> nodes, std::vector<SortEdge> edges) {
  SortResult result;
  for (auto& n : nodes) n.repairs.resize(n.parts.size());
  for (;;) {
    std::vector<size_t> order = kahn(nodes, edges);
    if (order.size() == nodes.size()) {
      for (size_t n : order) {
        result.order.push_back(nodes[n].name);
        for (const auto& p : nodes[n].parts)
          if (!p.empty()) result.statements.push_back(p);
      }
      return result;
    }
    std::vector<bool> done(nodes.size(), false);
    for (size_t n : order) done[n] = true;
    std::vector<size_t> cycle = find_cycle(nodes, edges, done);
    // A repair: an edge of the cycle that only a deferrable part of its node needs.
    size_t fix = edges.size();
    for (size_t e : cycle)
      if (edges[e].after_part > 0 &&
          (fix == edges.size() || nodes[edges[e].after].name < nodes[edges[fix].after].name))
        fix = e;
    if (fix == edges.size()) {
      std::string names;
      for (auto it = cycle.rbegin(); it != cycle.rend(); ++it)
        names += nodes[edges[*it].before].name + " -> ";
      if (!cycle.empty()) names += nodes[edges[cycle.back()].before].name;
      Error err("dependency cycle with no known repair: " + names, ExitCode::failure);
      err.hint =
          "strata orders DDL by the catalog's dependencies; this loop needs a hand-written "
          "migration (break it with ALTER statements)";
      throw err;
    }
    size_t owner = edges[fix].after, part = edges[fix].after_part;
    SortNode split;
    split.name = nodes[owner].name + " [" + nodes[owner].repairs[part] + "]";
    split.priority = nodes[owner].priority;
    split.parts = {nodes[owner].parts[part]};
    split.repairs = {""};
    result.repairs.push_back(nodes[owner].repairs[part] + ": " + nodes[owner].name);
    nodes[owner].parts[part].clear();
    size_t idx = nodes.size();
    nodes.push_back(std::move(split));
    for (auto& e : edges)
      if (e.after == owner && e.after_part == part) {
        e.after = idx;
        e.after_part = 0;
      }
    edges.push_back({owner, idx, 0});
  }
}

}  // namespace strata::ddl
