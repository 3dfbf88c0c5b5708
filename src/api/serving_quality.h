#ifndef STOREPILOT_API_SERVING_QUALITY_H_
#define STOREPILOT_API_SERVING_QUALITY_H_

// Online quality of recommendation and search responses: each response's
// request_id is remembered with its group (surface, placement, model), and
// impression / click / purchase events citing it are counted per group.
// Counts live in memory since the node started (the request ids are not in the
// log); the oldest ids are forgotten beyond a bound. Thread-safe.

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"

namespace storepilot::api {

enum class Outcome { kImpression, kClick, kPurchase };

struct QualityRow {
  std::string surface;    // "recommendations" or "search"
  std::string placement;  // recommendations: home, product, cart, checkout
  std::string model;
  uint64_t served = 0, impressions = 0, clicks = 0, purchases = 0;
};

class ServingQuality {
 public:
  explicit ServingQuality(size_t max_remembered = 1 << 20) : max_remembered_(max_remembered) {}

  void Served(const std::string& request_id, const std::string& surface,
              const std::string& placement, const std::string& model);
  // Returns false when the request id is unknown (or forgotten).
  bool Record(const std::string& request_id, Outcome outcome);
  // Rows of `surface` (every surface when empty), in first-seen order.
  std::vector<QualityRow> Rows(const std::string& surface) const;

 private:
  mutable absl::Mutex mu_;
  const size_t max_remembered_;
  std::vector<QualityRow> rows_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, uint32_t> row_index_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, uint32_t> requests_ ABSL_GUARDED_BY(mu_);
  std::deque<std::string> order_ ABSL_GUARDED_BY(mu_);
};

}  // namespace storepilot::api

#endif  // STOREPILOT_API_SERVING_QUALITY_H_
