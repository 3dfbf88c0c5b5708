#ifndef STOREPILOT_FORECAST_LIVE_SERIES_H_
#define STOREPILOT_FORECAST_LIVE_SERIES_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace storepilot::forecast {

// One resolution of a live series: `slots` buckets of `width_seconds` each.
struct Resolution {
  int64_t width_seconds = 60;
  int slots = 2880;
};

// The default layout for request rates: 2 days per minute, 90 days per hour,
// 2 years per day (about 46 KiB per series).
std::vector<Resolution> DefaultTrafficResolutions();
// The default for unit sales: 2 years per day, 5 years per week (epoch
// weeks, Thursday to Wednesday; about 8 KiB per series).
std::vector<Resolution> DefaultSalesResolutions();

// Sums of values per time bucket at several resolutions, each a fixed-size
// ring: a new bucket overwrites the oldest, so memory is constant and the
// coarse rings keep history long after the fine ones have forgotten it.
// Not thread-safe (LiveSeriesStore adds the locking).
class LiveSeries {
 public:
  // REQUIRES: resolutions non-empty, widths and slots > 0 (checked by
  // LiveSeriesStore::Create).
  explicit LiveSeries(const std::vector<Resolution>& resolutions);

  // Adds `value` at `time_ms` (epoch milliseconds) to every resolution whose
  // ring still holds that bucket. Returns false when no ring held it (the
  // value was older than all of them).
  bool Add(int64_t time_ms, double value);

  // The `count` buckets of resolution `r` that end with the bucket holding
  // `end_ms` (oldest first); buckets without data are 0. Errors:
  // OutOfRange when the window reaches past what the ring keeps;
  // InvalidArgument for a bad resolution index or count < 1.
  absl::StatusOr<std::vector<double>> Window(int r, int64_t end_ms,
                                             int count) const;

 private:
  struct Ring {
    Resolution res;
    std::vector<double> values;
    int64_t head = INT64_MIN;  // newest bucket index seen
  };
  std::vector<Ring> rings_;
};

// Live series by key (e.g. "checkout/requests" or "shop1/product42"), all
// with the same resolutions. Thread-safe.
class LiveSeriesStore {
 public:
  // Errors: InvalidArgument for no resolutions or a non-positive width/slots.
  static absl::StatusOr<std::unique_ptr<LiveSeriesStore>> Create(
      std::vector<Resolution> resolutions);

  // Errors: InvalidArgument for a non-finite value; OutOfRange when the
  // value is older than every ring of its series.
  absl::Status Add(absl::string_view key, int64_t time_ms, double value);

  // See LiveSeries::Window. Errors also: NotFound for an unknown key.
  absl::StatusOr<std::vector<double>> Window(absl::string_view key, int r,
                                             int64_t end_ms, int count) const;

  const std::vector<Resolution>& resolutions() const { return resolutions_; }

 private:
  explicit LiveSeriesStore(std::vector<Resolution> resolutions)
      : resolutions_(std::move(resolutions)) {}
  const std::vector<Resolution> resolutions_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::unique_ptr<LiveSeries>> series_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace storepilot::forecast

#endif  // STOREPILOT_FORECAST_LIVE_SERIES_H_
