#ifndef STOREPILOT_RECOMMEND_SEQUENCE_RECOMMENDER_H_
#define STOREPILOT_RECOMMEND_SEQUENCE_RECOMMENDER_H_

#include <cstdint>
#include <span>
#include <vector>

#include "recommend/item_cooccurrence.h"
#include "recommend/score_buffer.h"
#include "recommend/sequential_rules.h"
#include "recommend/session_knn.h"
#include "recommend/vocabulary.h"

namespace storepilot::recommend {

// Weights of the max-normalised sources in the final score.
struct SequenceBlend {
  float knn = 1.0f;    // STAN-style neighbours among other users' sequences
  float rules = 1.0f;  // transitions from the most recent items
  float cooc = 1.0f;   // symmetric co-occurrence neighbours of recent items
  float pop = 0.0f;    // global popularity
};

struct SequenceRecommenderOptions {
  SessionKnnOptions knn{.neighbors = 100,
                        .sample_size = 2000,
                        .position_decay = 2.0,
                        .max_query_items = 30,
                        .neighbor_position_decay = 3.0,
                        // Lines of a sequences file are users, not time.
                        .recency_decay = 0.0,
                        .before_anchor_weight = 1.0,
                        .idf_power = 0.0,
                        .length_norm = 0.5};
  SequentialRulesOptions rules{.max_distance = 2, .query_items = 3};
  ItemCooccurrenceOptions cooc;
  SequenceBlend blend;
};

struct SequenceScratch {
  ScoreBuffer knn, rules, cooc, blend;
};

// Next-item model for users with a history: blends session-kNN over user
// sequences, transition rules and co-occurrence, excluding the history. Fit
// once, then Recommend() concurrently (one scratch per thread).
class SequenceRecommender {
 public:
  explicit SequenceRecommender(SequenceRecommenderOptions options = {})
      : options_(options) {}

  // Trains every source on `rows` (items in time order). Replaces any
  // previous fit.
  void Fit(const std::vector<std::vector<ItemIndex>>& rows, int32_t num_items);

  // Fills the per-source buffers of `scratch` for `history`.
  void ComputeSources(std::span<const ItemIndex> history, SequenceScratch* scratch) const;
  // Blends the sources already in `scratch` and returns the k best items not
  // in `history`, topped up with popular items.
  std::vector<ItemIndex> Rank(std::span<const ItemIndex> history, const SequenceBlend& blend,
                              int k, SequenceScratch* scratch) const;
  std::vector<ItemIndex> Recommend(std::span<const ItemIndex> history, int k,
                                   SequenceScratch* scratch) const;

  void set_blend(const SequenceBlend& blend) { options_.blend = blend; }
  const SequenceBlend& blend() const { return options_.blend; }
  const std::vector<ItemIndex>& popular() const { return popular_; }

 private:
  SequenceRecommenderOptions options_;
  int32_t num_items_ = 0;
  std::unique_ptr<SessionKnn> knn_;
  std::unique_ptr<SequentialRules> rules_;
  std::unique_ptr<ItemCooccurrence> cooc_;
  std::vector<double> counts_;
  std::vector<ItemIndex> popular_;
};

}  // namespace storepilot::recommend

#endif  // STOREPILOT_RECOMMEND_SEQUENCE_RECOMMENDER_H_
