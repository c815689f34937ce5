// COPY streaming, count verification and sequence reset.
#include "ops/data_copy.hpp"

#include <fmt/format.h>

#include "db/connection.hpp"
#include "ops/apply_options.hpp"
#include "util/error.hpp"

namespace strata {

CopyReport run_copy(const CopyRequest& request) {
  CopyReport report;
  std::string to_schema = request.to_schema.empty() ? request.schema : request.to_schema;
  db::Connection src = db::Connection::open(request.from_url, "strata-copy");
  db::Connection dst = db::Connection::open(request.to_url, "strata-copy");
  // One snapshot of the source for the data and its counts.
  src.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  std::vector<std::string> tables = request.tables;
  if (tables.empty()) {
    auto r = src.exec_params(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE "
        "n.nspname = $1 AND "
        "c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1",
        {request.schema});
    for (int i = 0; i < r.rows(); ++i) tables.push_back(r.get(i, 0));
  }
  if (tables.empty()) {
    Error e(fmt::format("schema {} has no tables in the source database", request.schema),
            ExitCode::usage);
    e.hint = "check --schema (the source schema name)";
    throw e;
  }
  db::in_transaction(dst, [&] {
    // Rows arrive in any order: no foreign-key or user triggers while copying (needs superuser or
    // a role allowed to set it, as with pg_restore --disable-triggers).
    dst.exec("SET LOCAL session_replication_role = replica");
    for (const auto& t : tables) {
      std::string src_table = quote_ident(request.schema) + "." + quote_ident(t);
      std::string dst_table = quote_ident(to_schema) + "." + quote_ident(t);
      if (dst.exec_params("SELECT to_regclass($1) IS NULL", {dst_table}).get(0, 0) == "t") {
        Error e(fmt::format("target table {} does not exist", dst_table), ExitCode::usage);
        e.hint = "apply the app's migrations to the target first (strata up), then copy the data";
        throw e;
      }
      // Columns the two sides share, by name, in the target's order (generated ones excluded).
      std::string source_columns =
          src.exec_params(
                 "SELECT array_agg(a.attname::text ORDER BY a.attnum) FROM pg_attribute a WHERE "
                 "a.attrelid = "
                 "to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''",
                 {src_table})
              .get(0, 0);
      std::string columns =
          dst.exec_params(
                 "SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) FROM "
                 "pg_attribute a "
                 "WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped AND "
                 "a.attgenerated = '' AND a.attname = ANY ($2::text[])",
                 {dst_table, source_columns})
              .get(0, 0);
      if (!request.allow_non_empty &&
          dst.exec(fmt::format("SELECT EXISTS (SELECT 1 FROM ONLY {})", dst_table)).get(0, 0) ==
              "t") {
        Error e(fmt::format("target table {} already has rows; nothing was copied", dst_table),
                ExitCode::usage);
        e.hint = "copy into empty tables, or pass --allow-non-empty to add the rows";
        throw e;
      }
      CopiedTable ct;
      ct.table = t;
      ct.source_rows =
          std::stoll(src.exec(fmt::format("SELECT count(*) FROM ONLY {}", src_table)).get(0, 0));
      long long before =
          std::stoll(dst.exec(fmt::format("SELECT count(*) FROM ONLY {}", dst_table)).get(0, 0));
      std::function<void(long long, long long)> on_row;
      if (request.on_progress)
        on_row = [&](long long rows, long long bytes) {
          request.on_progress(t, rows, ct.source_rows, bytes, false);
        };
      ct.bytes =
          src.copy_to(fmt::format("COPY (SELECT {} FROM ONLY {}) TO STDOUT", columns, src_table),
                      dst, fmt::format("COPY {} ({}) FROM STDIN", dst_table, columns), on_row);
      ct.target_rows =
          std::stoll(dst.exec(fmt::format("SELECT count(*) FROM ONLY {}", dst_table)).get(0, 0)) -
          before;
      if (ct.target_rows != ct.source_rows) {
        throw Error(fmt::format(
            "row count mismatch for {}: {} in the source, {} copied; nothing was committed", t,
            ct.source_rows, ct.target_rows));
      }
      if (request.on_progress)
        request.on_progress(t, ct.target_rows, ct.source_rows, ct.bytes, true);
      report.tables.push_back(ct);
    }
    // Sequences owned by the copied columns: next value after the highest copied id.
    auto seqs = dst.exec_params(
        "SELECT format('%I.%I', sn.nspname, s.relname), format('%I.%I', tn.nspname, t.relname), "
        "quote_ident(a.attname) "
        "FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S' JOIN pg_namespace "
        "sn ON sn.oid = "
        "s.relnamespace JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = "
        "t.relnamespace JOIN "
        "pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid WHERE d.deptype IN "
        "('a', 'i') AND "
        "tn.nspname = $1 AND t.relname = ANY ($2::text[])",
        {to_schema, [&] {
           std::string arr = "{";
           for (size_t i = 0; i < tables.size(); ++i) arr += (i ? ",\"" : "\"") + tables[i] + "\"";
           return arr + "}";
         }()});
    for (int i = 0; i < seqs.rows(); ++i) {
      auto v = dst.exec_params(
          fmt::format("SELECT setval($1::regclass, coalesce((SELECT max({1}) FROM {0}), 0) + 1, "
                      "false)",
                      seqs.get(i, 1), seqs.get(i, 2)),
          {seqs.get(i, 0)});
      report.sequences.push_back(fmt::format("{} -> {}", seqs.get(i, 0), v.get(0, 0)));
    }
  });
  src.exec("COMMIT");
  return report;
}

}  // namespace strata
