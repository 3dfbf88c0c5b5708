#include "forecast/internal/intervals.h"

#include <algorithm>
#include <cmath>

#include "forecast/internal/stats.h"

namespace storepilot::forecast::internal {
namespace {

std::vector<std::vector<double>> Apply(absl::Span<const double> point,
                                       const std::vector<double>& sigma,
                                       const std::vector<double>& z,
                                       bool log_scale) {
  std::vector<std::vector<double>> out(z.size(),
                                       std::vector<double>(point.size()));
  for (size_t i = 0; i < z.size(); ++i) {
    for (size_t h = 0; h < point.size(); ++h) {
      double offset = sigma[h] * z[i];
      out[i][h] = log_scale ? point[h] * std::exp(offset) : point[h] + offset;
    }
  }
  return out;
}

// Effective number of independent errors among the standardised ones.
double EffectiveSize(const std::vector<std::vector<double>>& z_rows) {
  double total = 0, n = 0;
  size_t h_max = 0;
  for (const auto& row : z_rows) {
    for (double v : row) total += v * v;
    n += row.size();
    h_max = std::max(h_max, row.size());
  }
  if (total <= 0) return n;
  double rho_sum = 0;
  for (size_t k = 1; k < h_max; ++k) {
    double c = 0;
    for (const auto& row : z_rows) {
      for (size_t h = k; h < row.size(); ++h) c += row[h] * row[h - k];
    }
    double rho = c / total;
    if (rho <= 0) break;
    rho_sum += rho;
  }
  return n / (1 + 2 * rho_sum);
}

}  // namespace

double NormalQuantile(double p) {
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                 -2.759285104469687e+02, 1.383577518672690e+02,
                                 -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                 -1.556989798598866e+02, 6.680131188771972e+01,
                                 -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                 -2.400758277161838e+00, -2.549732539343734e+00,
                                 4.374664141464968e+00, 2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                                 2.445134137142996e+00, 3.754408661907416e+00};
  const double plow = 0.02425;
  if (p < plow) {
    double q = std::sqrt(-2 * std::log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - plow) return -NormalQuantile(1 - p);
  double q = p - 0.5, r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

double StudentQuantile(double p, double dof) {
  const double z = NormalQuantile(p), z2 = z * z;
  const double g1 = (z2 + 1) * z / 4;
  const double g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
  const double g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
  const double g4 =
      ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160;
  return z + g1 / dof + g2 / (dof * dof) + g3 / (dof * dof * dof) +
         g4 / (dof * dof * dof * dof);
}

std::vector<std::vector<double>> QuantilesFromErrors(
    absl::Span<const double> point,
    const std::vector<std::vector<double>>& errors,
    absl::Span<const double> levels, bool log_scale) {
  const int horizon = point.size();
  // Least squares of e^2 on (1, h + 1), then clipped to a, b >= 0.
  double s1 = 0, sh = 0, shh = 0, se = 0, she = 0;
  for (const auto& row : errors) {
    for (int h = 0; h < horizon; ++h) {
      double x = h + 1, e2 = row[h] * row[h];
      s1 += 1;
      sh += x;
      shh += x * x;
      se += e2;
      she += x * e2;
    }
  }
  double det = s1 * shh - sh * sh;
  double b = det > 0 ? (s1 * she - sh * se) / det : 0;
  double a = (se - b * sh) / s1;
  if (b < 0) {
    b = 0;
    a = se / s1;
  } else if (a < 0) {
    a = 0;
    b = she / shh;
  }
  std::vector<double> sigma(horizon);
  for (int h = 0; h < horizon; ++h) sigma[h] = std::sqrt(a + b * (h + 1));
  std::vector<double> z;
  std::vector<std::vector<double>> z_rows;
  for (const auto& row : errors) {
    z_rows.emplace_back();
    for (int h = 0; h < horizon; ++h) {
      if (sigma[h] > 0) {
        z.push_back(row[h] / sigma[h]);
        z_rows.back().push_back(z.back());
      }
    }
  }
  std::vector<double> offsets(levels.size(), 0);
  if (!z.empty()) {
    double centre = Quantile(z, 0.5), spread = 0;
    for (double v : z) spread += (v - centre) * (v - centre);
    spread = std::sqrt(spread / z.size());
    const double dof = std::max(EffectiveSize(z_rows), 3.0);
    for (size_t i = 0; i < levels.size(); ++i) {
      offsets[i] = centre + spread * StudentQuantile(levels[i], dof);
    }
  }
  return Apply(point, sigma, offsets, log_scale);
}

std::vector<std::vector<double>> QuantilesFromRandomWalk(
    absl::Span<const double> point, absl::Span<const double> y,
    absl::Span<const double> levels, bool log_scale) {
  std::vector<double> changes;
  for (size_t t = 1; t < y.size(); ++t) {
    changes.push_back(log_scale ? std::log(y[t] / y[t - 1]) : y[t] - y[t - 1]);
  }
  double sd = 0;
  if (changes.size() > 1) {
    double mean = Mean(changes);
    for (double c : changes) sd += (c - mean) * (c - mean);
    sd = std::sqrt(sd / (changes.size() - 1));
  }
  std::vector<double> sigma(point.size());
  for (size_t h = 0; h < point.size(); ++h) sigma[h] = sd * std::sqrt(h + 1.0);
  std::vector<double> z(levels.size());
  for (size_t i = 0; i < levels.size(); ++i) z[i] = NormalQuantile(levels[i]);
  return Apply(point, sigma, z, log_scale);
}

}  // namespace storepilot::forecast::internal
