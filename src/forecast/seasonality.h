#ifndef STOREPILOT_FORECAST_SEASONALITY_H_
#define STOREPILOT_FORECAST_SEASONALITY_H_

#include <vector>

#include "absl/types/span.h"

namespace storepilot::forecast {

// The M4 benchmarks' seasonality test: the series is seasonal with period `m`
// when it has at least 3 full cycles and |acf(m)| exceeds the 90% one-sided
// limit 1.645 * sqrt((1 + 2 * sum_{k<m} acf(k)^2) / n). Always false for m <= 1.
bool SeasonalityTest(absl::Span<const double> y, int m);

// Classical multiplicative decomposition (R's decompose): `m` seasonal
// indices averaging 1, index i applying to y[i], y[i + m], ... REQUIRES: y
// positive and y.size() >= 2 * m.
std::vector<double> MultiplicativeSeasonalIndices(absl::Span<const double> y,
                                                  int m);

// Seasonal periods of `y`, shortest first. `known` (when > 1) is kept when
// the seasonality test passes; then multiples k * known (k = 2..max_multiple,
// at least 2.5 cycles in the data) are tested on the series with the `known`
// cycle removed, and the strongest significant multiple is added (e.g. a
// weekly 168 inside hourly data with known 24). When `known` <= 1, the lag
// with the highest significant autocorrelation in 2..n/3 is proposed.
std::vector<int> DetectSeasonalPeriods(absl::Span<const double> y, int known,
                                       int max_multiple = 8);

}  // namespace storepilot::forecast

#endif  // STOREPILOT_FORECAST_SEASONALITY_H_
