#ifndef STOREPILOT_FORECAST_DECOMPOSITION_H_
#define STOREPILOT_FORECAST_DECOMPOSITION_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace storepilot::forecast {

// Additive decomposition with several seasonal periods (e.g. 24 and 168 in
// hourly traffic): y = adjusted + sum_j season_j, estimated by backfitting —
// each period's profile is the weighted per-phase mean of what is left after
// the other profiles and a centred moving average of that period are removed.
// Recent cycles weigh more (half-life in cycles), so the profile follows a
// slowly changing pattern.
struct MultiSeasonalOptions {
  double half_life_cycles = 4;  // weight of a cycle halves every this many
  int iterations = 2;           // backfitting passes
  bool log_scale = true;        // decompose log(y) when y > 0 (multiplicative)
};

struct MultiSeasonalDecomposition {
  std::vector<int> periods;
  // profiles[j][t % periods[j]]: the seasonal component of period j.
  std::vector<std::vector<double>> profiles;
  std::vector<double> adjusted;  // (log) series minus all seasonal components
  bool log_scale = false;

  // Sum of the seasonal components at time t (on the decomposition's scale).
  double Seasonal(int t) const;
};

// REQUIRES: periods ascending, each > 1. Periods with fewer than 2 full
// cycles in y are dropped. Errors: InvalidArgument on an empty series.
absl::StatusOr<MultiSeasonalDecomposition> DecomposeMultiSeasonal(
    absl::Span<const double> y, const std::vector<int>& periods,
    const MultiSeasonalOptions& options = {});

// How the seasonally adjusted series is extrapolated.
enum class RemainderModel {
  kEts,    // AutoEts over level and damped-trend models, no seasonality:
           // an undamped trend extrapolates noise left by the decomposition
  kTheta,  // Theta without seasonality
  kSes,    // simple exponential smoothing (ETS A,N,N or M,N,N by AICc)
};

// Decomposes y, forecasts the adjusted series with `model` and adds back the
// seasonal profiles (re-exponentiated on the log scale).
absl::StatusOr<std::vector<double>> MultiSeasonalForecast(
    absl::Span<const double> y, int horizon, const std::vector<int>& periods,
    RemainderModel model, const MultiSeasonalOptions& options = {});

}  // namespace storepilot::forecast

#endif  // STOREPILOT_FORECAST_DECOMPOSITION_H_
