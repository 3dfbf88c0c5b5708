#include "forecast/intermittent.h"

#include "absl/status/status.h"

namespace storepilot::forecast {

double ZeroShare(absl::Span<const double> y) {
  if (y.empty()) return 0;
  int zeros = 0;
  for (double v : y) zeros += v == 0;
  return static_cast<double>(zeros) / y.size();
}

absl::StatusOr<std::vector<double>> IntermittentForecast(
    absl::Span<const double> y, int horizon, IntermittentMethod method,
    const IntermittentOptions& options) {
  if (y.empty()) return absl::InvalidArgumentError("empty series");
  if (horizon < 1) return absl::InvalidArgumentError("horizon must be >= 1");
  const double a = options.alpha, b = options.beta;
  if (!(a > 0 && a <= 1) || !(b > 0 && b <= 1)) {
    return absl::InvalidArgumentError("smoothing constants must be in (0, 1]");
  }
  for (double v : y) {
    if (v < 0) return absl::InvalidArgumentError("demand must be >= 0");
  }
  // Sizes and intervals start from the first demand, as Croston proposed.
  double size = 0, interval = 1, prob = 0;
  int since = 0, first = -1;
  for (size_t t = 0; t < y.size(); ++t) {
    ++since;
    if (y[t] > 0 && first < 0) {
      first = t;
      size = y[t];
      interval = t + 1;
      prob = 1.0 / (t + 1);
      since = 0;
      continue;
    }
    if (first < 0) continue;
    prob += b * ((y[t] > 0 ? 1.0 : 0.0) - prob);
    if (y[t] > 0) {
      size += a * (y[t] - size);
      interval += a * (since - interval);
      since = 0;
    }
  }
  if (first < 0) return std::vector<double>(horizon, 0.0);
  double value = 0;
  switch (method) {
    case IntermittentMethod::kCroston: value = size / interval; break;
    case IntermittentMethod::kSba: value = (1 - a / 2) * size / interval; break;
    case IntermittentMethod::kTsb: value = prob * size; break;
  }
  return std::vector<double>(horizon, value);
}

}  // namespace storepilot::forecast
