#include "forecast/live_series.h"

#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"

namespace storepilot::forecast {
namespace {

// Floor division, so times before the epoch land in the right bucket.
int64_t BucketOf(int64_t time_ms, int64_t width_seconds) {
  const int64_t width_ms = width_seconds * 1000;
  int64_t q = time_ms / width_ms;
  if (time_ms % width_ms != 0 && time_ms < 0) --q;
  return q;
}

size_t SlotOf(int64_t bucket, size_t slots) {
  int64_t s = bucket % static_cast<int64_t>(slots);
  return s < 0 ? s + slots : s;
}

}  // namespace

std::vector<Resolution> DefaultTrafficResolutions() {
  return {{60, 2 * 24 * 60}, {3600, 90 * 24}, {86400, 2 * 366}};
}

std::vector<Resolution> DefaultSalesResolutions() {
  return {{86400, 2 * 366}, {7 * 86400, 5 * 53}};
}

LiveSeries::LiveSeries(const std::vector<Resolution>& resolutions) {
  for (const Resolution& r : resolutions) {
    rings_.push_back({r, std::vector<double>(r.slots, 0.0), INT64_MIN});
  }
}

bool LiveSeries::Add(int64_t time_ms, double value) {
  bool kept = false;
  for (Ring& ring : rings_) {
    const int64_t bucket = BucketOf(time_ms, ring.res.width_seconds);
    const int64_t slots = ring.res.slots;
    if (ring.head == INT64_MIN) {
      ring.head = bucket;
    } else if (bucket > ring.head) {
      // Clear the buckets skipped over (at most one full turn of the ring).
      int64_t clear_from = std::max(ring.head + 1, bucket - slots + 1);
      for (int64_t b = clear_from; b <= bucket; ++b) {
        ring.values[SlotOf(b, slots)] = 0;
      }
      ring.head = bucket;
    } else if (bucket <= ring.head - slots) {
      continue;  // older than this ring remembers
    }
    ring.values[SlotOf(bucket, slots)] += value;
    kept = true;
  }
  return kept;
}

absl::StatusOr<std::vector<double>> LiveSeries::Window(int r, int64_t end_ms,
                                                       int count) const {
  if (r < 0 || r >= static_cast<int>(rings_.size())) {
    return absl::InvalidArgumentError(absl::StrCat("no resolution ", r));
  }
  if (count < 1) return absl::InvalidArgumentError("count must be >= 1");
  const Ring& ring = rings_[r];
  const int64_t end = BucketOf(end_ms, ring.res.width_seconds);
  const int64_t first = end - count + 1;
  const int64_t slots = ring.res.slots;
  // The ring holds buckets head - slots + 1 .. head; later ones are empty.
  const int64_t oldest_kept = ring.head == INT64_MIN ? first : ring.head - slots + 1;
  if (first < oldest_kept) {
    return absl::OutOfRangeError(absl::StrCat(
        "window of ", count, " buckets reaches past the ", slots, " kept"));
  }
  std::vector<double> out(count, 0.0);
  for (int64_t b = first; b <= end; ++b) {
    if (ring.head != INT64_MIN && b <= ring.head) {
      out[b - first] = ring.values[SlotOf(b, slots)];
    }
  }
  return out;
}

absl::StatusOr<std::unique_ptr<LiveSeriesStore>> LiveSeriesStore::Create(
    std::vector<Resolution> resolutions) {
  if (resolutions.empty()) {
    return absl::InvalidArgumentError("at least one resolution is needed");
  }
  for (const Resolution& r : resolutions) {
    if (r.width_seconds <= 0 || r.slots <= 0) {
      return absl::InvalidArgumentError("resolution width and slots must be > 0");
    }
  }
  return std::unique_ptr<LiveSeriesStore>(
      new LiveSeriesStore(std::move(resolutions)));
}

absl::Status LiveSeriesStore::Add(absl::string_view key, int64_t time_ms,
                                  double value) {
  if (!std::isfinite(value)) return absl::InvalidArgumentError("non-finite value");
  absl::MutexLock lock(&mu_);
  std::unique_ptr<LiveSeries>& s = series_[key];
  if (s == nullptr) s = std::make_unique<LiveSeries>(resolutions_);
  if (!s->Add(time_ms, value)) {
    return absl::OutOfRangeError("value older than the kept history");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<double>> LiveSeriesStore::Window(
    absl::string_view key, int r, int64_t end_ms, int count) const {
  absl::MutexLock lock(&mu_);
  auto it = series_.find(key);
  if (it == series_.end()) {
    return absl::NotFoundError(absl::StrCat("no live series '", key, "'"));
  }
  return it->second->Window(r, end_ms, count);
}

}  // namespace storepilot::forecast
