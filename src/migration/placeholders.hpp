// Placeholders: `[placeholders]` values from strata.toml substituted into migration SQL before
// it runs, in Flyway's `${name}` form and in configured token forms (`:NAME`,
// `/* TEMPLATE: NAME */`). Checksums are computed over the file as written, not the result.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "config/project.hpp"

namespace strata {

struct PlaceholderSet {
  std::vector<std::pair<std::string, std::string>> values;  // name -> value (matched ignoring case)
  std::vector<std::string> forms;                           // with NAME where the name goes
  // graphile-migrate files: an unknown `:NAME` in graphile's own spelling (`:ALL_CAPS`, at
  // least two characters) is an error naming file:line:col, not SQL the server would refuse.
  bool unknown_caps_colon_is_error = false;
  bool active() const { return !forms.empty(); }
};

// The placeholders of a source whose files are in `format` ("flyway", "graphile-migrate", ...):
// `[placeholders]` with their forms; the `${NAME}` form whenever `[placeholders]` is present or
// the files are Flyway's (then also Flyway's built-ins `${flyway:defaultSchema}`,
// `${flyway:table}`, `${flyway:filename}` (filled in per file), `${flyway:timestamp}`,
// `${flyway:workingDirectory}` (the current directory) and, from the target connection,
// `${flyway:user}` and `${flyway:database}`). graphile-migrate files get the `:NAME` form and
// its automatic `:DATABASE_NAME` (the database) and `:DATABASE_OWNER` (the connection's user,
// as graphile-migrate takes the user of its connection string). Inactive (no forms) otherwise.
PlaceholderSet placeholders_for(const Project& project, std::string_view format);

// `text` with every placeholder replaced. `text` starts at line `first_line` of `display_path`.
// Forms with text after NAME (`${NAME}`, `/* TEMPLATE: NAME */`) must name a known placeholder:
// an unknown one throws Error(ExitCode::config) "<display_path>:<line>:<col>: unknown
// placeholder ...". A form ending in NAME (`:NAME`) replaces only known names, and never after
// another `:` (so `x::text` casts stay); see `unknown_caps_colon_is_error`.
std::string substitute_placeholders(const PlaceholderSet& set, const std::string& text,
                                    const std::string& display_path, int first_line = 1,
                                    const std::string& file_name = "");

}  // namespace strata
