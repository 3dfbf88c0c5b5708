#ifndef STOREPILOT_RECOMMEND_SEQUENCE_BATCH_H_
#define STOREPILOT_RECOMMEND_SEQUENCE_BATCH_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "recommend/ranking_metrics.h"
#include "recommend/sequence_recommender.h"

namespace storepilot::recommend {

// Inputs of `storepilot recs predict|eval --format sequences`.
struct SequenceBatchOptions {
  std::string input_path;  // `user item item ...`, time order
  std::string out_path;
  int k = 20;
  int threads = 2;
  // When true the blend weights are chosen on an internal validation split
  // (each line's last item held out); otherwise options.blend is used.
  bool tune = true;
  SequenceRecommenderOptions model;
};

enum class EvalTarget { kTest, kValidation };
enum class EvalModel { kBlend, kPopularity };

struct SequenceBatchReport {
  int64_t users = 0;
  double train_seconds = 0;    // including the internal tuning
  double predict_seconds = 0;
  SequenceBlend blend;         // the weights used
  RankingMetrics validation{{10, 20}};  // internal validation of the chosen blend
  RankingMetrics metrics{{10, 20}};     // eval only
};

// Trains on every line of the input (tuning on its last items first) and
// writes `user<TAB>item ...`: the k most likely next items, never one already
// in the user's line. NotFound for unreadable input, InvalidArgument for
// k <= 0.
absl::StatusOr<SequenceBatchReport> PredictSequences(const SequenceBatchOptions& options);

// The S3-Rec protocol on a full `user item ...` file: the last item of each
// user is the test target and the second to last the validation target; the
// predict pipeline runs on the lines cut before the target, ranks all items
// and excludes the history. kPopularity counts popularity over all
// interactions of the file (the PopRec row of the published tables).
absl::StatusOr<SequenceBatchReport> EvaluateSequences(const SequenceBatchOptions& options,
                                                      EvalTarget target, EvalModel model);

}  // namespace storepilot::recommend

#endif  // STOREPILOT_RECOMMEND_SEQUENCE_BATCH_H_
