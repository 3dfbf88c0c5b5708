#include "forecast/autoregression.h"

#include <cmath>

#include "forecast/internal/test_series.h"
#include "gtest/gtest.h"

namespace storepilot::forecast {
namespace {

using internal::MakeSeries;
using internal::SeriesSpec;

double MeanAbsError(const std::vector<double>& f, const std::vector<double>& truth,
                    int offset) {
  double sum = 0;
  for (size_t h = 0; h < f.size(); ++h) sum += std::abs(f[h] - truth[offset + h]);
  return sum / f.size();
}

TEST(AutoregressionForecast, LearnsDailyAndWeeklyCycles) {
  SeriesSpec spec{.length = 24 * 7 * 5, .level = 200, .period = 24,
                  .amplitude = 40, .weekly_amplitude = 20, .noise = 2};
  std::vector<double> y = MakeSeries(spec);
  spec.length += 48;
  spec.noise = 0;
  std::vector<double> truth = MakeSeries(spec);
  struct Case {
    const char* name;
    AutoregressionOptions options;
  } cases[] = {{"recursive", {}},
               {"direct", {.direct = true}},
               {"seasonal difference", {.seasonal_difference = true}},
               {"recent history", {.max_history = 3 * 168}}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto f = AutoregressionForecast(y, 48, {24, 168}, c.options);
    ASSERT_TRUE(f.ok()) << f.status();
    EXPECT_LT(MeanAbsError(*f, truth, y.size()), 6.0);
  }
}

TEST(AutoregressionForecast, ShortLagsWithoutPeriodAndNegativeData) {
  // A mean-reverting AR(1) around -5: forecasts move toward the mean.
  std::vector<double> y = {0};
  for (int t = 1; t < 200; ++t) y.push_back(-5 + 0.5 * (y[t - 1] + 5) + ((t * 7919) % 13 - 6) * 0.1);
  y.back() = 5;
  auto f = AutoregressionForecast(y, 10, {});
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_LT((*f)[0], 5);
  EXPECT_NEAR((*f)[9], -5, 1.0);
}

TEST(AutoregressionForecast, RejectsTooShortSeries) {
  EXPECT_FALSE(AutoregressionForecast(MakeSeries({.length = 50}), 5, {24}).ok());
  EXPECT_FALSE(AutoregressionForecast(MakeSeries({.length = 500}), 0, {24}).ok());
}

}  // namespace
}  // namespace storepilot::forecast
