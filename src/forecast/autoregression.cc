#include "forecast/autoregression.h"

#include <algorithm>
#include <cmath>

#include "Eigen/Dense"
#include "absl/status/status.h"

namespace storepilot::forecast {
namespace {

// Fewer observations per coefficient than this leave the least-squares fit
// chasing noise; such series are left to the other models.
constexpr int kRowsPerCoefficient = 3;

std::vector<int> Lags(const std::vector<int>& periods, int short_lags,
                      bool long_lags, int n) {
  std::vector<int> lags;
  if (periods.empty()) {
    for (int k = 1; k <= short_lags; ++k) lags.push_back(k);
    return lags;
  }
  const int m = periods.front(), longest = periods.back();
  for (int k = 1; k <= m; ++k) lags.push_back(k);
  for (int k = 2 * m; k <= longest; k += m) lags.push_back(k);
  if (long_lags && longest > m) {
    lags.push_back(longest + 1);
    if (n >= 6 * longest) lags.push_back(2 * longest);
  }
  return lags;
}

}  // namespace

absl::StatusOr<std::vector<double>> AutoregressionForecast(
    absl::Span<const double> y, int horizon, const std::vector<int>& periods,
    const AutoregressionOptions& options) {
  if (horizon < 1) return absl::InvalidArgumentError("horizon must be >= 1");
  if (options.max_history > 0 &&
      static_cast<int>(y.size()) > options.max_history) {
    y = y.last(options.max_history);
  }
  const int n_all = y.size();
  const bool sdiff = options.seasonal_difference && !periods.empty();
  const int season_lag = sdiff ? periods.back() : 0;
  std::vector<int> lags =
      sdiff ? Lags({periods.front()}, 0, false, 0)
            : Lags(periods, options.short_lags, options.long_lags, n_all);
  const int n = n_all - season_lag;
  if (n <= 0) return absl::InvalidArgumentError("too short for the autoregression");
  const int p = lags.size(), max_lag = lags.back();
  const int rows = n - max_lag;
  if (rows < kRowsPerCoefficient * (p + 1)) {
    return absl::InvalidArgumentError("too short for the autoregression");
  }
  const bool log_scale = *std::min_element(y.begin(), y.end()) > 0;
  std::vector<double> level(y.begin(), y.end());
  if (log_scale) {
    for (double& v : level) v = std::log(v);
  }
  std::vector<double> x(n);
  for (int t = 0; t < n; ++t) {
    x[t] = level[t + season_lag] - (sdiff ? level[t] : 0);
  }
  // Centre on the mean so the ridge penalty does not pull toward zero level.
  double mean = 0;
  for (double v : x) mean += v / n;
  for (double& v : x) v -= mean;

  // Rows are forecast origins t (the lags look back from t - 1); the
  // recursive model predicts x_t, the direct one x_{t + h} for every h.
  const int steps = options.direct ? horizon : 1;
  const int fit_rows = rows - (steps - 1);
  if (fit_rows < kRowsPerCoefficient * (p + 1)) {
    return absl::InvalidArgumentError("too short for the autoregression");
  }
  Eigen::MatrixXd X(fit_rows, p + 1);
  Eigen::MatrixXd target(fit_rows, steps);
  for (int r = 0; r < fit_rows; ++r) {
    int t = max_lag + r;
    X(r, 0) = 1;
    for (int j = 0; j < p; ++j) X(r, j + 1) = x[t - lags[j]];
    for (int h = 0; h < steps; ++h) target(r, h) = x[t + h];
  }
  Eigen::MatrixXd gram = X.transpose() * X;
  double penalty = options.ridge * gram.diagonal().mean();
  for (int j = 1; j <= p; ++j) gram(j, j) += penalty;
  Eigen::MatrixXd coef = gram.ldlt().solve(X.transpose() * target);

  std::vector<double> out(horizon);
  if (options.direct) {
    for (int h = 0; h < horizon; ++h) {
      double v = coef(0, h);
      for (int j = 0; j < p; ++j) v += coef(j + 1, h) * x[n - lags[j]];
      out[h] = v + mean;
    }
  } else {
    std::vector<double> path(x);
    for (int h = 0; h < horizon; ++h) {
      const int t = path.size();
      double v = coef(0, 0);
      for (int j = 0; j < p; ++j) v += coef(j + 1, 0) * path[t - lags[j]];
      path.push_back(v);
      out[h] = v + mean;
    }
  }
  // Undo the seasonal difference (forecasts beyond one cycle build on
  // earlier forecasts) and the log.
  for (int h = 0; h < horizon; ++h) {
    if (sdiff) {
      int base = n_all + h - season_lag;
      out[h] += base < n_all ? level[base] : out[base - n_all];
    }
  }
  for (double& v : out) v = log_scale ? std::exp(v) : v;
  for (double v : out) {
    if (!std::isfinite(v)) {
      return absl::InvalidArgumentError("autoregression diverged");
    }
  }
  return out;
}

}  // namespace storepilot::forecast
