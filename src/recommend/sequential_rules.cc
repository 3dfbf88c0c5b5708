#include "recommend/sequential_rules.h"

#include "recommend/internal/merge_pairs.h"

#include <algorithm>

namespace storepilot::recommend {

void SequentialRules::AddSession(std::span<const ItemIndex> session) {
  const int n = static_cast<int>(session.size());
  for (int j = 1; j < n; ++j) {
    for (int d = 1; d <= options_.max_distance && j - d >= 0; ++d) {
      ItemIndex from = session[j - d];
      if (from == session[j]) continue;
      if (from >= static_cast<ItemIndex>(rules_.size())) {
        rules_.resize(from + 1);
        dirty_.resize(from + 1, 0);
      }
      rules_[from].emplace_back(session[j], 1.0f / d);
      if (!dirty_[from]) dirty_items_.push_back(from);
      dirty_[from] = 1;
    }
  }
}

void SequentialRules::Finalize() {
  for (ItemIndex i : dirty_items_) {
    auto& list = rules_[i];
    internal::SortAndMergeByKey(list);
    list.shrink_to_fit();
    dirty_[i] = 0;
  }
  dirty_items_.clear();
}

void SequentialRules::Score(std::span<const ItemIndex> prefix, ScoreBuffer* scores) const {
  const int n = static_cast<int>(prefix.size());
  for (int t = 1; t <= options_.query_items && t <= n; ++t) {
    ItemIndex from = prefix[n - t];
    if (from < 0 || from >= static_cast<ItemIndex>(rules_.size())) continue;
    float weight = 1.0f / t;
    for (const auto& [to, w] : rules_[from]) {
      if (to >= scores->size()) scores->Resize(to + 1);
      scores->Add(to, weight * w);
    }
  }
}

std::vector<std::pair<ItemIndex, float>> SequentialRules::Rules(ItemIndex item) const {
  if (item < 0 || item >= static_cast<ItemIndex>(rules_.size())) return {};
  std::vector<std::pair<ItemIndex, float>> out = rules_[item];
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  return out;
}

}  // namespace storepilot::recommend
