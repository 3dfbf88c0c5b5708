#ifndef STOREPILOT_RECOMMEND_VOCABULARY_H_
#define STOREPILOT_RECOMMEND_VOCABULARY_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace storepilot::recommend {

// Dense item index used by every model: 0 .. size()-1.
using ItemIndex = int32_t;
inline constexpr ItemIndex kNoItem = -1;

// Maps external ids (product ids, tokens of a batch file) to dense indexes and
// back. Not thread-safe for writes; concurrent Find/Name calls are safe.
class Vocabulary {
 public:
  // Returns the index of `id`, adding it when new.
  ItemIndex Intern(std::string_view id);
  // Returns the index of `id`, or kNoItem when unknown.
  ItemIndex Find(std::string_view id) const;
  // REQUIRES: 0 <= index < size().
  const std::string& Name(ItemIndex index) const { return names_[index]; }
  int32_t size() const { return static_cast<int32_t>(names_.size()); }

 private:
  absl::flat_hash_map<std::string, ItemIndex> index_;
  std::vector<std::string> names_;
};

}  // namespace storepilot::recommend

#endif  // STOREPILOT_RECOMMEND_VOCABULARY_H_
