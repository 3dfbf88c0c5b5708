#ifndef STOREPILOT_RECOMMEND_SCORE_BUFFER_H_
#define STOREPILOT_RECOMMEND_SCORE_BUFFER_H_

#include <cstdint>
#include <functional>
#include <vector>

#include "recommend/vocabulary.h"

namespace storepilot::recommend {

// A dense score per item plus the list of items touched since the last
// Clear(), so that clearing and ranking cost O(touched) instead of O(items).
// Not thread-safe: use one buffer per thread.
class ScoreBuffer {
 public:
  explicit ScoreBuffer(int32_t num_items = 0) { Resize(num_items); }

  // Grows the buffer to `num_items` (never shrinks); keeps the scores.
  void Resize(int32_t num_items);
  int32_t size() const { return static_cast<int32_t>(scores_.size()); }

  // REQUIRES: 0 <= item < size().
  void Add(ItemIndex item, float value) {
    if (!touched_flag_[item]) {
      touched_flag_[item] = 1;
      touched_.push_back(item);
    }
    scores_[item] += value;
  }
  float Get(ItemIndex item) const { return scores_[item]; }
  const std::vector<ItemIndex>& touched() const { return touched_; }
  bool empty() const { return touched_.empty(); }

  // Largest score among touched items (0 when none).
  float Max() const;
  // Adds `weight * other[i] / other.Max()` for every item `other` touched.
  void AddNormalized(const ScoreBuffer& other, float weight);
  void Clear();

  // The `k` touched items with the highest score, best first; ties go to the
  // lower index so results are deterministic. Items for which `skip` returns
  // true are left out. `skip` may be empty.
  std::vector<ItemIndex> TopK(int k, const std::function<bool(ItemIndex)>& skip = {}) const;

 private:
  std::vector<float> scores_;
  std::vector<uint8_t> touched_flag_;
  std::vector<ItemIndex> touched_;
};

// Appends to `ranked` (without duplicates, up to `k` items in all) the items of
// `fallback` in order, skipping those for which `skip` is true. Used to fill a
// short list with popular items.
void FillFrom(const std::vector<ItemIndex>& fallback, int k,
              const std::function<bool(ItemIndex)>& skip, std::vector<ItemIndex>* ranked);

}  // namespace storepilot::recommend

#endif  // STOREPILOT_RECOMMEND_SCORE_BUFFER_H_
