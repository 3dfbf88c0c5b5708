#include "forecast/internal/stats.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace storepilot::forecast::internal {

double Mean(absl::Span<const double> x) {
  if (x.empty()) return 0;
  double s = 0;
  for (double v : x) s += v;
  return s / x.size();
}

double Quantile(std::vector<double> x, double level) {
  std::sort(x.begin(), x.end());
  double pos = level * (x.size() - 1);
  size_t lo = static_cast<size_t>(std::floor(pos));
  size_t hi = std::min(lo + 1, x.size() - 1);
  double frac = pos - lo;
  return x[lo] * (1 - frac) + x[hi] * frac;
}

std::vector<double> Acf(absl::Span<const double> x, int max_lag) {
  const int n = x.size();
  std::vector<double> out;
  double mean = Mean(x);
  double denom = 0;
  for (double v : x) denom += (v - mean) * (v - mean);
  for (int k = 1; k <= max_lag && k < n; ++k) {
    double num = 0;
    for (int t = k; t < n; ++t) num += (x[t] - mean) * (x[t - k] - mean);
    out.push_back(denom > 0 ? num / denom : 0);
  }
  return out;
}

Line FitLine(absl::Span<const double> x) {
  const int n = x.size();
  if (n == 0) return {};
  if (n == 1) return {x[0], 0};
  double mt = (n - 1) / 2.0, my = Mean(x), sxy = 0, sxx = 0;
  for (int i = 0; i < n; ++i) {
    sxy += (i - mt) * (x[i] - my);
    sxx += (i - mt) * (i - mt);
  }
  double slope = sxy / sxx;
  return {my - slope * mt, slope};
}

std::vector<double> CentredMovingAverage(absl::Span<const double> x, int m) {
  const int n = x.size();
  std::vector<double> out(n, std::numeric_limits<double>::quiet_NaN());
  if (m <= 1) return std::vector<double>(x.begin(), x.end());
  const int half = m / 2;
  // Prefix sums make every window O(1).
  std::vector<double> prefix(n + 1, 0);
  for (int i = 0; i < n; ++i) prefix[i + 1] = prefix[i] + x[i];
  for (int t = half; t + half < n; ++t) {
    if (m % 2 == 1) {
      out[t] = (prefix[t + half + 1] - prefix[t - half]) / m;
    } else {
      double inner = prefix[t + half] - prefix[t - half + 1];
      out[t] = (inner + 0.5 * (x[t - half] + x[t + half])) / m;
    }
  }
  return out;
}

}  // namespace storepilot::forecast::internal
