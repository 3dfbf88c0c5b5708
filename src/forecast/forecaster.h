#ifndef STOREPILOT_FORECAST_FORECASTER_H_
#define STOREPILOT_FORECAST_FORECASTER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace storepilot::forecast {

// The models a Forecaster can run. kAuto combines several of them, weighted by
// their accuracy on the last stretches of the series (see Forecaster).
enum class Method {
  kAuto,
  kNaive,
  kSeasonalNaive,
  kNaive2,
  kTheta,
  kEts,            // AutoEts with the shortest seasonal period
  kMultiSeasonal,  // multi-seasonal decomposition + ETS on the adjusted series
  kCroston,
  kSba,
  kTsb,
};

// Parses "auto", "naive", "snaive", "naive2", "theta", "ets", "mstl",
// "croston", "sba", "tsb". Errors: InvalidArgument for anything else.
absl::StatusOr<Method> ParseMethod(absl::string_view name);

struct ForecastOptions {
  int horizon = 1;
  // The known seasonal period (24 for hourly data); 1 when none is known.
  int season = 1;
  // Look for further periods (multiples of `season`, or any period when
  // `season` is 1) in the data.
  bool detect_periods = true;
  Method method = Method::kAuto;
  // Quantile levels to return, each in (0, 1).
  std::vector<double> quantiles;
  // Rolling forecast origins at the end of the series, `horizon` apart, on
  // which the candidate models are scored (combination weights) and the
  // forecast errors collected (quantiles).
  int holdout_windows = 6;
  // kAuto: how many of the best candidates (by holdout error) are averaged.
  int combine_top = 2;
  // Only the latest this many observations are used (0 = all): older ones
  // rarely help a forecast and cost fitting time on long daily histories.
  int max_history = 1024;
};

struct ForecastResult {
  std::vector<double> point;  // `horizon` point forecasts
  // quantiles[i][h]: the forecast at level levels[i]; non-decreasing in i
  // (levels are sorted ascending).
  std::vector<double> levels;
  std::vector<std::vector<double>> quantiles;
  std::vector<int> periods;  // the seasonal periods used
  std::string model;         // what produced `point`, e.g. "mstl+snaive"
};

// Point and quantile forecasts for one series at a time. Immutable after
// Create, so one Forecaster may serve any number of threads.
//
// Quantiles come from the errors the same procedure made on the holdout
// windows: errors are taken on the log scale for positive series (relative
// errors), standardised by a scale that grows with the horizon (variance
// a + b h, fitted to the squared errors), and their empirical quantiles are
// added to the point forecast. With too little data for a holdout, the
// spread of one-step changes grown with sqrt(h) is used instead.
class Forecaster {
 public:
  // Errors: InvalidArgument on horizon < 1, season < 1, a quantile level
  // outside (0, 1), holdout_windows / combine_top < 1, or max_history < 0.
  static absl::StatusOr<Forecaster> Create(const ForecastOptions& options);

  // Forecasts the values after the end of `y` (oldest first). Errors:
  // InvalidArgument on an empty series or a non-finite value, or when the
  // chosen method cannot run on it (e.g. Croston with negative values).
  absl::StatusOr<ForecastResult> Forecast(absl::Span<const double> y) const;

  const ForecastOptions& options() const { return options_; }

 private:
  explicit Forecaster(ForecastOptions options) : options_(std::move(options)) {}
  ForecastOptions options_;
};

}  // namespace storepilot::forecast

#endif  // STOREPILOT_FORECAST_FORECASTER_H_
