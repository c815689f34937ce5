// Status: local migrations × history rows -> one state per migration (applied, pending,
// modified, missing locally, out of order, partial). Pure: no database, no files.
#pragma once
#include <string>
#include <vector>

#include "history/history_row.hpp"
#include "migration/migration.hpp"

namespace strata {

enum class MigrationState { applied, pending, modified, missing, out_of_order, partial };

const char* state_name(MigrationState s);

struct StatusItem {
  const Migration* migration = nullptr;  // null when missing locally
  const HistoryRow* history = nullptr;   // null when never applied
  MigrationState state = MigrationState::pending;
  // A squashed file (Migration::squash_of) counted as applied because the history holds every
  // version it replaces: those rows, which the next `up` rewrites into one row (ops/squash.hpp).
  std::vector<const HistoryRow*> squashed;
  const std::string& version() const { return migration ? migration->version : history->version; }
  const std::string& name() const { return migration ? migration->name : history->name; }
};

struct Status {
  std::vector<StatusItem> items;  // local order; missing rows placed by version
  int count(MigrationState s) const;
  bool clean() const;  // nothing modified, missing, out of order or partial
};

Status compute_status(const std::vector<Migration>& local, const std::vector<HistoryRow>& history);

}  // namespace strata
