// ProjectState: for each migration source, its local files, its history rows and the status
// computed from both. Holds the data that Status points into.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "config/project.hpp"
#include "db/connection.hpp"
#include "history/history_store.hpp"
#include "plan/status.hpp"

namespace strata {

struct SourceState {
  const SourceConfig* config = nullptr;
  std::vector<Migration> migrations;
  std::vector<HistoryRow> history;
  Status status;
  std::vector<std::string> warnings;
};

struct ProjectState {
  std::vector<std::unique_ptr<SourceState>> sources;
};

HistoryStore history_store_for(const Project& project);

// Reads files and history (read-only: creates nothing in the database). `store`: the run's own
// store (history_store_for), when the run records anything: what it read (the other tools'
// tables found, the local order) decides how it records reverts.
ProjectState load_state(const Project& project, db::Connection& conn,
                        const HistoryStore* store = nullptr);
// A session and what load_state read on it.
struct ConnectedState {
  db::Connection conn;
  ProjectState state;
};
// Connection::open(conninfo) then load_state, with the files read on another thread while the
// session starts (the two waits overlap). Throws what those throw, a connection error first.
ConnectedState open_and_load_state(const Project& project, const std::string& conninfo,
                                   const HistoryStore* store = nullptr);

// The source a command acts on: the one named (error if unknown); else the only source; else the
// one holding `version` (error if several do); else the last source with applied migrations.
SourceState& pick_source(ProjectState& state, const std::string& name,
                         const std::string& version = "");

// Reads the history again (e.g. once the migration lock is held) and recomputes each status;
// the files are not read twice.
void refresh_history(const Project& project, ProjectState& state, db::Connection& conn,
                     const HistoryStore* store = nullptr);

// Files only, with an empty history (for lint, dry listing without a database).
ProjectState load_local_state(const Project& project);

}  // namespace strata
