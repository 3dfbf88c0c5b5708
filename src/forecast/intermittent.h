#ifndef STOREPILOT_FORECAST_INTERMITTENT_H_
#define STOREPILOT_FORECAST_INTERMITTENT_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace storepilot::forecast {

// Forecasts for intermittent demand (many zero periods), flat over the
// horizon. All fail with InvalidArgument on an empty series, horizon < 1, a
// negative value or a smoothing constant outside (0, 1].
enum class IntermittentMethod {
  kCroston,  // Croston (1972): SES of non-zero sizes / SES of intervals
  kSba,      // Syntetos-Boylan approximation: Croston * (1 - alpha / 2)
  kTsb,      // Teunter-Syntetos-Babai (2011): SES of occurrence probability
             // (updated every period) times SES of sizes
};

struct IntermittentOptions {
  double alpha = 0.1;  // smoothing of sizes and intervals
  double beta = 0.1;   // TSB: smoothing of the occurrence probability
};

absl::StatusOr<std::vector<double>> IntermittentForecast(
    absl::Span<const double> y, int horizon, IntermittentMethod method,
    const IntermittentOptions& options = {});

// Share of zero values in y (0 for an empty series).
double ZeroShare(absl::Span<const double> y);

}  // namespace storepilot::forecast

#endif  // STOREPILOT_FORECAST_INTERMITTENT_H_
