// Integration test: a `db dump --role-only` file restores into a cluster where some of its roles
// already exist (a second restore, or a role made by hand): the existing role is kept, its
// attributes and memberships are set from the dump, and the restore succeeds.
#include <filesystem>
#include <fstream>

#include "fixture.hpp"

using namespace strata::testing;
namespace fs = std::filesystem;

namespace {

class DumpRoles : public DbTest {};

TEST_F(DumpRoles, RestoreKeepsARoleThatAlreadyExists) {
  ASSERT_EQ(strata({"compat", "install"}).exit_code, 0);
  auto c = connect();
  c.exec(
      "drop role if exists dump_r_member; drop role if exists dump_r_group;"
      "create role dump_r_group nologin; create role dump_r_member nologin connection limit 3;"
      "grant dump_r_group to dump_r_member;");
  fs::path roles = project / "roles.sql";
  auto d = strata({"db", "dump", "--role-only", "-f", roles.string()});
  ASSERT_EQ(d.exit_code, 0) << d.output;
  // Roles are cluster-wide and other tests leave theirs: keep only this test's lines.
  {
    std::ifstream in(roles);
    std::string line, kept;
    while (std::getline(in, line))
      if (line.find("ROLE") == std::string::npos && line.find("GRANT") == std::string::npos)
        kept += line + "\n";
      else if (line.find("dump_r_") != std::string::npos)
        kept += line + "\n";
    std::ofstream(roles) << kept;
  }
  // dump_r_member still exists (changed since the dump); dump_r_group does not.
  c.exec(
      "revoke dump_r_group from dump_r_member; drop role dump_r_group;"
      "alter role dump_r_member connection limit 9");
  auto r = strata({"db", "restore", roles.string(), "--force"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(query_value("select rolconnlimit from pg_roles where rolname = 'dump_r_member'"), "3");
  EXPECT_EQ(query_value("select count(*) from pg_auth_members m join pg_roles a on a.oid = "
                        "m.roleid join pg_roles b on b.oid = m.member where a.rolname = "
                        "'dump_r_group' and b.rolname = 'dump_r_member'"),
            "1");
  c.exec("drop role dump_r_member; drop role dump_r_group");
}

}  // namespace
