#ifndef STOREPILOT_FORECAST_INTERNAL_INTERVALS_H_
#define STOREPILOT_FORECAST_INTERNAL_INTERVALS_H_

#include <vector>

#include "absl/types/span.h"

namespace storepilot::forecast::internal {

// Quantile forecasts around `point` from forecast errors observed on holdout
// windows: errors[w][h] is the error at step h + 1 of window w (actual minus
// forecast, or log(actual / forecast) when `log_scale`). The error scale is
// sigma(h)^2 = a + b (h + 1) with a, b >= 0 fitted to the squared errors; the
// standardised errors are centred on their median and spread as a Student t
// whose degrees of freedom are the errors' effective sample size: errors
// inside one window move together (a level shift shifts all of them), so W
// windows of H errors carry far fewer than W * H independent observations.
// The size is W * H / (1 + 2 sum_k rho_k), rho_k the within-window
// autocorrelations summed while positive (Geyer's initial sequence), at
// least 3. The t quantiles carry the uncertainty of the estimated scale. Returns
// result[i][h] for levels[i]. REQUIRES: errors non-empty, each row as long as
// point; point > 0 when log_scale.
std::vector<std::vector<double>> QuantilesFromErrors(
    absl::Span<const double> point,
    const std::vector<std::vector<double>>& errors,
    absl::Span<const double> levels, bool log_scale);

// Fallback without a holdout: Gaussian quantiles with the spread of one-step
// changes of y (log changes when `log_scale`) grown with sqrt(h).
std::vector<std::vector<double>> QuantilesFromRandomWalk(
    absl::Span<const double> point, absl::Span<const double> y,
    absl::Span<const double> levels, bool log_scale);

// Quantile of Student's t with `dof` degrees of freedom (Cornish-Fisher
// expansion around the normal, A&S 26.7.5; within 1% for dof >= 3).
double StudentQuantile(double p, double dof);

// Inverse of the standard normal distribution function (Acklam's rational
// approximation, relative error < 1.2e-9). REQUIRES: 0 < p < 1.
double NormalQuantile(double p);

}  // namespace storepilot::forecast::internal

#endif  // STOREPILOT_FORECAST_INTERNAL_INTERVALS_H_
