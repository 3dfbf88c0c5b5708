#include "forecast/seasonality.h"

#include <cmath>

#include "forecast/internal/stats.h"

namespace storepilot::forecast {
namespace {

constexpr double kCritical90 = 1.645;

// True when acf[lag - 1] is above the 90% limit of Bartlett's formula.
bool AcfSignificant(const std::vector<double>& acf, int lag, int n) {
  if (lag < 1 || lag > static_cast<int>(acf.size())) return false;
  double sum = 1;
  for (int k = 1; k < lag; ++k) sum += 2 * acf[k - 1] * acf[k - 1];
  return std::abs(acf[lag - 1]) > kCritical90 * std::sqrt(sum / n);
}

// Removes a slow trend (a centred moving average over `trend_window`, longer
// than any cycle looked for) and the per-phase means of period m.
std::vector<double> RemoveCycle(absl::Span<const double> y, int m,
                                int trend_window) {
  std::vector<double> trend = internal::CentredMovingAverage(y, trend_window);
  std::vector<double> sum(m, 0), count(m, 0);
  for (size_t t = 0; t < y.size(); ++t) {
    if (std::isnan(trend[t])) continue;
    sum[t % m] += y[t] - trend[t];
    count[t % m] += 1;
  }
  std::vector<double> out;
  for (size_t t = 0; t < y.size(); ++t) {
    if (std::isnan(trend[t])) continue;
    double s = count[t % m] > 0 ? sum[t % m] / count[t % m] : 0;
    out.push_back(y[t] - trend[t] - s);
  }
  return out;
}

}  // namespace

bool SeasonalityTest(absl::Span<const double> y, int m) {
  const int n = y.size();
  if (m <= 1 || n < 3 * m) return false;
  // R's acf stops at lag 10 * log10(n); M4 treats a longer period as
  // non-seasonal.
  if (m > static_cast<int>(std::floor(10 * std::log10(n)))) return false;
  std::vector<double> acf = internal::Acf(y, m);
  return AcfSignificant(acf, m, n);
}

std::vector<double> MultiplicativeSeasonalIndices(absl::Span<const double> y,
                                                  int m) {
  std::vector<double> trend = internal::CentredMovingAverage(y, m);
  std::vector<double> sum(m, 0), count(m, 0);
  for (size_t t = 0; t < y.size(); ++t) {
    if (std::isnan(trend[t]) || trend[t] == 0) continue;
    sum[t % m] += y[t] / trend[t];
    count[t % m] += 1;
  }
  std::vector<double> index(m, 1);
  double total = 0;
  for (int i = 0; i < m; ++i) {
    index[i] = count[i] > 0 ? sum[i] / count[i] : 1;
    total += index[i];
  }
  for (double& v : index) v *= m / total;
  return index;
}

std::vector<int> DetectSeasonalPeriods(absl::Span<const double> y, int known,
                                       int max_multiple) {
  const int n = y.size();
  std::vector<int> periods;
  if (known > 1) {
    if (!SeasonalityTest(y, known)) return periods;
    periods.push_back(known);
    // A longer cycle made of whole `known` cycles shows in what is left after
    // the `known` cycle is removed.
    if (n < 5 * known) return periods;
    // Detrending over the longest cycle tested keeps a smooth longer cycle
    // (a weekly swell of daily data) in what is left.
    std::vector<double> rest = RemoveCycle(y, known, (max_multiple + 1) * known);
    if (static_cast<int>(rest.size()) < 2 * known) return periods;
    int best = 0;
    double best_acf = 0;
    std::vector<double> acf = internal::Acf(rest, (max_multiple + 1) * known);
    auto at = [&](int lag) {
      return lag <= static_cast<int>(acf.size()) ? acf[lag - 1] : -1.0;
    };
    for (int k = 2; k <= max_multiple; ++k) {
      int lag = k * known;
      // No Bartlett test here: after the cycle is removed, a smooth longer
      // cycle inflates every lower-lag term of its limit and hides itself.
      // The peak condition and the minimum correlation below do the work.
      if (2.5 * lag > static_cast<int>(rest.size())) continue;
      // A genuine longer cycle is a peak among the multiples; a slowly
      // changing `known` cycle gives correlations that just decay with k.
      if (at(lag) <= at(lag - known) || at(lag) <= at(lag + known)) continue;
      if (acf[lag - 1] > best_acf) {
        best_acf = acf[lag - 1];
        best = lag;
      }
    }
    // Require a clear correlation, not just a significant one, to add a
    // second cycle: a spurious one costs accuracy on every forecast.
    if (best > 0 && best_acf > 0.3) periods.push_back(best);
    return periods;
  }
  if (n < 8) return periods;
  std::vector<double> acf = internal::Acf(y, n / 3);
  int best = 0;
  double best_acf = 0;
  for (int lag = 2; lag <= static_cast<int>(acf.size()); ++lag) {
    // A seasonal peak is a local maximum of the acf.
    if (lag < static_cast<int>(acf.size()) && acf[lag] > acf[lag - 1]) continue;
    if (acf[lag - 2] > acf[lag - 1]) continue;
    if (3 * lag > n || !AcfSignificant(acf, lag, n)) continue;
    if (acf[lag - 1] > best_acf) {
      best_acf = acf[lag - 1];
      best = lag;
    }
  }
  if (best > 0 && best_acf > 0.3) periods.push_back(best);
  return periods;
}

}  // namespace storepilot::forecast
