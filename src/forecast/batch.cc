#include "forecast/batch.h"

#include <algorithm>
#include <atomic>
#include <optional>
#include <thread>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace storepilot::forecast {

absl::StatusOr<std::vector<ForecastResult>> ForecastAll(
    const Forecaster& forecaster, absl::Span<const NamedSeries> series,
    int threads) {
  std::vector<std::optional<absl::StatusOr<ForecastResult>>> slots(series.size());
  std::atomic<size_t> next{0};
  // Each worker takes the next unclaimed series; a slot is written by exactly
  // one worker, and join() publishes the writes.
  auto work = [&] {
    for (size_t i = next.fetch_add(1); i < series.size(); i = next.fetch_add(1)) {
      slots[i] = forecaster.Forecast(series[i].values);
    }
  };
  const int n_threads =
      std::clamp<int>(threads, 1, std::max<size_t>(series.size(), 1));
  std::vector<std::thread> pool;
  for (int t = 1; t < n_threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  std::vector<ForecastResult> out;
  out.reserve(series.size());
  for (size_t i = 0; i < series.size(); ++i) {
    if (!slots[i]->ok()) {
      const absl::Status& s = slots[i]->status();
      return absl::Status(s.code(),
                          absl::StrCat("series ", series[i].id, ": ", s.message()));
    }
    out.push_back(*std::move(*slots[i]));
  }
  return out;
}

}  // namespace storepilot::forecast
