#ifndef STOREPILOT_FORECAST_INTERNAL_STATS_H_
#define STOREPILOT_FORECAST_INTERNAL_STATS_H_

#include <vector>

#include "absl/types/span.h"

namespace storepilot::forecast::internal {

double Mean(absl::Span<const double> x);

// Empirical quantile with linear interpolation (R type 7). REQUIRES: !x.empty().
double Quantile(std::vector<double> x, double level);

// Sample autocorrelations for lags 1..max_lag (index 0 is lag 1), as R's acf.
std::vector<double> Acf(absl::Span<const double> x, int max_lag);

// Least-squares line through (i, x[i]), i = 0..n-1.
struct Line {
  double intercept = 0;
  double slope = 0;
};
Line FitLine(absl::Span<const double> x);

// Centred moving average of order `m` (2 x m when m is even, as R's
// decompose); the first and last m/2 values are NaN.
std::vector<double> CentredMovingAverage(absl::Span<const double> x, int m);

}  // namespace storepilot::forecast::internal

#endif  // STOREPILOT_FORECAST_INTERNAL_STATS_H_
