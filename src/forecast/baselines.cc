#include "forecast/baselines.h"

#include <algorithm>
#include <cmath>
#include <limits>

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

absl::StatusOr<std::vector<double>> OptimisedThetaForecast(
    absl::Span<const double> y, int horizon, int period, bool dynamic) {
  if (auto s = CheckArgs(y, horizon); !s.ok()) return s;
  const int n = y.size();
  if (n < 3) return absl::InvalidArgumentError("optimised Theta needs 3 values");
  const int m = std::max(period, 1);
  std::vector<double> index = M4SeasonalIndices(y, m);
  std::vector<double> x(n);
  for (int t = 0; t < n; ++t) x[t] = y[t] / index[t % m];

  // Trend intercept a[k] and slope b[k] known after k values (k = 1..n), for
  // x ~ a + b t with t = 1..k. OTM: the least-squares line of all n values.
  // DOTM: the line through the first k values, updated recursively.
  std::vector<double> a(n + 1), b(n + 1);
  if (dynamic) {
    double mean = x[0];
    a[1] = x[0];
    b[1] = 0;
    for (int k = 2; k <= n; ++k) {
      b[k] = ((k - 2) * b[k - 1] + 6.0 / k * (x[k - 1] - mean)) / (k + 1);
      mean = ((k - 1) * mean + x[k - 1]) / k;
      a[k] = mean - (k + 1) / 2.0 * b[k];
    }
  } else {
    internal::Line line = internal::FitLine(x);  // x[i] ~ intercept + slope i
    std::fill(a.begin(), a.end(), line.intercept - line.slope);
    std::fill(b.begin(), b.end(), line.slope);
  }

  // One-step fit mu_k = l_{k-1} + c d_k (k = 1..n), with c = 1 - 1/theta,
  // l_k = alpha x_k + (1 - alpha) l_{k-1} and
  // d_k = (1-alpha)^(k-1) a_{k-1} + (1 - (1-alpha)^k) / alpha b_{k-1}.
  // For a fixed alpha, mu is linear in (l_0, c): both by least squares (c
  // kept in [0, 1 - 1/5]), alpha on a grid.
  constexpr double kMaxC = 1 - 1.0 / 5;
  double best_sse = std::numeric_limits<double>::infinity();
  double best_alpha = 0.5, best_l0 = x[0], best_c = 0.5;
  std::vector<double> co(n), base(n), d(n);
  for (int step = 1; step <= 49; ++step) {
    const double alpha = 0.02 * step, q = 1 - alpha;
    double s = 0, qk = 1;  // s: l_{k-1} with l_0 = 0; qk: q^(k-1)
    for (int k = 1; k <= n; ++k) {
      const int j = std::max(k - 1, 1);
      co[k - 1] = qk;
      base[k - 1] = s;
      d[k - 1] = qk * a[j] + (1 - qk * q) / alpha * b[j];
      s = alpha * x[k - 1] + q * s;
      qk *= q;
    }
    double scc = 0, scd = 0, sdd = 0, scr = 0, sdr = 0;
    for (int k = 0; k < n; ++k) {
      const double r = x[k] - base[k];
      scc += co[k] * co[k];
      scd += co[k] * d[k];
      sdd += d[k] * d[k];
      scr += co[k] * r;
      sdr += d[k] * r;
    }
    auto sse_at = [&](double c, double* l0) {
      *l0 = (scr - c * scd) / scc;
      double sse = 0;
      for (int k = 0; k < n; ++k) {
        const double e = x[k] - base[k] - co[k] * *l0 - c * d[k];
        sse += e * e;
      }
      return sse;
    };
    const double det = scc * sdd - scd * scd;
    double c = det > 1e-12 * scc * sdd ? (scc * sdr - scd * scr) / det : 0;
    c = std::clamp(c, 0.0, kMaxC);
    double l0 = 0;
    const double sse = sse_at(c, &l0);
    if (sse < best_sse) {
      best_sse = sse;
      best_alpha = alpha;
      best_l0 = l0;
      best_c = c;
    }
  }
  const double q = 1 - best_alpha;
  double level = best_l0;
  for (int t = 0; t < n; ++t) level = best_alpha * x[t] + q * level;
  const double qn = std::pow(q, n);
  std::vector<double> out(horizon);
  for (int h = 0; h < horizon; ++h) {
    const double trend = qn * a[n] + (h + (1 - qn * q) / best_alpha) * b[n];
    out[h] = (level + best_c * trend) * index[(n + h) % m];
  }
  return out;
}

}  // namespace storepilot::forecast
