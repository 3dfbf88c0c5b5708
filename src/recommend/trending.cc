#include "recommend/trending.h"

#include <algorithm>
#include <cmath>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"

namespace storepilot::recommend {
namespace {

constexpr int64_t kHourMs = 3'600'000;
constexpr int64_t kDayMs = 24 * kHourMs;
// Candidates cached per context; enough for any page of recommendations.
constexpr int kCachedPerBucket = 200;
// Pseudo-count pulling a thin context towards the global trend.
constexpr double kSmoothing = 5.0;
constexpr const char* kDayNames[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                     "Thursday", "Friday", "Saturday"};

}  // namespace

double ContextTrending::ValueAt(const Decayed& d, int64_t now_ms) const {
  const double age = static_cast<double>(std::max<int64_t>(0, now_ms - d.time_ms));
  return d.value * std::exp2(-age / half_life_ms_);
}

void ContextTrending::Bump(Decayed* d, double weight, int64_t time_ms) const {
  if (time_ms >= d->time_ms) {
    d->value = ValueAt(*d, time_ms) + weight;
    d->time_ms = time_ms;
  } else {
    d->value += weight * std::exp2(-static_cast<double>(d->time_ms - time_ms) / half_life_ms_);
  }
}

std::vector<std::string> ContextTrending::Keys(const Context& context,
                                               int64_t time_ms) const {
  const int64_t days = time_ms >= 0 ? time_ms / kDayMs : (time_ms - kDayMs + 1) / kDayMs;
  const int64_t hour = ((time_ms % kDayMs + kDayMs) % kDayMs) / kHourMs;
  const int64_t dow = ((days + 4) % 7 + 7) % 7;  // 1970-01-01 was a Thursday
  std::vector<std::string> keys{"", absl::StrCat("h", hour), absl::StrCat("d", dow)};
  if (!context.country.empty()) keys.push_back(absl::StrCat("c", context.country));
  if (!context.device.empty()) keys.push_back(absl::StrCat("v", context.device));
  return keys;
}

ContextTrending::Bucket& ContextTrending::GetBucket(const std::string& key) {
  auto [it, inserted] = buckets_.try_emplace(key);
  if (inserted) {
    const std::string rest = key.empty() ? std::string() : key.substr(1);
    switch (key.empty() ? ' ' : key[0]) {
      case 'h': it->second.label = absl::StrCat("around ", rest, ":00"); break;
      case 'd': it->second.label = absl::StrCat("on ", kDayNames[rest[0] - '0']); break;
      case 'c': it->second.label = absl::StrCat("in ", rest); break;
      case 'v': it->second.label = absl::StrCat("on ", rest); break;
      default: it->second.label = "now"; break;
    }
  }
  return it->second;
}

void ContextTrending::Add(ItemIndex item, double weight, int64_t time_ms,
                          const Context& context) {
  for (const std::string& key : Keys(context, time_ms)) {
    Bucket& b = GetBucket(key);
    Bump(&b.items[item], weight, time_ms);
    Bump(&b.total, weight, time_ms);
  }
}

const std::vector<ItemIndex>& ContextTrending::CachedTop(Bucket* b, int64_t now_ms) {
  if (b->cached_at_ms >= 0 && now_ms - b->cached_at_ms <= refresh_ms_ &&
      now_ms >= b->cached_at_ms) {
    return b->cached_top;
  }
  std::vector<std::pair<double, ItemIndex>> all;
  all.reserve(b->items.size());
  for (const auto& [item, d] : b->items) all.emplace_back(-ValueAt(d, now_ms), item);
  const size_t n = std::min<size_t>(kCachedPerBucket, all.size());
  std::partial_sort(all.begin(), all.begin() + n, all.end());
  b->cached_top.clear();
  for (size_t i = 0; i < n; ++i) b->cached_top.push_back(all[i].second);
  b->cached_at_ms = now_ms;
  return b->cached_top;
}

std::vector<TrendingItem> ContextTrending::Top(const Context& context, int64_t now_ms,
                                               int max) {
  if (max <= 0) return {};
  std::string key;
  for (const std::string& k : Keys(context, now_ms)) absl::StrAppend(&key, k, "|");
  CachedResult& cached = results_[key];
  if (cached.computed_at_ms < 0 || now_ms < cached.computed_at_ms ||
      now_ms - cached.computed_at_ms > refresh_ms_ || max > cached.max) {
    cached.items = Compute(context, now_ms, max);
    cached.computed_at_ms = now_ms;
    cached.max = max;
  }
  std::vector<TrendingItem> out(cached.items.begin(),
                                cached.items.begin() + std::min<size_t>(max, cached.items.size()));
  return out;
}

std::vector<TrendingItem> ContextTrending::Compute(const Context& context, int64_t now_ms,
                                                   int max) {
  auto global_it = buckets_.find("");
  if (global_it == buckets_.end() || max <= 0) return {};
  Bucket& global = global_it->second;
  const double global_total = ValueAt(global.total, now_ms);
  std::vector<Bucket*> matching;
  for (const std::string& key : Keys(context, now_ms)) {
    auto it = buckets_.find(key);
    if (it != buckets_.end()) matching.push_back(&it->second);
  }
  absl::flat_hash_set<ItemIndex> candidates;
  for (Bucket* b : matching) {
    for (ItemIndex i : CachedTop(b, now_ms)) candidates.insert(i);
  }
  // Naive-Bayes-style combination: the global share times the lift of each
  // matching context (smoothed towards 1 for thin contexts), in log space.
  std::vector<TrendingItem> out;
  for (ItemIndex item : candidates) {
    auto g = global.items.find(item);
    const double prior = g == global.items.end() || global_total <= 0
                             ? 0
                             : ValueAt(g->second, now_ms) / global_total;
    if (prior <= 0) continue;
    TrendingItem t{item, std::log(prior), "now"};
    double best_lift = 1.0;
    for (Bucket* b : matching) {
      if (b == &global) continue;
      auto it = b->items.find(item);
      const double count = it == b->items.end() ? 0 : ValueAt(it->second, now_ms);
      const double share =
          (count + kSmoothing * prior) / (ValueAt(b->total, now_ms) + kSmoothing);
      const double lift = share / prior;
      t.score += std::log(lift);
      if (lift > best_lift) {
        best_lift = lift;
        t.context = b->label;
      }
    }
    t.score = std::exp(t.score);
    out.push_back(std::move(t));
  }
  std::sort(out.begin(), out.end(), [](const TrendingItem& a, const TrendingItem& b) {
    return a.score != b.score ? a.score > b.score : a.item < b.item;
  });
  if (out.size() > static_cast<size_t>(max)) out.resize(max);
  return out;
}

}  // namespace storepilot::recommend
