// Unit tests: the typed diff (what is an alter, what needs a rebuild, which dependents follow)
// and the DDL it plans, on hand-built models (pure, no database).
#include <gtest/gtest.h>

#include "ddl/ddl_writer.hpp"
#include "diff/schema_diff.hpp"

using namespace strata;

namespace {

Object table(const std::string& name) {
  Object o;
  o.kind = ObjKind::table;
  o.schema = "public";
  o.name = name;
  o.qname = "public." + name;
  o.key = "table:" + o.qname;
  return o;
}

Object column(const Object& t, const std::string& name, const std::string& type, int num) {
  Object o;
  o.kind = ObjKind::column;
  o.schema = "public";
  o.name = name;
  o.qname = t.qname + "." + name;
  o.key = "column:" + o.qname;
  o.parent = t.key;
  o.column.type = type;
  o.column.num = num;
  return o;
}

Object view(const std::string& name, const std::string& def,
            std::vector<std::pair<std::string, std::string>> cols) {
  Object o;
  o.kind = ObjKind::view;
  o.schema = "public";
  o.name = name;
  o.qname = "public." + name;
  o.key = "view:" + o.qname;
  o.view.definition = def;
  o.view.columns = std::move(cols);
  return o;
}

void put(SchemaModel& m, Object o) {
  m.objects.insert_or_assign(o.key, std::move(o));
}

std::string sql(const SchemaModel& a, const SchemaModel& b) {
  auto changes = diff_models(a, b);
  return plan_ddl(a, b, changes).sql();
}

}  // namespace

TEST(SchemaDiff, DefaultOnlyChangeIsOneSetDefault) {
  SchemaModel a, b;
  Object t = table("dv");
  Object c = column(t, "status", "text", 1);
  c.column.default_expr = "'new'::text";
  put(a, t);
  put(a, c);
  c.column.default_expr = "'open'::text";
  put(b, t);
  put(b, c);
  EXPECT_EQ(sql(a, b), "ALTER TABLE public.dv ALTER COLUMN status SET DEFAULT 'open'::text;\n");
}

TEST(SchemaDiff, RetypedColumnRebuildsTheViewsOnItInOrder) {
  SchemaModel a, b;
  Object t = table("item");
  put(a, t);
  put(b, t);
  put(a, column(t, "name", "text", 1));
  put(b, column(t, "name", "character varying(100)", 1));
  put(a, view("v_item", " SELECT name FROM public.item;", {{"name", "text"}}));
  put(b, view("v_item", " SELECT name FROM public.item;", {{"name", "character varying(100)"}}));
  put(a, view("v_cheap", " SELECT name FROM public.v_item;", {{"name", "text"}}));
  put(b, view("v_cheap", " SELECT name FROM public.v_item;", {{"name", "character varying(100)"}}));
  for (auto* m : {&a, &b}) {
    m->deps.push_back({"view:public.v_item", "column:public.item.name"});
    m->deps.push_back({"view:public.v_cheap", "view:public.v_item"});
  }
  std::string out = sql(a, b);
  auto at = [&](const char* s) { return out.find(s); };
  ASSERT_NE(at("DROP VIEW public.v_cheap;"), std::string::npos) << out;
  EXPECT_LT(at("DROP VIEW public.v_cheap;"), at("DROP VIEW public.v_item;")) << out;
  EXPECT_LT(at("DROP VIEW public.v_item;"), at("ALTER COLUMN name TYPE")) << out;
  EXPECT_LT(at("ALTER COLUMN name TYPE"), at("CREATE VIEW public.v_item")) << out;
  EXPECT_LT(at("CREATE VIEW public.v_item"), at("CREATE VIEW public.v_cheap")) << out;
  EXPECT_NE(at("USING name::character varying(100)"), std::string::npos) << out;
}

TEST(SchemaDiff, EnumValuesAreAddedAndRenamedInPlace) {
  SchemaModel a, b;
  Object e;
  e.kind = ObjKind::enum_type;
  e.qname = "public.mood";
  e.key = "type:public.mood";
  e.type.labels = {"sad", "ok"};
  put(a, e);
  e.type.labels = {"sad", "ok", "happy"};
  put(b, e);
  EXPECT_EQ(sql(a, b), "ALTER TYPE public.mood ADD VALUE 'happy' AFTER 'ok';\n");
  e.type.labels = {"unhappy", "ok"};
  put(b, e);
  EXPECT_EQ(sql(a, b), "ALTER TYPE public.mood RENAME VALUE 'sad' TO 'unhappy';\n");
}

TEST(SchemaDiff, DroppedTableIsDestructiveAndTakesItsColumns) {
  SchemaModel a, b;
  Object t = table("old");
  put(a, t);
  put(a, column(t, "x", "integer", 1));
  auto changes = diff_models(a, b);
  DdlPlan plan = plan_ddl(a, b, changes);
  EXPECT_EQ(plan.sql(),
            "-- DESTRUCTIVE: drops table public.old and its data\nDROP TABLE public.old;\n");
  ASSERT_EQ(plan.destructive.size(), 1u);
  EXPECT_NE(describe_changes(changes).find("- table public.old [destructive]"), std::string::npos);
}
