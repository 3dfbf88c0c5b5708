#ifndef STOREPILOT_RECOMMEND_SESSION_RECOMMENDER_H_
#define STOREPILOT_RECOMMEND_SESSION_RECOMMENDER_H_

#include <cstdint>
#include <span>
#include <vector>

#include "recommend/item_cooccurrence.h"
#include "recommend/score_buffer.h"
#include "recommend/sequential_rules.h"
#include "recommend/session_knn.h"
#include "recommend/vocabulary.h"

namespace storepilot::recommend {

struct SessionRecommenderOptions {
  SessionKnnOptions knn;
  SequentialRulesOptions rules;
  // Weight of the (max-normalised) transition rules against the
  // (max-normalised) session-kNN scores.
  float rules_weight = 0.1f;
  // Re-clicks are common in sessions: an item of the prefix at distance d
  // from its end gets repeat_weight * exp(-d / repeat_decay) (max-normalised
  // like the other sources). 0 disables.
  float repeat_weight = 1.0f;
  // Weight of the item co-occurrence neighbours of the recent items.
  ItemCooccurrenceOptions cooc{.alpha = 0.3};
  float cooc_weight = 0.1f;
  double repeat_decay = 3.0;
};

// Per-thread scratch space for SessionRecommender::Recommend.
struct SessionScratch {
  ScoreBuffer knn, rules, repeat, cooc, blend;
};

// Next-item recommendations for an anonymous session: session-kNN blended
// with sequential transition rules, topped up with the most popular items.
// Build with AddSession() in time order, then Finalize(). Recommend() is const
// and thread-safe given one scratch per thread.
class SessionRecommender {
 public:
  explicit SessionRecommender(SessionRecommenderOptions options = {})
      : options_(options), knn_(options.knn), rules_(options.rules), cooc_(options.cooc) {}

  void AddSession(std::span<const ItemIndex> session);
  // Compacts the rules and ranks items by popularity. Call after adding.
  void Finalize();

  // The `k` best next items for `prefix`, best first. Items of the prefix may
  // be returned. Never more than k; fewer only when fewer items are known.
  std::vector<ItemIndex> Recommend(std::span<const ItemIndex> prefix, int k,
                                   SessionScratch* scratch) const;

  const std::vector<ItemIndex>& popular() const { return popular_; }

 private:
  SessionRecommenderOptions options_;
  SessionKnn knn_;
  SequentialRules rules_;
  ItemCooccurrence cooc_;
  std::vector<int64_t> counts_;
  std::vector<ItemIndex> popular_;
};

}  // namespace storepilot::recommend

#endif  // STOREPILOT_RECOMMEND_SESSION_RECOMMENDER_H_
