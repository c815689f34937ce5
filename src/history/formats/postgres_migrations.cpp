// postgres-migrations' history: `public.migrations (id integer PRIMARY KEY, name varchar(100)
// UNIQUE, hash varchar(40), executed_at timestamp)`, with its own table creation as id 0. The
// hash is SHA-1 (hex) of the file name followed by the file text: compared with the local file.
// Created for a mirror as the tool creates it, row 0 included (the tool reads its rows as an
// array indexed by id, so without row 0 it refuses every later run).
#include <openssl/evp.h>

#include <fmt/format.h>

#include "history/formats/history_format.hpp"

namespace strata {
namespace {

std::string sha1_hex(const std::string& bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha1(), nullptr);
  std::string out;
  for (unsigned int i = 0; i < len; ++i) out += fmt::format("{:02x}", md[i]);
  return out;
}

std::string file_hash(const std::filesystem::path& path) {
  return sha1_hex(path.filename().string() + read_text_file(path));
}

// The row postgres-migrations 5.3.0 writes for its own first migration,
// `0_create-migrations-table.sql` (the hash read from the table the tool wrote).
constexpr const char* kRow0Name = "create-migrations-table";
constexpr const char* kRow0Hash = "e18db593bcde2aca2a408c4d1100f6abba2195df";

class PostgresMigrationsHistory : public HistoryFormat {
 public:
  std::string_view name() const override { return "postgres-migrations"; }
  std::string_view table() const override { return "public.migrations"; }
  bool present(db::Connection& conn, const HistoryTable& t) const override {
    return has_columns(conn, t.name, {"id", "name", "hash", "executed_at"});
  }
  std::string ensure_sql(const HistoryTable& t) const override {
    return "CREATE TABLE IF NOT EXISTS " + t.name +
           " (id integer PRIMARY KEY, name "
           "varchar(100) UNIQUE NOT NULL, hash varchar(40) NOT NULL, executed_at timestamp "
           "DEFAULT current_timestamp);\n"
           "INSERT INTO " +
           t.name + " (id, name, hash) VALUES (0, '" + kRow0Name + "', '" + kRow0Hash +
           "') ON CONFLICT DO NOTHING";
  }
  std::vector<HistoryRow> load(db::Connection& conn, const HistoryTable& t,
                               const std::vector<Migration>& local) const override {
    std::vector<HistoryRow> out;
    auto r = conn.exec("SELECT id::text, name, hash FROM " + t.name + " WHERE id > 0 ORDER BY id");
    for (int i = 0; i < r.rows(); ++i) {
      HistoryRow h = foreign_row(local, name(), r.get(i, 0), r.get(i, 1));
      if (const Migration* m = local_version(local, r.get(i, 0)))
        if (file_hash(m->path) != r.get(i, 2))
          h.checksum = "postgres-migrations-sha1:" + r.get(i, 2);
      out.push_back(std::move(h));
    }
    return out;
  }
  std::vector<HistoryStore::Sql> record_apply(const AppliedRecord& r,
                                              const HistoryTable& t) const override {
    if (r.version.find_first_not_of("0123456789") != std::string::npos) return {};
    return {{"INSERT INTO " + t.name +
                 " (id, name, hash) VALUES ($1::integer, $2, $3) ON "
                 "CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, hash = EXCLUDED.hash",
             {r.version, r.name, file_hash(r.path)}}};
  }
  std::vector<HistoryStore::Sql> record_revert(const AppliedRecord& r,
                                               const HistoryTable& t) const override {
    if (r.version.find_first_not_of("0123456789") != std::string::npos) return {};
    return {{"DELETE FROM " + t.name + " WHERE id = $1::integer", {r.version}}};
  }
};

}  // namespace

const HistoryFormat& postgres_migrations_history() {
  static const PostgresMigrationsHistory f;
  return f;
}

}  // namespace strata
