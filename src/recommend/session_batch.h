#ifndef STOREPILOT_RECOMMEND_SESSION_BATCH_H_
#define STOREPILOT_RECOMMEND_SESSION_BATCH_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "recommend/ranking_metrics.h"
#include "recommend/session_recommender.h"

namespace storepilot::recommend {

// Inputs of `storepilot recs predict|eval --format sessions`.
struct SessionBatchOptions {
  std::vector<std::string> train_paths;  // sessions, one per line, in time order
  std::string input_path;                // prefixes: `items` or `label<TAB>items`
  std::string out_path;                  // predict only
  int k = 20;
  int threads = 2;
  SessionRecommenderOptions model;
};

struct SessionBatchReport {
  int64_t train_sessions = 0;
  int64_t cases = 0;
  double train_seconds = 0;
  double predict_seconds = 0;
  RankingMetrics metrics{{20}};
};

// Trains on the training sessions and writes `index<TAB>item item ...` for
// every input line (0-based). Errors: NotFound for unreadable files,
// InvalidArgument for k <= 0 or no training file.
absl::StatusOr<SessionBatchReport> PredictSessions(const SessionBatchOptions& options);

// Same model, but scores the predictions against the labels of a
// `label<TAB>prefix` input (rank all items, no masking). Metrics at
// cutoffs {k, 10} are reported. InvalidArgument when a line has no label.
absl::StatusOr<SessionBatchReport> EvaluateSessions(const SessionBatchOptions& options);

}  // namespace storepilot::recommend

#endif  // STOREPILOT_RECOMMEND_SESSION_BATCH_H_
