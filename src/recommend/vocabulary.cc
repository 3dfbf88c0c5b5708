#include "recommend/vocabulary.h"

namespace storepilot::recommend {

ItemIndex Vocabulary::Intern(std::string_view id) {
  auto [it, inserted] = index_.try_emplace(std::string(id), size());
  if (inserted) names_.emplace_back(id);
  return it->second;
}

ItemIndex Vocabulary::Find(std::string_view id) const {
  auto it = index_.find(std::string(id));
  return it == index_.end() ? kNoItem : it->second;
}

}  // namespace storepilot::recommend
