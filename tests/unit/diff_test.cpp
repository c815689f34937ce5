// Unit tests: model diff and DDL ordering (pure, no database).
#include <gtest/gtest.h>

#include "ddl/ddl_writer.hpp"
#include "diff/schema_diff.hpp"

using namespace strata;

static SchemaObject obj(std::string kind, std::string name, std::string table, std::string def) {
  SchemaObject o{kind,
                 name,
                 table,
                 def,
                 "CREATE " + kind + " " + name + ";",
                 "DROP " + kind + " " + name + ";",
                 ""};
  if (kind == "column") o.alter_sql = "ALTER " + name + ";";
  return o;
}

static void add(SchemaModel& m, SchemaObject o) {
  m.emplace(o.kind + ":" + o.name, o);
}

TEST(SchemaDiff, FindsCreatesDropsAndAlters) {
  SchemaModel from, to;
  add(from, obj("table", "t", "", "table"));
  add(from, obj("column", "t.a", "t", "int"));
  add(from, obj("policy", "t.p", "t", "USING true"));
  add(to, obj("table", "t", "", "table"));
  add(to, obj("column", "t.a", "t", "bigint"));
  add(to, obj("index", "i", "t", "CREATE INDEX i"));
  auto changes = diff_models(from, to);
  ASSERT_EQ(changes.size(), 3u);
  std::string ddl = write_ddl(changes);
  EXPECT_EQ(ddl, "DROP policy t.p;\nALTER t.a;\nCREATE index i;\n");
}

TEST(SchemaDiff, OrdersByDependencyAndDropsWithTheTable) {
  SchemaModel from, to;
  add(from, obj("table", "old", "", "table"));
  add(from, obj("column", "old.x", "old", "int"));
  add(from, obj("index", "old_x", "old", "idx"));
  add(to, obj("policy", "n.p", "n", "p"));
  add(to, obj("index", "n_i", "n", "i"));
  add(to, obj("column", "n.c", "n", "int"));
  add(to, obj("table", "n", "", "table"));
  add(to, obj("schema", "s", "", "s"));
  std::string ddl = write_ddl(diff_models(from, to));
  EXPECT_EQ(ddl,
            "DROP table old;\n"  // its column and index go with it
            "CREATE schema s;\nCREATE table n;\nCREATE column n.c;\nCREATE index n_i;\nCREATE "
            "policy n.p;\n");
  EXPECT_NE(describe_changes(diff_models(from, to)).find("+ table n (only in the database)"),
            std::string::npos);
}
