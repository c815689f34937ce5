// Installing the embedded supabase_compat.sql in one transaction, once per layer version.
#include "ops/compat.hpp"

#include <string>
#include <string_view>

namespace strata {
namespace embedded {
extern const std::string_view compat_sql;
}

int compat_layer_version() {
  std::string_view sql = embedded::compat_sql;
  const std::string_view tag = "strata-compat-version:";
  size_t p = sql.find(tag);
  if (p == std::string_view::npos) return 0;
  return std::stoi(std::string(sql.substr(p + tag.size(), 8)));
}

bool install_compat_layer(db::Connection& conn, bool force) {
  // The layer is idempotent, so reinstalling is safe; skip it when current to keep starts fast.
  if (!force &&
      conn.exec("SELECT to_regclass('strata_compat.layer') IS NOT NULL").get(0, 0) == "t") {
    auto have = conn.exec(
        "SELECT coalesce(max(version), 0) FROM strata_compat.layer WHERE name = 'supabase'");
    if (std::stoi(have.get(0, 0)) >= compat_layer_version()) return false;
  }
  db::in_transaction(conn, [&] { conn.exec(embedded::compat_sql); });
  return true;
}

}  // namespace strata
