#ifndef STOREPILOT_RECOMMEND_COVISITATION_H_
#define STOREPILOT_RECOMMEND_COVISITATION_H_

#include <cstdint>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "recommend/vocabulary.h"

namespace storepilot::recommend {

// Time-decayed item-to-item co-visitation counts ("viewed together",
// "bought together"). Every pair weight halves each `half_life_ms`, so last
// week's behaviour outweighs last year's. Not thread-safe: the owner
// serialises access.
class CoVisitation {
 public:
  // REQUIRES: half_life_ms > 0.
  explicit CoVisitation(int64_t half_life_ms) : half_life_ms_(half_life_ms) {}

  // Adds `weight` (at time `time_ms`) to a <-> b in both directions; a == b
  // is ignored.
  void Add(ItemIndex a, ItemIndex b, double weight, int64_t time_ms);

  // Up to `max` neighbours of `item` with their weight decayed to `now_ms`,
  // normalised by sqrt of both items' decayed totals (cosine-like, so
  // blockbusters do not pair with everything), best first.
  std::vector<std::pair<ItemIndex, double>> Neighbours(ItemIndex item, int64_t now_ms,
                                                       int max) const;

 private:
  struct Decayed {
    double value = 0;
    int64_t time_ms = 0;
  };
  double ValueAt(const Decayed& d, int64_t now_ms) const;
  void Bump(Decayed* d, double weight, int64_t time_ms) const;

  int64_t half_life_ms_;
  absl::flat_hash_map<ItemIndex, absl::flat_hash_map<ItemIndex, Decayed>> pairs_;
  absl::flat_hash_map<ItemIndex, Decayed> totals_;
};

}  // namespace storepilot::recommend

#endif  // STOREPILOT_RECOMMEND_COVISITATION_H_
