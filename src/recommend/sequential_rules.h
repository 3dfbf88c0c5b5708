#ifndef STOREPILOT_RECOMMEND_SEQUENTIAL_RULES_H_
#define STOREPILOT_RECOMMEND_SEQUENTIAL_RULES_H_

#include <cstdint>
#include <span>
#include <vector>

#include "recommend/score_buffer.h"
#include "recommend/vocabulary.h"

namespace storepilot::recommend {

struct SequentialRulesOptions {
  // A click at distance d (1 = next click) after item i adds 1/d to the rule
  // i -> j, for d <= max_distance (the "SR" rules of Ludewig & Jannach 2018).
  int max_distance = 3;
  // How many of the prefix's most recent items vote; the t-th from the end
  // votes with weight 1 / t.
  int query_items = 3;
};

// Item-to-next-item transition rules learnt from sessions. Rules accumulate
// as sessions are added; Finalize() must be called before Score() to compact
// them. Not thread-safe for writes; const methods may run concurrently.
class SequentialRules {
 public:
  explicit SequentialRules(SequentialRulesOptions options = {}) : options_(options) {}

  void AddSession(std::span<const ItemIndex> session);
  // Sorts and merges the rules; idempotent.
  void Finalize();

  // Adds rule scores for the items following `prefix`.
  // REQUIRES: Finalize() was called after the last AddSession().
  void Score(std::span<const ItemIndex> prefix, ScoreBuffer* scores) const;

  // The rules out of `item` as (next item, weight), heaviest first.
  std::vector<std::pair<ItemIndex, float>> Rules(ItemIndex item) const;

 private:
  SequentialRulesOptions options_;
  // Per source item: unsorted (target, weight) pairs until Finalize merges them.
  std::vector<std::vector<std::pair<ItemIndex, float>>> rules_;
  std::vector<uint8_t> dirty_;
  std::vector<ItemIndex> dirty_items_;  // so Finalize costs O(changed items)
};

}  // namespace storepilot::recommend

#endif  // STOREPILOT_RECOMMEND_SEQUENTIAL_RULES_H_
