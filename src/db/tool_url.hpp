// Other migration tools' parameters in a database URL, which libpq refuses ("invalid URI query
// parameter"): a team switching tools keeps its DATABASE_URL. dbmate's `search_path=a,b` (the
// session's search_path, and the schema of its table) becomes libpq's
// `options=-c search_path=a,b`; golang-migrate's `x-...` parameters (x-migrations-table,
// x-statement-timeout, ...) are dropped with a note. Facts: dbmate's README ("search_path"),
// golang-migrate's database/postgres README ("x-migrations-table").
#pragma once
#include <string>
#include <vector>

namespace strata::db {

// `url` with those parameters translated or dropped; anything else (a key=value conninfo, a URL
// without them) comes back unchanged. `notes` gets one line per dropped parameter, naming what to
// use instead (no password: only the parameter is quoted).
std::string translate_tool_url(const std::string& url, std::vector<std::string>& notes);

}  // namespace strata::db
