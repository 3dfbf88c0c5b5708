#include "recommend/item_cooccurrence.h"

#include "recommend/internal/merge_pairs.h"

#include <algorithm>
#include <cmath>

namespace storepilot::recommend {

void ItemCooccurrence::AddSequence(std::span<const ItemIndex> items) {
  const int n = static_cast<int>(items.size());
  ItemIndex max_item = -1;
  for (ItemIndex i : items) max_item = std::max(max_item, i);
  if (max_item >= static_cast<ItemIndex>(pairs_.size())) {
    pairs_.resize(max_item + 1);
    counts_.resize(max_item + 1, 0.0);
  }
  for (int p = 0; p < n; ++p) {
    counts_[items[p]] += 1.0;
    for (int d = 1; d <= options_.window && p + d < n; ++d) {
      ItemIndex a = items[p], b = items[p + d];
      if (a == b) continue;
      float w = 1.0f / d;
      pairs_[a].emplace_back(b, w);
      pairs_[b].emplace_back(a, w);
    }
  }
  finalized_ = false;
}

void ItemCooccurrence::Finalize() {
  if (finalized_) return;
  for (size_t i = 0; i < pairs_.size(); ++i) {
    auto& list = pairs_[i];
    internal::SortAndMergeByKey(list);
    for (auto& [j, w] : list) {
      w = static_cast<float>(w / std::pow(counts_[i] * counts_[j], options_.alpha));
    }
    std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    if (list.size() > static_cast<size_t>(options_.max_neighbours)) {
      list.resize(options_.max_neighbours);
    }
    list.shrink_to_fit();
  }
  finalized_ = true;
}

void ItemCooccurrence::Score(std::span<const ItemIndex> history, ScoreBuffer* scores) const {
  const int n = static_cast<int>(history.size());
  for (int t = 1; t <= options_.query_items && t <= n; ++t) {
    ItemIndex from = history[n - t];
    if (from < 0 || from >= static_cast<ItemIndex>(pairs_.size())) continue;
    float weight = static_cast<float>(std::exp(-(t - 1) / options_.query_decay));
    for (const auto& [to, w] : pairs_[from]) {
      if (to >= scores->size()) scores->Resize(to + 1);
      scores->Add(to, weight * w);
    }
  }
}

const std::vector<std::pair<ItemIndex, float>>& ItemCooccurrence::Neighbours(
    ItemIndex item) const {
  static const std::vector<std::pair<ItemIndex, float>> kEmpty;
  if (item < 0 || item >= static_cast<ItemIndex>(pairs_.size())) return kEmpty;
  return pairs_[item];
}

}  // namespace storepilot::recommend
