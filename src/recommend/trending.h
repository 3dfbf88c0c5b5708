#ifndef STOREPILOT_RECOMMEND_TRENDING_H_
#define STOREPILOT_RECOMMEND_TRENDING_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "recommend/types.h"
#include "recommend/vocabulary.h"

namespace storepilot::recommend {

struct TrendingItem {
  ItemIndex item = kNoItem;
  double score = 0;
  std::string context;  // the context that lifts it most, e.g. "on mobile"
};

// Context-aware trending for cold starts: time-decayed interaction counts
// overall and per hour of day (UTC), day of week, country and device. The
// score of an item in a context is its global share times its (smoothed)
// lift in each matching context, so an item popular on mobile phones at 8 pm
// rises for such a request. Not thread-safe: the owner serialises access.
class ContextTrending {
 public:
  // REQUIRES: half_life_ms > 0, refresh_ms >= 0.
  ContextTrending(int64_t half_life_ms, int64_t refresh_ms)
      : half_life_ms_(half_life_ms), refresh_ms_(refresh_ms) {}

  void Add(ItemIndex item, double weight, int64_t time_ms, const Context& context);

  // Up to `max` items for `context` at `now_ms`, best first. Results are
  // cached per context (country, device, hour, weekday) and reused for
  // refresh_ms; asking for more items than cached recomputes.
  std::vector<TrendingItem> Top(const Context& context, int64_t now_ms, int max);

 private:
  struct Decayed {
    double value = 0;
    int64_t time_ms = 0;
  };
  struct Bucket {
    std::string label;
    absl::flat_hash_map<ItemIndex, Decayed> items;
    Decayed total;
    std::vector<ItemIndex> cached_top;
    int64_t cached_at_ms = -1;
  };
  double ValueAt(const Decayed& d, int64_t now_ms) const;
  void Bump(Decayed* d, double weight, int64_t time_ms) const;
  std::vector<std::string> Keys(const Context& context, int64_t time_ms) const;
  Bucket& GetBucket(const std::string& key);
  const std::vector<ItemIndex>& CachedTop(Bucket* bucket, int64_t now_ms);

  std::vector<TrendingItem> Compute(const Context& context, int64_t now_ms, int max);

  struct CachedResult {
    int64_t computed_at_ms = -1;
    int max = 0;
    std::vector<TrendingItem> items;
  };
  int64_t half_life_ms_;
  int64_t refresh_ms_;
  absl::flat_hash_map<std::string, Bucket> buckets_;
  absl::flat_hash_map<std::string, CachedResult> results_;
};

}  // namespace storepilot::recommend

#endif  // STOREPILOT_RECOMMEND_TRENDING_H_
