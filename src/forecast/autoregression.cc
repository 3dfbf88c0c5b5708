#include "forecast/autoregression.h"

#include <algorithm>
#include <cmath>

#include "Eigen/Dense"
#include "absl/status/status.h"

namespace storepilot::forecast {
namespace {

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
  const int n = y.size();
  const std::vector<int> lags = Lags(periods, options.short_lags, options.long_lags, n);
  const int p = lags.size(), max_lag = lags.back();
  const int rows = n - max_lag;
  if (rows < 3 * (p + 1)) {
    return absl::InvalidArgumentError("too short for the autoregression");
  }
  const bool log_scale = *std::min_element(y.begin(), y.end()) > 0;
  std::vector<double> x(y.begin(), y.end());
  if (log_scale) {
    for (double& v : x) v = std::log(v);
  }
  // Centre on the mean so the ridge penalty does not pull toward zero level.
  double mean = 0;
  for (double v : x) mean += v / n;
  for (double& v : x) v -= mean;

  Eigen::MatrixXd X(rows, p + 1);
  Eigen::VectorXd target(rows);
  for (int r = 0; r < rows; ++r) {
    int t = max_lag + r;
    X(r, 0) = 1;
    for (int j = 0; j < p; ++j) X(r, j + 1) = x[t - lags[j]];
    target(r) = x[t];
  }
  Eigen::MatrixXd gram = X.transpose() * X;
  double penalty = options.ridge * gram.diagonal().mean();
  for (int j = 1; j <= p; ++j) gram(j, j) += penalty;
  Eigen::VectorXd coef = gram.ldlt().solve(X.transpose() * target);

  std::vector<double> path(x);
  std::vector<double> out(horizon);
  for (int h = 0; h < horizon; ++h) {
    const int t = path.size();
    double v = coef(0);
    for (int j = 0; j < p; ++j) v += coef(j + 1) * path[t - lags[j]];
    path.push_back(v);
    out[h] = log_scale ? std::exp(v + mean) : v + mean;
    if (!std::isfinite(out[h])) {
      return absl::InvalidArgumentError("autoregression diverged");
    }
  }
  return out;
}

}  // namespace storepilot::forecast
