#include "forecast/decomposition.h"

#include <algorithm>
#include <cmath>

#include "absl/status/status.h"
#include "forecast/baselines.h"
#include "forecast/ets.h"
#include "forecast/internal/stats.h"

namespace storepilot::forecast {
namespace {

// Weighted per-phase mean of z - CMA_p(z), centred to mean zero.
std::vector<double> Profile(const std::vector<double>& z, int p,
                            double half_life_cycles) {
  const int n = z.size();
  std::vector<double> trend = internal::CentredMovingAverage(z, p);
  std::vector<double> sum(p, 0), weight(p, 0);
  const double decay = std::pow(0.5, 1.0 / (half_life_cycles * p));
  double w = 1;
  for (int t = n - 1; t >= 0; --t, w *= decay) {
    if (std::isnan(trend[t])) continue;
    sum[t % p] += w * (z[t] - trend[t]);
    weight[t % p] += w;
  }
  std::vector<double> profile(p, 0);
  double mean = 0;
  for (int i = 0; i < p; ++i) {
    profile[i] = weight[i] > 0 ? sum[i] / weight[i] : 0;
    mean += profile[i] / p;
  }
  for (double& v : profile) v -= mean;
  return profile;
}

void RemoveNestedCycle(int shorter, int longer, std::vector<double>* profile) {
  if (longer % shorter != 0) return;
  std::vector<double> mean(shorter, 0);
  const double repeats = longer / shorter;
  for (int t = 0; t < longer; ++t) mean[t % shorter] += (*profile)[t] / repeats;
  for (int t = 0; t < longer; ++t) (*profile)[t] -= mean[t % shorter];
}

}  // namespace

double MultiSeasonalDecomposition::Seasonal(int t) const {
  double s = 0;
  for (size_t j = 0; j < periods.size(); ++j) s += profiles[j][t % periods[j]];
  return s;
}

absl::StatusOr<MultiSeasonalDecomposition> DecomposeMultiSeasonal(
    absl::Span<const double> y, const std::vector<int>& periods,
    const MultiSeasonalOptions& options) {
  if (y.empty()) return absl::InvalidArgumentError("empty series");
  const int n = y.size();
  MultiSeasonalDecomposition d;
  d.log_scale = options.log_scale &&
                *std::min_element(y.begin(), y.end()) > 0;
  std::vector<double> x(y.begin(), y.end());
  if (d.log_scale) {
    for (double& v : x) v = std::log(v);
  }
  for (int p : periods) {
    if (p > 1 && n >= 2 * p) d.periods.push_back(p);
  }
  d.profiles.resize(d.periods.size());
  for (size_t j = 0; j < d.periods.size(); ++j) {
    d.profiles[j].assign(d.periods[j], 0.0);
  }
  std::vector<double> z(n);
  for (int it = 0; it < options.iterations; ++it) {
    for (size_t j = 0; j < d.periods.size(); ++j) {
      for (int t = 0; t < n; ++t) {
        double others = 0;
        for (size_t i = 0; i < d.periods.size(); ++i) {
          if (i != j) others += d.profiles[i][t % d.periods[i]];
        }
        z[t] = x[t] - others;
      }
      d.profiles[j] = Profile(z, d.periods[j], options.half_life_cycles);
      // A longer period that is a multiple of a shorter one could absorb that
      // one's cycle too (the split would not be identifiable): keep only what
      // averages to zero over each phase of the shorter cycle.
      for (size_t i = 0; i < j; ++i) {
        RemoveNestedCycle(d.periods[i], d.periods[j], &d.profiles[j]);
      }
    }
  }
  d.adjusted.resize(n);
  for (int t = 0; t < n; ++t) d.adjusted[t] = x[t] - d.Seasonal(t);
  return d;
}

absl::StatusOr<std::vector<double>> MultiSeasonalForecast(
    absl::Span<const double> y, int horizon, const std::vector<int>& periods,
    RemainderModel model, const MultiSeasonalOptions& options) {
  if (horizon < 1) return absl::InvalidArgumentError("horizon must be >= 1");
  absl::StatusOr<MultiSeasonalDecomposition> d =
      DecomposeMultiSeasonal(y, periods, options);
  if (!d.ok()) return d.status();
  std::vector<double> base;
  if (model != RemainderModel::kTheta) {
    absl::StatusOr<EtsFit> fit = AutoEts(
        d->adjusted, 1, false, {},
        model == RemainderModel::kEts ? TrendSearch::kNoneOrDamped
                                      : TrendSearch::kNone);
    if (fit.ok()) base = fit->Forecast(horizon);
  }
  if (base.empty()) {
    absl::StatusOr<std::vector<double>> theta =
        ThetaForecast(d->adjusted, horizon, 1);
    if (!theta.ok()) return theta.status();
    base = *std::move(theta);
  }
  const int n = y.size();
  for (int h = 0; h < horizon; ++h) {
    double v = base[h] + d->Seasonal(n + h);
    base[h] = d->log_scale ? std::exp(v) : v;
  }
  return base;
}

}  // namespace storepilot::forecast
