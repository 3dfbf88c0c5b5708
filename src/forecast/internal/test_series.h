#ifndef STOREPILOT_FORECAST_INTERNAL_TEST_SERIES_H_
#define STOREPILOT_FORECAST_INTERNAL_TEST_SERIES_H_

#include <cmath>
#include <random>
#include <vector>

namespace storepilot::forecast::internal {

// Synthetic series with known structure for the tests: level + slope * t +
// amplitude * sin(2 pi t / period) + weekly_amplitude * sin(2 pi t /
// (7 * period)) + Gaussian noise (seeded, so every run is identical).
struct SeriesSpec {
  int length = 240;
  double level = 100;
  double slope = 0;
  int period = 24;
  double amplitude = 0;
  double weekly_amplitude = 0;
  double noise = 0;
  unsigned seed = 1;
};

inline std::vector<double> MakeSeries(const SeriesSpec& s) {
  std::mt19937 rng(s.seed);
  std::normal_distribution<double> normal(0, 1);
  std::vector<double> y(s.length);
  const double kTwoPi = 6.283185307179586;
  for (int t = 0; t < s.length; ++t) {
    y[t] = s.level + s.slope * t +
           s.amplitude * std::sin(kTwoPi * t / s.period) +
           s.weekly_amplitude * std::sin(kTwoPi * t / (7.0 * s.period)) +
           s.noise * normal(rng);
  }
  return y;
}

}  // namespace storepilot::forecast::internal

#endif  // STOREPILOT_FORECAST_INTERNAL_TEST_SERIES_H_
