#ifndef STOREPILOT_FORECAST_BASELINES_H_
#define STOREPILOT_FORECAST_BASELINES_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace storepilot::forecast {

// The simple benchmarks of the M4 competition. All return `horizon` point
// forecasts for the times after the end of `y`; all fail with
// InvalidArgument on an empty series or horizon < 1.

// The last value, repeated.
absl::StatusOr<std::vector<double>> NaiveForecast(absl::Span<const double> y,
                                                  int horizon);

// The value one period earlier (naive when y holds less than one period).
absl::StatusOr<std::vector<double>> SeasonalNaiveForecast(
    absl::Span<const double> y, int horizon, int period);

// Naive2: when the M4 seasonality test passes for `period`, the last value of
// the series divided by its classical multiplicative seasonal indices,
// re-seasonalised; otherwise Naive. Non-positive data are never deseasonalised.
absl::StatusOr<std::vector<double>> Naive2Forecast(absl::Span<const double> y,
                                                   int horizon, int period);

// The Theta method as the M4 benchmark runs it: M4 deseasonalisation as for
// Naive2, simple exponential smoothing with drift equal to half the slope of
// the linear trend (Hyndman & Billah 2003), re-seasonalised.
absl::StatusOr<std::vector<double>> ThetaForecast(absl::Span<const double> y,
                                                  int horizon, int period);

// The optimised Theta models of Fiorucci et al. (2016, "Models for optimising
// the theta method and their relationship to state space models"), on the
// M4-deseasonalised series as ThetaForecast: the theta line's weight
// (theta in [1, 5]), the smoothing parameter and the initial level are chosen
// by in-sample one-step squared error instead of being fixed at theta = 2.
// `dynamic` = false is OTM (the linear trend fitted once to the whole
// series); true is DOTM (its intercept and slope updated at every step, so
// the trend follows the recent past). Fails with InvalidArgument on fewer
// than 3 values or horizon < 1.
absl::StatusOr<std::vector<double>> OptimisedThetaForecast(
    absl::Span<const double> y, int horizon, int period, bool dynamic);

// Seasonal indices the M4 benchmarks divide by: the classical multiplicative
// ones when the test passes and all values are positive, else all 1. The
// result has `period` entries indexed by t % period.
std::vector<double> M4SeasonalIndices(absl::Span<const double> y, int period);

}  // namespace storepilot::forecast

#endif  // STOREPILOT_FORECAST_BASELINES_H_
