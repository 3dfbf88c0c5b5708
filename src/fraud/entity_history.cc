#include "fraud/entity_history.h"

#include <algorithm>
#include <cmath>

#include "absl/container/inlined_vector.h"

namespace storepilot::fraud {

void EntityHistory::Add(const HistoryEvent& event, size_t max_events) {
  if (events_.empty() || events_.back().time_ms <= event.time_ms) {
    events_.push_back(event);
  } else {
    auto it = std::upper_bound(
        events_.begin(), events_.end(), event.time_ms,
        [](int64_t t, const HistoryEvent& e) { return t < e.time_ms; });
    events_.insert(it, event);
  }
  if (events_.size() > max_events) {
    // Erasing from the front is O(n), but n is bounded by max_events and the
    // drop happens only for the busiest keys.
    events_.erase(events_.begin(),
                  events_.begin() + (events_.size() - max_events));
  }
}

void EntityHistory::PruneBefore(int64_t oldest_kept_ms) {
  auto it = std::find_if(events_.begin(), events_.end(), [&](const HistoryEvent& e) {
    return e.time_ms >= oldest_kept_ms;
  });
  if (it == events_.begin()) return;
  events_.erase(events_.begin(), it);
  if (events_.empty()) {
    events_.shrink_to_fit();
  } else if (events_.capacity() > 2 * events_.size() + 8) {
    events_.shrink_to_fit();
  }
}

bool EntityHistory::SetLabel(uint32_t order_hash, int64_t time_ms, Label label,
                             int64_t usable_ms) {
  auto it = std::lower_bound(
      events_.begin(), events_.end(), time_ms,
      [](const HistoryEvent& e, int64_t t) { return e.time_ms < t; });
  for (; it != events_.end() && it->time_ms == time_ms; ++it) {
    if (it->order_hash != order_hash) continue;
    it->label = label;
    it->label_usable_ms = usable_ms;
    return true;
  }
  return false;
}

bool EntityHistory::Remove(uint32_t order_hash, int64_t time_ms) {
  auto it = std::lower_bound(
      events_.begin(), events_.end(), time_ms,
      [](const HistoryEvent& e, int64_t t) { return e.time_ms < t; });
  for (; it != events_.end() && it->time_ms == time_ms; ++it) {
    if (it->order_hash != order_hash) continue;
    events_.erase(it);
    return true;
  }
  return false;
}

bool EntityHistory::ClearPayer(uint32_t order_hash, int64_t time_ms) {
  auto it = std::lower_bound(
      events_.begin(), events_.end(), time_ms,
      [](const HistoryEvent& e, int64_t t) { return e.time_ms < t; });
  for (; it != events_.end() && it->time_ms == time_ms; ++it) {
    if (it->order_hash != order_hash) continue;
    it->payer_hash = 0;
    return true;
  }
  return false;
}

float EntityHistory::MedianAmount(int64_t now_ms) const {
  absl::InlinedVector<float, 256> amounts;
  for (const HistoryEvent& e : events_) {
    if (e.time_ms <= now_ms) amounts.push_back(e.amount);
  }
  if (amounts.empty()) return NAN;
  std::nth_element(amounts.begin(), amounts.begin() + amounts.size() / 2, amounts.end());
  return amounts[amounts.size() / 2];
}

}  // namespace storepilot::fraud
