#ifndef STOREPILOT_FRAUD_METRICS_H_
#define STOREPILOT_FRAUD_METRICS_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"

namespace storepilot::fraud {

// Area under the ROC curve of `scores` (higher = more likely positive) against
// 0/1 `labels`, ties counted half. InvalidArgument when sizes differ or a
// class is absent.
absl::StatusOr<double> RocAuc(const std::vector<double>& scores,
                              const std::vector<int>& labels);

// Average precision: sum over distinct score thresholds of
// (recall_k - recall_{k-1}) * precision_k (scikit-learn's definition).
absl::StatusOr<double> AveragePrecision(const std::vector<double>& scores,
                                        const std::vector<int>& labels);

// One scored transaction for card-based metrics.
struct CardScore {
  int64_t day = 0;
  int64_t card = 0;
  double score = 0;
  int label = 0;
};

// Card precision top-k (Fraud Detection Handbook): per day, each card takes
// the maximum score and label of its transactions; the share of compromised
// cards among the k highest-scored cards is that day's precision. Cards that
// were caught (compromised and in the top k) on an earlier day are removed
// from later days. Returns the mean over days; InvalidArgument when empty.
absl::StatusOr<double> CardPrecisionTopK(const std::vector<CardScore>& rows, int k);

}  // namespace storepilot::fraud

#endif  // STOREPILOT_FRAUD_METRICS_H_
