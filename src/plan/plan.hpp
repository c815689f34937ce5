// Plans: which migrations `up` applies (and from which statement a partial one resumes), and
// which `down` reverts, or an Error that names every problem and the fix before anything runs.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "plan/status.hpp"

namespace strata {

struct UpOptions {
  std::optional<std::string> to;  // last version to apply
  bool include_all = false;       // apply out-of-order migrations
  std::string env;                // "dev" runs `-- strata:env dev` migrations
};

struct UpStep {
  const Migration* migration = nullptr;
  int resume_from = 0;  // statements already applied (partial non-transactional migration)
};

struct UpPlan {
  std::vector<UpStep> steps;
  std::vector<const StatusItem*> adopt;  // applied by the Supabase CLI: record in strata's table
  std::vector<const Migration*> skipped_env;  // left out by --env
};

UpPlan plan_up(const Status& status, const UpOptions& options);

struct DownOptions {
  int steps = 1;
  std::optional<std::string> to;  // revert everything applied after this version
};

std::vector<const StatusItem*> plan_down(const Status& status, const DownOptions& options);

}  // namespace strata
