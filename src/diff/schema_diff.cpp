// Comparing two models key by key.
#include "diff/schema_diff.hpp"

namespace strata {

std::vector<Change> diff_models(const SchemaModel& from, const SchemaModel& to) {
  std::vector<Change> out;
  for (const auto& [key, obj] : from) {
    auto it = to.find(key);
    if (it == to.end())
      out.push_back({ChangeKind::drop, &obj, nullptr});
    else if (it->second.definition != obj.definition)
      out.push_back({ChangeKind::alter, &obj, &it->second});
  }
  for (const auto& [key, obj] : to) {
    if (!from.count(key)) out.push_back({ChangeKind::create, nullptr, &obj});
  }
  return out;
}

}  // namespace strata
