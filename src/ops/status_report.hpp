// Rendering a ProjectState for people (an aligned table) and for machines (JSON), and the exit
// code that tells CI whether anything is pending or wrong.
#pragma once
#include <nlohmann/json.hpp>

#include <string>

#include "ops/project_state.hpp"
#include "util/error.hpp"

namespace strata {

nlohmann::json status_json(const Project& project, const ProjectState& state);
std::string status_table(const Project& project, const ProjectState& state);
ExitCode status_exit_code(const ProjectState& state);

}  // namespace strata
