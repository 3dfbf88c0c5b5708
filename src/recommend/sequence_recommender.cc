#include "recommend/sequence_recommender.h"

#include <algorithm>
#include <memory>
#include <numeric>

#include "absl/container/flat_hash_set.h"

namespace storepilot::recommend {
namespace {

// Popular items that enter the blend as a source (the rest only top up).
constexpr int kPopularCandidates = 500;

}  // namespace

void SequenceRecommender::Fit(const std::vector<std::vector<ItemIndex>>& rows,
                              int32_t num_items) {
  num_items_ = num_items;
  knn_ = std::make_unique<SessionKnn>(options_.knn);
  rules_ = std::make_unique<SequentialRules>(options_.rules);
  cooc_ = std::make_unique<ItemCooccurrence>(options_.cooc);
  counts_.assign(num_items, 0.0);
  for (const auto& row : rows) {
    knn_->AddSession(row);
    rules_->AddSession(row);
    cooc_->AddSequence(row);
    for (ItemIndex i : row) counts_[i] += 1.0;
  }
  rules_->Finalize();
  cooc_->Finalize();
  popular_.resize(num_items);
  std::iota(popular_.begin(), popular_.end(), 0);
  std::stable_sort(popular_.begin(), popular_.end(),
                   [this](ItemIndex a, ItemIndex b) { return counts_[a] > counts_[b]; });
}

void SequenceRecommender::ComputeSources(std::span<const ItemIndex> history,
                                         SequenceScratch* scratch) const {
  for (ScoreBuffer* b : {&scratch->knn, &scratch->rules, &scratch->cooc}) {
    b->Clear();
    b->Resize(num_items_);
  }
  knn_->Score(history, &scratch->knn);
  rules_->Score(history, &scratch->rules);
  cooc_->Score(history, &scratch->cooc);
}

std::vector<ItemIndex> SequenceRecommender::Rank(std::span<const ItemIndex> history,
                                                 const SequenceBlend& blend, int k,
                                                 SequenceScratch* scratch) const {
  ScoreBuffer& out = scratch->blend;
  out.Clear();
  out.Resize(num_items_);
  out.AddNormalized(scratch->knn, blend.knn);
  out.AddNormalized(scratch->rules, blend.rules);
  out.AddNormalized(scratch->cooc, blend.cooc);
  if (blend.pop > 0 && !popular_.empty()) {
    const double top = std::max(counts_[popular_[0]], 1.0);
    const int n = std::min<int>(kPopularCandidates, static_cast<int>(popular_.size()));
    for (int r = 0; r < n; ++r) {
      out.Add(popular_[r], static_cast<float>(blend.pop * counts_[popular_[r]] / top));
    }
  }
  absl::flat_hash_set<ItemIndex> seen(history.begin(), history.end());
  auto skip = [&seen](ItemIndex i) { return seen.contains(i); };
  std::vector<ItemIndex> ranked = out.TopK(k, skip);
  FillFrom(popular_, k, skip, &ranked);
  return ranked;
}

std::vector<ItemIndex> SequenceRecommender::Recommend(std::span<const ItemIndex> history,
                                                      int k,
                                                      SequenceScratch* scratch) const {
  ComputeSources(history, scratch);
  return Rank(history, options_.blend, k, scratch);
}

}  // namespace storepilot::recommend
