#include "recommend/ranking_metrics.h"

#include <cmath>

#include "absl/strings/str_format.h"

namespace storepilot::recommend {

void RankingMetrics::Add(const std::vector<ItemIndex>& ranked, ItemIndex target) {
  ++cases_;
  if (target == kNoItem) return;
  int rank = -1;  // 0-based
  for (size_t i = 0; i < ranked.size(); ++i) {
    if (ranked[i] == target) {
      rank = static_cast<int>(i);
      break;
    }
  }
  if (rank < 0) return;
  for (size_t c = 0; c < cutoffs_.size(); ++c) {
    if (rank >= cutoffs_[c]) continue;
    sums_[c].hit_rate += 1.0;
    sums_[c].ndcg += 1.0 / std::log2(rank + 2.0);
    sums_[c].mrr += 1.0 / (rank + 1.0);
  }
}

void RankingMetrics::Merge(const RankingMetrics& other) {
  cases_ += other.cases_;
  for (size_t c = 0; c < sums_.size() && c < other.sums_.size(); ++c) {
    sums_[c].hit_rate += other.sums_[c].hit_rate;
    sums_[c].ndcg += other.sums_[c].ndcg;
    sums_[c].mrr += other.sums_[c].mrr;
  }
}

std::vector<MetricsAtK> RankingMetrics::Summary() const {
  std::vector<MetricsAtK> out;
  for (size_t c = 0; c < cutoffs_.size(); ++c) {
    MetricsAtK m;
    m.k = cutoffs_[c];
    if (cases_ > 0) {
      m.hit_rate = sums_[c].hit_rate / cases_;
      m.ndcg = sums_[c].ndcg / cases_;
      m.mrr = sums_[c].mrr / cases_;
    }
    out.push_back(m);
  }
  return out;
}

std::string RankingMetrics::ToString() const {
  std::string out = absl::StrFormat("cases %d", cases_);
  for (const MetricsAtK& m : Summary()) {
    absl::StrAppendFormat(&out, "  HR@%d %.4f NDCG@%d %.4f MRR@%d %.4f", m.k, m.hit_rate,
                          m.k, m.ndcg, m.k, m.mrr);
  }
  return out;
}

}  // namespace storepilot::recommend
