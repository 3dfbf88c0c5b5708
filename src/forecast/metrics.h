#ifndef STOREPILOT_FORECAST_METRICS_H_
#define STOREPILOT_FORECAST_METRICS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "forecast/series_csv.h"

namespace storepilot::forecast {

// M4's symmetric MAPE in percent: mean of 200 |y - f| / (|y| + |f|); a term
// with y = f = 0 counts 0. REQUIRES: equal, non-zero lengths.
double Smape(absl::Span<const double> actual, absl::Span<const double> forecast);

// MASE's denominator: the in-sample mean absolute error of the seasonal naive
// forecast with period m (m = 1 when the series is not longer than m).
double MaseScale(absl::Span<const double> train, int m);

// Mean absolute error divided by `scale`.
double Mase(absl::Span<const double> actual, absl::Span<const double> forecast,
            double scale);

// One quantile level's calibration: the share of actual values at or below it.
struct QuantileCalibration {
  double level = 0;
  double hit_rate = 0;
};

// Coverage of the central interval between levels lo and 1 - lo, and M4's
// mean scaled interval score for it.
struct IntervalCoverage {
  double lower = 0, upper = 0;
  double coverage = 0;
  double msis = 0;
};

struct EvalReport {
  int series = 0;
  int points = 0;
  double smape = 0, mase = 0, owa = 0;
  // Naive2 computed on the same training data: the OWA reference.
  double naive2_smape = 0, naive2_mase = 0;
  std::vector<QuantileCalibration> quantiles;
  std::vector<IntervalCoverage> intervals;
};

// Scores forecasts as M4 does: sMAPE and MASE averaged per series then over
// series, OWA = (sMAPE / sMAPE_Naive2 + MASE / MASE_Naive2) / 2, with Naive2
// run on `train` with `season`. `quantiles` may be empty. Series are matched
// by id; every forecast needs its train and actual series with at least as
// many actual values as forecast ones. Errors: InvalidArgument on a missing
// id, a length mismatch, or no forecasts.
absl::StatusOr<EvalReport> Evaluate(absl::Span<const NamedSeries> train,
                                    absl::Span<const NamedSeries> actual,
                                    absl::Span<const NamedSeries> forecasts,
                                    absl::Span<const QuantileRow> quantiles,
                                    int season);

// A human-readable multi-line summary.
std::string FormatReport(const EvalReport& report);

}  // namespace storepilot::forecast

#endif  // STOREPILOT_FORECAST_METRICS_H_
