#ifndef STOREPILOT_SEARCH_VALUE_POOL_H_
#define STOREPILOT_SEARCH_VALUE_POOL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace storepilot::search {

// Interns facet values. Values are matched by their normalised form
// (NormalizeText), so "Outdoor Furniture" and "outdoor  furniture" are one
// value, displayed as first seen. Ids are dense and never reused.
class ValuePool {
 public:
  uint32_t Intern(std::string_view display);
  std::optional<uint32_t> Find(std::string_view value) const;
  const std::string& display(uint32_t id) const { return display_[id]; }
  size_t size() const { return display_.size(); }
  size_t MemoryBytes() const;

 private:
  absl::flat_hash_map<std::string, uint32_t> ids_;  // By normalised value.
  absl::flat_hash_map<std::string, uint32_t> by_display_;  // Fast path.
  std::vector<std::string> display_;
};

}  // namespace storepilot::search

#endif  // STOREPILOT_SEARCH_VALUE_POOL_H_
