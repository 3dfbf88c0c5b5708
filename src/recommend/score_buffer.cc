#include "recommend/score_buffer.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"

namespace storepilot::recommend {

void ScoreBuffer::Resize(int32_t num_items) {
  if (num_items <= size()) return;
  scores_.resize(num_items, 0.0f);
  touched_flag_.resize(num_items, 0);
}

float ScoreBuffer::Max() const {
  float best = 0.0f;
  for (ItemIndex i : touched_) best = std::max(best, scores_[i]);
  return best;
}

void ScoreBuffer::AddNormalized(const ScoreBuffer& other, float weight) {
  float max = other.Max();
  if (max <= 0.0f || weight == 0.0f) return;
  float scale = weight / max;
  for (ItemIndex i : other.touched()) Add(i, other.Get(i) * scale);
}

void ScoreBuffer::Clear() {
  for (ItemIndex i : touched_) {
    scores_[i] = 0.0f;
    touched_flag_[i] = 0;
  }
  touched_.clear();
}

std::vector<ItemIndex> ScoreBuffer::TopK(int k,
                                         const std::function<bool(ItemIndex)>& skip) const {
  std::vector<ItemIndex> items;
  items.reserve(touched_.size());
  for (ItemIndex i : touched_) {
    if (skip && skip(i)) continue;
    items.push_back(i);
  }
  auto better = [this](ItemIndex a, ItemIndex b) {
    if (scores_[a] != scores_[b]) return scores_[a] > scores_[b];
    return a < b;
  };
  size_t n = std::min<size_t>(std::max(k, 0), items.size());
  std::partial_sort(items.begin(), items.begin() + n, items.end(), better);
  items.resize(n);
  return items;
}

void FillFrom(const std::vector<ItemIndex>& fallback, int k,
              const std::function<bool(ItemIndex)>& skip, std::vector<ItemIndex>* ranked) {
  if (static_cast<int>(ranked->size()) >= k) return;
  absl::flat_hash_set<ItemIndex> present(ranked->begin(), ranked->end());
  for (ItemIndex i : fallback) {
    if (static_cast<int>(ranked->size()) >= k) break;
    if (present.contains(i) || (skip && skip(i))) continue;
    ranked->push_back(i);
    present.insert(i);
  }
}

}  // namespace storepilot::recommend
