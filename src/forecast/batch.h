#ifndef STOREPILOT_FORECAST_BATCH_H_
#define STOREPILOT_FORECAST_BATCH_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "forecast/forecaster.h"
#include "forecast/series_csv.h"

namespace storepilot::forecast {

// Forecasts every series with `forecaster` on `threads` worker threads (at
// least 1); results are in input order. Errors: the first failing series'
// Status, prefixed with its id.
absl::StatusOr<std::vector<ForecastResult>> ForecastAll(
    const Forecaster& forecaster, absl::Span<const NamedSeries> series,
    int threads);

}  // namespace storepilot::forecast

#endif  // STOREPILOT_FORECAST_BATCH_H_
