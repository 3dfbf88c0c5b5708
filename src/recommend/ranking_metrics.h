#ifndef STOREPILOT_RECOMMEND_RANKING_METRICS_H_
#define STOREPILOT_RECOMMEND_RANKING_METRICS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "recommend/vocabulary.h"

namespace storepilot::recommend {

// Metrics at one cutoff K, averaged over test cases (fractions, not percent).
struct MetricsAtK {
  int k = 0;
  double hit_rate = 0;  // HR@K = P@K of the session papers (one target)
  double ndcg = 0;      // 1 / log2(rank + 1) for a hit at 1-based rank
  double mrr = 0;       // 1 / rank for a hit
};

// Accumulates leave-one-out ranking metrics: one target item per case.
class RankingMetrics {
 public:
  // REQUIRES: every cutoff > 0.
  explicit RankingMetrics(std::vector<int> cutoffs) : cutoffs_(std::move(cutoffs)),
                                                      sums_(cutoffs_.size()) {}

  // Adds one case; `target` == kNoItem (an unknown item) counts as a miss.
  void Add(const std::vector<ItemIndex>& ranked, ItemIndex target);
  // Merges another accumulator with the same cutoffs.
  void Merge(const RankingMetrics& other);

  int64_t cases() const { return cases_; }
  std::vector<MetricsAtK> Summary() const;
  // "HR@10 0.0647 NDCG@10 0.0327 MRR@10 ... " on one line.
  std::string ToString() const;

 private:
  std::vector<int> cutoffs_;
  std::vector<MetricsAtK> sums_;
  int64_t cases_ = 0;
};

}  // namespace storepilot::recommend

#endif  // STOREPILOT_RECOMMEND_RANKING_METRICS_H_
