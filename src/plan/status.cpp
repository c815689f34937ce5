// Matching files to history rows by (source, version) and naming each one's state.
#include "plan/status.hpp"

#include <algorithm>
#include <map>

#include "migration/version.hpp"

namespace strata {

const char* state_name(MigrationState s) {
  switch (s) {
    case MigrationState::applied:
      return "applied";
    case MigrationState::pending:
      return "pending";
    case MigrationState::modified:
      return "modified";
    case MigrationState::missing:
      return "missing";
    case MigrationState::out_of_order:
      return "out-of-order";
    case MigrationState::partial:
      return "partial";
  }
  return "?";
}

int Status::count(MigrationState s) const {
  return static_cast<int>(
      std::count_if(items.begin(), items.end(), [&](const StatusItem& i) { return i.state == s; }));
}

bool Status::clean() const {
  return count(MigrationState::modified) == 0 && count(MigrationState::missing) == 0 &&
         count(MigrationState::out_of_order) == 0 && count(MigrationState::partial) == 0;
}

// Whether the history covers a squashed file's line `v`: its row is recorded, succeeded and
// (when the row has one) with that checksum; or `v` was itself a squash and every line it had
// replaced (`via` it) is covered. The covering rows are added to `found`.
static bool covered(const SquashedVersion& v, const std::vector<SquashedVersion>& lines,
                    const std::map<std::string, const HistoryRow*>& rows,
                    std::vector<const HistoryRow*>& found, int depth) {
  auto r = rows.find(v.version);
  if (r != rows.end() && r->second->success &&
      (r->second->checksum.empty() || r->second->checksum == v.checksum)) {
    found.push_back(r->second);
    return true;
  }
  size_t mark = found.size();
  bool any = false;
  for (const SquashedVersion& c : lines) {
    if (c.via_version != v.version || c.via_checksum != v.checksum || depth > 64) continue;
    any = true;
    if (!covered(c, lines, rows, found, depth + 1)) {
      found.resize(mark);
      return false;
    }
  }
  if (!any) found.resize(mark);
  return any;
}

Status compute_status(const std::vector<Migration>& local, const std::vector<HistoryRow>& history) {
  Status st;
  std::map<std::string, const HistoryRow*> rows;
  for (const auto& h : history) rows[h.version] = &h;
  // Index of the last local migration that is applied: pending ones before it are out of order.
  long last_applied = -1;
  for (size_t i = 0; i < local.size(); ++i) {
    if (rows.count(local[i].version) && !local[i].repeatable) last_applied = static_cast<long>(i);
  }
  // A squashed file whose own row is not recorded with its checksum counts as applied when every
  // version it replaces is covered (see `covered`).
  std::map<const Migration*, std::vector<const HistoryRow*>> squashed;
  for (const Migration& m : local) {
    if (m.squash_of.empty() ||
        std::none_of(m.squash_of.begin(), m.squash_of.end(),
                     [&](const SquashedVersion& v) { return v.version == m.version; }))
      continue;
    auto own = rows.find(m.version);
    if (own != rows.end() && own->second->checksum == m.checksum) continue;
    std::vector<const HistoryRow*> found;
    bool all = std::all_of(m.squash_of.begin(), m.squash_of.end(), [&](const SquashedVersion& v) {
      return !v.via_version.empty() || covered(v, m.squash_of, rows, found, 0);
    });
    if (!all) continue;
    for (const HistoryRow* r : found)
      if (r->version != m.version) rows.erase(r->version);
    squashed[&m] = std::move(found);
  }
  for (size_t i = 0; i < local.size(); ++i) {
    const Migration& m = local[i];
    StatusItem item;
    item.migration = &m;
    auto it = rows.find(m.version);
    if (it == rows.end()) {
      // Dev-only migrations are left out outside dev, so a later one being applied says nothing.
      item.state = static_cast<long>(i) < last_applied && m.env.empty()
                       ? MigrationState::out_of_order
                       : MigrationState::pending;
    } else if (auto sq = squashed.find(&m); sq != squashed.end()) {
      item.history = it->second;
      item.state = MigrationState::applied;
      item.squashed = sq->second;
      rows.erase(it);
    } else {
      item.history = it->second;
      if (!it->second->success)
        item.state = MigrationState::partial;
      else if (!it->second->checksum.empty() && it->second->checksum != m.checksum)
        // A changed repeatable migration (Flyway `R__`) is applied again, not refused.
        item.state = m.repeatable ? MigrationState::pending : MigrationState::modified;
      else
        item.state = MigrationState::applied;
      rows.erase(it);
    }
    st.items.push_back(item);
  }
  // Rows with no file: insert by version among the local items (at the end for non-numeric).
  for (const auto& [version, row] : rows) {
    StatusItem item;
    item.history = row;
    item.state = MigrationState::missing;
    const auto& key = version;  // clang < 16 cannot capture a structured binding
    auto pos = std::find_if(st.items.begin(), st.items.end(), [&](const StatusItem& other) {
      return compare_versions(other.version(), key) > 0;
    });
    st.items.insert(pos, item);
  }
  return st;
}

}  // namespace strata
