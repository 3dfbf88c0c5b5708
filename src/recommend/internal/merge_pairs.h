#ifndef STOREPILOT_RECOMMEND_INTERNAL_MERGE_PAIRS_H_
#define STOREPILOT_RECOMMEND_INTERNAL_MERGE_PAIRS_H_

#include <algorithm>
#include <utility>
#include <vector>

namespace storepilot::recommend::internal {

// Sorts (key, weight) pairs by key and sums the weights of equal keys, in
// place. Used where sparse rows are accumulated by appending and compacted once.
template <typename Key, typename Weight>
void SortAndMergeByKey(std::vector<std::pair<Key, Weight>>& list) {
  std::sort(list.begin(), list.end());
  size_t out = 0;
  for (size_t k = 0; k < list.size(); ++k) {
    if (out > 0 && list[out - 1].first == list[k].first) {
      list[out - 1].second += list[k].second;
    } else {
      list[out++] = list[k];
    }
  }
  list.resize(out);
}

}  // namespace storepilot::recommend::internal

#endif  // STOREPILOT_RECOMMEND_INTERNAL_MERGE_PAIRS_H_
