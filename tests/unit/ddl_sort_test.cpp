// Unit tests: the dependency sort (order, tie-break, a repaired cycle, an unrepairable one).
#include <gtest/gtest.h>

#include "ddl/dep_sort.hpp"
#include "util/error.hpp"

using namespace strata;
using namespace strata::ddl;

namespace {

SortNode node(std::string name, int priority, std::vector<std::string> parts,
              std::vector<std::string> repairs = {}) {
  return SortNode{std::move(name), priority, std::move(parts), std::move(repairs)};
}

}  // namespace

TEST(DepSort, DependenciesFirstPriorityOnlyBreaksTies) {
  // c needs a although c's priority is lower; b and d are free and ordered by priority, name.
  std::vector<SortNode> n = {node("a", 5, {"A"}), node("b", 1, {"B"}), node("c", 0, {"C"}),
                             node("d", 1, {"D"})};
  auto r = sort_statements(n, {{0, 2, 0}});
  EXPECT_EQ(r.statements, (std::vector<std::string>{"B", "D", "A", "C"}));
  EXPECT_TRUE(r.repairs.empty());
}

TEST(DepSort, SequenceOwnedByCycleIsRepairedByName) {
  // CREATE SEQUENCE s ... OWNED BY t.id  <->  CREATE TABLE t (id DEFAULT nextval('s')).
  std::vector<SortNode> n = {
      node("create sequence", 0, {"CREATE SEQUENCE s;", "ALTER SEQUENCE s OWNED BY t.id;"},
           {"", "sequence OWNED BY after its table"}),
      node("create table", 1, {"CREATE TABLE t (id int DEFAULT nextval('s'));"})};
  std::vector<SortEdge> e = {{0, 1, 0}, {1, 0, 1}};
  auto r = sort_statements(n, e);
  EXPECT_EQ(r.statements, (std::vector<std::string>{"CREATE SEQUENCE s;",
                                                    "CREATE TABLE t (id int DEFAULT nextval('s'));",
                                                    "ALTER SEQUENCE s OWNED BY t.id;"}));
  ASSERT_EQ(r.repairs.size(), 1u);
  EXPECT_EQ(r.repairs[0], "sequence OWNED BY after its table: create sequence");
}

TEST(DepSort, CycleWithoutRepairIsAClearError) {
  std::vector<SortNode> n = {node("create view a", 0, {"A"}), node("create view b", 0, {"B"}),
                             node("create table c", 0, {"C"})};
  std::vector<SortEdge> e = {{0, 1, 0}, {1, 0, 0}, {2, 0, 0}};
  try {
    sort_statements(n, e);
    FAIL() << "expected an error";
  } catch (const Error& err) {
    std::string msg = err.what();
    EXPECT_NE(msg.find("dependency cycle with no known repair"), std::string::npos) << msg;
    EXPECT_NE(msg.find("create view a"), std::string::npos) << msg;
    EXPECT_NE(msg.find("create view b"), std::string::npos) << msg;
    EXPECT_EQ(msg.find("create table c"), std::string::npos) << msg;
  }
}

TEST(DepSort, OutputIsDeterministic) {
  std::vector<SortNode> n;
  for (int i = 9; i >= 0; --i)
    n.push_back(node("n" + std::to_string(i), i % 3, {std::to_string(i)}));
  auto a = sort_statements(n, {});
  std::reverse(n.begin(), n.end());
  auto b = sort_statements(n, {});
  EXPECT_EQ(a.statements, b.statements);
}
