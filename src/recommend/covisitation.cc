#include "recommend/covisitation.h"

#include <algorithm>
#include <cmath>

namespace storepilot::recommend {

double CoVisitation::ValueAt(const Decayed& d, int64_t now_ms) const {
  const double age = static_cast<double>(std::max<int64_t>(0, now_ms - d.time_ms));
  return d.value * std::exp2(-age / half_life_ms_);
}

void CoVisitation::Bump(Decayed* d, double weight, int64_t time_ms) const {
  // Decay the stored value to the newer of the two times, then add.
  if (time_ms >= d->time_ms) {
    d->value = ValueAt(*d, time_ms) + weight;
    d->time_ms = time_ms;
  } else {  // a late event: decay its weight to the stored time instead
    d->value += weight * std::exp2(-static_cast<double>(d->time_ms - time_ms) / half_life_ms_);
  }
}

void CoVisitation::Add(ItemIndex a, ItemIndex b, double weight, int64_t time_ms) {
  if (a == b) return;
  Bump(&pairs_[a][b], weight, time_ms);
  Bump(&pairs_[b][a], weight, time_ms);
  Bump(&totals_[a], weight, time_ms);
  Bump(&totals_[b], weight, time_ms);
}

std::vector<std::pair<ItemIndex, double>> CoVisitation::Neighbours(ItemIndex item,
                                                                   int64_t now_ms,
                                                                   int max) const {
  std::vector<std::pair<ItemIndex, double>> out;
  auto it = pairs_.find(item);
  if (it == pairs_.end()) return out;
  const double own = ValueAt(totals_.at(item), now_ms);
  for (const auto& [other, d] : it->second) {
    const double total = ValueAt(totals_.at(other), now_ms);
    const double v = ValueAt(d, now_ms);
    if (v <= 0 || total <= 0 || own <= 0) continue;
    out.emplace_back(other, v / std::sqrt(own * total));
  }
  auto better = [](const auto& x, const auto& y) {
    return x.second != y.second ? x.second > y.second : x.first < y.first;
  };
  const size_t n = std::min<size_t>(std::max(max, 0), out.size());
  std::partial_sort(out.begin(), out.begin() + n, out.end(), better);
  out.resize(n);
  return out;
}

}  // namespace storepilot::recommend
