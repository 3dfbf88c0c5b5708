#ifndef STOREPILOT_SEARCH_LEARNED_RANKING_H_
#define STOREPILOT_SEARCH_LEARNED_RANKING_H_

// The learned ranking stages that follow RankCandidates:
//  1. the query-conversion boost: a product's smoothed click and conversion
//     rate for this query (QuerySignals) multiplies its score;
//  2. learning to rank: a linear model over per-candidate features, trained
//     pairwise (RankNet's logistic loss) on the shop's own graded search
//     logs, re-orders the top candidates.
// Both are off when there is nothing learnt (no signals for the query, no
// model), so a shop without logs ranks exactly as RankCandidates does.

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "search/inverted_index.h"
#include "search/query.h"
#include "search/query_signals.h"
#include "search/scorer.h"

namespace storepilot::search {

struct LearnedRankingParams {
  // score *= 1 + conversion_weight * (clicks + 2 * conversions) /
  //                                   (searches + conversion_prior):
  // the prior (pseudo-searches without a click) keeps one click from
  // reordering everything.
  float conversion_weight = 1.0f;
  float conversion_prior = 10.0f;
  size_t depth = 100;  // Candidates both stages re-rank.
};

// The features of one (query, candidate), in this order.
inline constexpr size_t kLtrFeatureCount = 13;
const std::array<const char*, kLtrFeatureCount>& LtrFeatureNames();

// What the features read about the query's learnt signals; `signal` null
// when the query is unknown.
struct SignalView {
  const QuerySignal* signal = nullptr;
  double decay = 1.0;
  float prior = 10.0f;
};

// Fills `out[kLtrFeatureCount]` for `cand`, the candidate at `rank` (0-based)
// of the ranking so far, whose score before the conversion boost was
// `base_score`. Reads the index: the caller holds its lock.
void LtrFeatures(const InvertedIndex& index, const ParsedQuery& query,
                 const Candidate& cand, size_t rank, float base_score,
                 const SignalView& signals, float* out);

// One search's candidates with graded relevance (2 converted, 1 clicked,
// 0 skipped), features row-major, rows in the order of the ranking in
// service.
struct LtrGroup {
  std::vector<float> features;  // rows * kLtrFeatureCount
  std::vector<float> grades;
  size_t rows() const { return grades.size(); }
};

struct LtrTrainOptions {
  int epochs = 30;
  double learning_rate = 0.05;
  double l2 = 1e-4;
  uint64_t seed = 1;
};

// A linear scoring function over standardised features. Immutable.
class LtrModel {
 public:
  // Pairwise logistic training, started from the `rank` feature alone (the
  // ranking in service) so little data moves it little. InvalidArgument
  // when no group has two different grades.
  static absl::StatusOr<std::unique_ptr<LtrModel>> Train(
      const std::vector<LtrGroup>& groups, const LtrTrainOptions& options);

  double Score(const float* features) const;
  const std::array<double, kLtrFeatureCount>& weights() const { return weights_; }

 private:
  LtrModel() = default;
  std::array<double, kLtrFeatureCount> mean_{};
  std::array<double, kLtrFeatureCount> inv_scale_{};
  std::array<double, kLtrFeatureCount> weights_{};
};

// Mean nDCG@k (gains 2^grade - 1) of ordering each group by `scores`
// (per group, per row), over the groups with a positive grade.
double MeanNdcg(const std::vector<LtrGroup>& groups,
                const std::vector<std::vector<double>>& scores, size_t k);

// One re-ranked candidate as LearnedRerank saw it.
struct RerankedRow {
  DocId doc;
  std::array<float, kLtrFeatureCount> features;
};

// The learned stages on the first `params.depth` of `ranked` (best first, as
// RankCandidates left them): the conversion boost when the query has
// signals, then `model` (may be null) re-orders them. With a model the
// scores stay those of the positions, so `ranked` stays sorted by score and
// everything after the depth still scores lower. `rows` (may be null) gets
// the re-ranked candidates' features in the final order. Returns whether
// anything was applied. Reads the index: the caller holds its lock.
bool LearnedRerank(const InvertedIndex& index, const ParsedQuery& query,
                   const SignalView& signals, const LtrModel* model,
                   const LearnedRankingParams& params, std::vector<Candidate>* ranked,
                   std::vector<RerankedRow>* rows);

}  // namespace storepilot::search

#endif  // STOREPILOT_SEARCH_LEARNED_RANKING_H_
