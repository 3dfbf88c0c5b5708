#include "recommend/session_recommender.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace storepilot::recommend {

void SessionRecommender::AddSession(std::span<const ItemIndex> session) {
  knn_.AddSession(session);
  rules_.AddSession(session);
  if (options_.cooc_weight > 0) cooc_.AddSequence(session);
  for (ItemIndex item : session) {
    if (item >= static_cast<ItemIndex>(counts_.size())) counts_.resize(item + 1, 0);
    ++counts_[item];
  }
}

void SessionRecommender::Finalize() {
  rules_.Finalize();
  cooc_.Finalize();
  popular_.resize(counts_.size());
  std::iota(popular_.begin(), popular_.end(), 0);
  std::stable_sort(popular_.begin(), popular_.end(),
                   [this](ItemIndex a, ItemIndex b) { return counts_[a] > counts_[b]; });
  // Only items seen at least once are worth recommending as a fallback.
  while (!popular_.empty() && counts_[popular_.back()] == 0) popular_.pop_back();
}

std::vector<ItemIndex> SessionRecommender::Recommend(std::span<const ItemIndex> prefix,
                                                     int k,
                                                     SessionScratch* scratch) const {
  scratch->knn.Clear();
  scratch->rules.Clear();
  scratch->blend.Clear();
  scratch->repeat.Clear();
  scratch->cooc.Clear();
  const int32_t n = static_cast<int32_t>(counts_.size());
  scratch->knn.Resize(n);
  scratch->rules.Resize(n);
  scratch->blend.Resize(n);
  scratch->repeat.Resize(n);
  scratch->cooc.Resize(n);
  knn_.Score(prefix, &scratch->knn);
  rules_.Score(prefix, &scratch->rules);
  scratch->blend.AddNormalized(scratch->knn, 1.0f);
  scratch->blend.AddNormalized(scratch->rules, options_.rules_weight);
  if (options_.cooc_weight > 0) {
    cooc_.Score(prefix, &scratch->cooc);
    scratch->blend.AddNormalized(scratch->cooc, options_.cooc_weight);
  }
  if (options_.repeat_weight > 0) {
    const int32_t length = static_cast<int32_t>(prefix.size());
    for (int32_t p = 0; p < length; ++p) {
      if (prefix[p] < 0 || prefix[p] >= n) continue;
      scratch->repeat.Add(prefix[p], static_cast<float>(std::exp(
                                         -(length - 1 - p) / options_.repeat_decay)));
    }
    scratch->blend.AddNormalized(scratch->repeat, options_.repeat_weight);
  }
  std::vector<ItemIndex> ranked = scratch->blend.TopK(k);
  FillFrom(popular_, k, {}, &ranked);
  return ranked;
}

}  // namespace storepilot::recommend
