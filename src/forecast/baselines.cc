#include "forecast/baselines.h"

#include <algorithm>
#include <cmath>

#include "absl/status/status.h"
#include "forecast/ets.h"
#include "forecast/internal/stats.h"
#include "forecast/seasonality.h"

namespace storepilot::forecast {
namespace {

absl::Status CheckArgs(absl::Span<const double> y, int horizon) {
  if (y.empty()) return absl::InvalidArgumentError("empty series");
  if (horizon < 1) return absl::InvalidArgumentError("horizon must be >= 1");
  return absl::OkStatus();
}

// Simple exponential smoothing: alpha and the initial level by maximum
// likelihood (ETS(A,N,N)); falls back to the mean for very short series.
double SesLevel(absl::Span<const double> y, double* alpha) {
  absl::StatusOr<EtsFit> fit =
      FitEts(y, 1, {ErrorType::kAdditive, TrendType::kNone, SeasonType::kNone});
  if (!fit.ok()) {
    *alpha = 0.5;
    return internal::Mean(y);
  }
  *alpha = fit->alpha;
  return fit->level;
}

}  // namespace

std::vector<double> M4SeasonalIndices(absl::Span<const double> y, int period) {
  const int m = std::max(period, 1);
  bool positive = !y.empty() && *std::min_element(y.begin(), y.end()) > 0;
  if (m > 1 && positive && SeasonalityTest(y, m)) {
    return MultiplicativeSeasonalIndices(y, m);
  }
  return std::vector<double>(m, 1.0);
}

absl::StatusOr<std::vector<double>> NaiveForecast(absl::Span<const double> y,
                                                  int horizon) {
  if (auto s = CheckArgs(y, horizon); !s.ok()) return s;
  return std::vector<double>(horizon, y.back());
}

absl::StatusOr<std::vector<double>> SeasonalNaiveForecast(
    absl::Span<const double> y, int horizon, int period) {
  if (auto s = CheckArgs(y, horizon); !s.ok()) return s;
  const int n = y.size();
  if (period < 1 || period > n) return NaiveForecast(y, horizon);
  std::vector<double> out(horizon);
  for (int h = 0; h < horizon; ++h) out[h] = y[n - period + h % period];
  return out;
}

absl::StatusOr<std::vector<double>> Naive2Forecast(absl::Span<const double> y,
                                                   int horizon, int period) {
  if (auto s = CheckArgs(y, horizon); !s.ok()) return s;
  const int n = y.size();
  const int m = std::max(period, 1);
  std::vector<double> index = M4SeasonalIndices(y, m);
  double last = y[n - 1] / index[(n - 1) % m];
  std::vector<double> out(horizon);
  for (int h = 0; h < horizon; ++h) out[h] = last * index[(n + h) % m];
  return out;
}

absl::StatusOr<std::vector<double>> ThetaForecast(absl::Span<const double> y,
                                                  int horizon, int period) {
  if (auto s = CheckArgs(y, horizon); !s.ok()) return s;
  const int n = y.size();
  const int m = std::max(period, 1);
  std::vector<double> index = M4SeasonalIndices(y, m);
  std::vector<double> adjusted(n);
  for (int t = 0; t < n; ++t) adjusted[t] = y[t] / index[t % m];
  double alpha = 0.5;
  double level = SesLevel(adjusted, &alpha);
  // The theta = 2 line extrapolated by SES, averaged with the theta = 0 line
  // (the linear trend): SES plus half the trend slope, as in forecast::thetaf.
  double half_slope = internal::FitLine(adjusted).slope / 2;
  double offset = (1 - std::pow(1 - alpha, n)) / alpha;
  std::vector<double> out(horizon);
  for (int h = 0; h < horizon; ++h) {
    out[h] = (level + half_slope * (h + offset)) * index[(n + h) % m];
  }
  return out;
}

}  // namespace storepilot::forecast
