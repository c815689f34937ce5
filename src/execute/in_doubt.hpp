// Resolving a statement an interrupted run left "in flight" (HistoryRow::in_flight): once the
// run's backend has ended (MigrationLock::wait_for_previous_run), ask the server what it can
// tell: the transaction strata ran it in committed or not (pg_xact_status); a CREATE INDEX
// CONCURRENTLY's index exists and is valid (done), is invalid (dropped, to be built again) or
// is absent (not done); REINDEX/VACUUM/ANALYZE CONCURRENTLY-style maintenance can simply run
// again. Anything else is "in doubt": Error(ExitCode::in_doubt) naming file:line, what to
// check and the `strata repair --in-doubt ran|not-run` command. A statement of a down script
// (InFlight::down, a non-transactional revert) is named as such and `strata down` resumes it.
#pragma once
#include <ostream>
#include <string>

#include "db/connection.hpp"
#include "history/history_store.hpp"
#include "migration/migration.hpp"

namespace strata {

// Settles `row.in_flight` in the history (statements_applied moves past it, or stays before
// it) and says so on `out`; throws the in-doubt Error when the server cannot tell. `m` may be
// null (file missing locally: in doubt). `source_flag`: "--source X " for the repair command.
void resolve_in_flight(db::Connection& conn, const HistoryStore& store, const Migration* m,
                       const HistoryRow& row, const std::string& source_flag, std::ostream& out);

// Before a CREATE INDEX CONCURRENTLY runs again (resume after a failure or an interruption):
// an invalid index of that name that an earlier attempt left behind is dropped, so the
// statement can build it again. No-op for other statements.
void drop_invalid_index_of(db::Connection& conn, const std::string& statement_text);

// The error for a statement that may or may not have run: file:line (the down script's file for
// InFlight::down), the statement, and the way out: `strata repair --in-doubt ran|not-run
// <version>`, then `strata up` (`strata down` for a statement of a down script).
Error in_doubt_error(const Migration* m, const HistoryRow& row, const std::string& why,
                     const std::string& source_flag);

}  // namespace strata
