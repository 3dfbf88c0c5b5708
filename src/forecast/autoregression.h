#ifndef STOREPILOT_FORECAST_AUTOREGRESSION_H_
#define STOREPILOT_FORECAST_AUTOREGRESSION_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace storepilot::forecast {

// A seasonal autoregression fitted per series by ridge-regularised least
// squares and iterated over the horizon: x_t = c + sum_k a_k x_{t - lag_k},
// x = log(y) for positive series (multiplicative effects), y otherwise. The
// lags are 1 .. p (p = the shortest period, or `short_lags` without one) and
// every multiple of the shortest period up to the longest period: with
// periods {24, 168} that is 1..24, 48, 72, ..., 168.
struct AutoregressionOptions {
  int short_lags = 3;   // lags 1..short_lags when there is no period
  double ridge = 1e-3;  // relative to the mean diagonal of X'X
  // Fit on at most this many of the latest observations (0 = all).
  int max_history = 0;
  // Also lags longest + 1 and 2 * longest (when the data allow), which let
  // the model follow a cycle that drifts from one week to the next.
  bool long_lags = false;
  // Direct strategy: one regression per horizon step on the same lags at the
  // forecast origin, instead of iterating a one-step model (no error
  // feedback; X'X is shared by all steps, so it costs about one fit).
  bool direct = false;
  // Model the change from one longest cycle earlier, x_t - x_{t - longest},
  // with lags 1 .. shortest period: a seasonal random walk corrected by a
  // short autoregression (a SARIMA(p,0,0)(0,1,0) model).
  bool seasonal_difference = false;
};

// Errors: InvalidArgument when y has fewer than 3 samples per coefficient
// beyond the longest lag, or a non-finite forecast would result.
absl::StatusOr<std::vector<double>> AutoregressionForecast(
    absl::Span<const double> y, int horizon, const std::vector<int>& periods,
    const AutoregressionOptions& options = {});

}  // namespace storepilot::forecast

#endif  // STOREPILOT_FORECAST_AUTOREGRESSION_H_
