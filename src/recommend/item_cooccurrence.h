#ifndef STOREPILOT_RECOMMEND_ITEM_COOCCURRENCE_H_
#define STOREPILOT_RECOMMEND_ITEM_COOCCURRENCE_H_

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "recommend/score_buffer.h"
#include "recommend/vocabulary.h"

namespace storepilot::recommend {

struct ItemCooccurrenceOptions {
  // Two clicks at most `window` positions apart co-occur, with weight
  // 1 / distance.
  int window = 5;
  // Similarity = co-count / (count_i * count_j)^alpha; 0.5 is cosine, lower
  // values favour popular neighbours.
  double alpha = 0.5;
  // How many of the history's most recent items vote; the t-th from the end
  // votes with weight exp(-(t - 1) / query_decay).
  int query_items = 5;
  double query_decay = 1.0;
  // Neighbours kept per item after normalisation.
  int max_neighbours = 200;
};

// Symmetric item-item similarity from co-occurrence inside sequences ("viewed
// together" in a batch). Add sequences, then Finalize() before Score().
// Not thread-safe for writes; const methods may run concurrently.
class ItemCooccurrence {
 public:
  explicit ItemCooccurrence(ItemCooccurrenceOptions options = {}) : options_(options) {}

  void AddSequence(std::span<const ItemIndex> items);
  void Finalize();
  // Adds neighbour scores of the most recent items of `history`.
  void Score(std::span<const ItemIndex> history, ScoreBuffer* scores) const;
  // Normalised neighbours of `item`, most similar first.
  const std::vector<std::pair<ItemIndex, float>>& Neighbours(ItemIndex item) const;

 private:
  ItemCooccurrenceOptions options_;
  std::vector<double> counts_;
  std::vector<std::vector<std::pair<ItemIndex, float>>> pairs_;
  bool finalized_ = false;
};

}  // namespace storepilot::recommend

#endif  // STOREPILOT_RECOMMEND_ITEM_COOCCURRENCE_H_
