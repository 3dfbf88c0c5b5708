#ifndef STOREPILOT_RECOMMEND_CONTENT_INDEX_H_
#define STOREPILOT_RECOMMEND_CONTENT_INDEX_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "recommend/types.h"
#include "recommend/vocabulary.h"

namespace hnswlib {
template <typename T>
class HierarchicalNSW;
class InnerProductSpace;
}  // namespace hnswlib

namespace storepilot::recommend {

// Content similarity between products: cosine similarity of their
// `embedding` vectors through an HNSW index (hnswlib), and for products
// without an embedding, overlap of category, brand and tags. Not
// thread-safe for writes: the owner serialises Upsert against everything;
// Similar may run concurrently with other Similar calls.
class ContentIndex {
 public:
  ContentIndex();
  ~ContentIndex();
  ContentIndex(const ContentIndex&) = delete;
  ContentIndex& operator=(const ContentIndex&) = delete;

  // Sets or replaces the content of `item`. InvalidArgument when the
  // embedding's dimension differs from the first one indexed, or it has a
  // non-finite or all-zero vector; the attributes are indexed regardless.
  absl::Status Upsert(ItemIndex item, const Product& product);

  // Up to `max` other items most similar to `item` with a similarity in
  // (0, 1], best first: by embedding when `item` has one, otherwise (or to
  // fill up) by attribute overlap. Empty for an unknown item.
  std::vector<std::pair<ItemIndex, double>> Similar(ItemIndex item, int max) const;

  // Changes whenever an Upsert changes what Similar may answer (a price or
  // stock update does not): owners caching answers compare it.
  uint64_t generation() const { return generation_; }

 private:
  // Whether `embedding` (possibly empty) leaves item's indexed vector as is.
  bool SameEmbedding(ItemIndex item, const std::vector<float>& embedding) const;
  std::vector<std::pair<ItemIndex, double>> ByEmbedding(ItemIndex item, int max) const;
  std::vector<std::pair<ItemIndex, double>> ByAttributes(ItemIndex item, int max) const;

  uint64_t generation_ = 0;
  int dim_ = 0;
  std::unique_ptr<hnswlib::InnerProductSpace> space_;
  std::unique_ptr<hnswlib::HierarchicalNSW<float>> hnsw_;
  absl::flat_hash_map<ItemIndex, std::vector<float>> vectors_;  // unit length
  // "c:shoes", "b:acme", "t:summer" -> items, and item -> its features.
  absl::flat_hash_map<std::string, std::vector<ItemIndex>> features_;
  absl::flat_hash_map<ItemIndex, std::vector<std::string>> item_features_;
};

}  // namespace storepilot::recommend

#endif  // STOREPILOT_RECOMMEND_CONTENT_INDEX_H_
