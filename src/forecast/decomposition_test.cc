#include "forecast/decomposition.h"

#include <cmath>

#include "forecast/internal/test_series.h"
#include "gtest/gtest.h"

namespace storepilot::forecast {
namespace {

using internal::MakeSeries;
using internal::SeriesSpec;

TEST(DecomposeMultiSeasonal, SeparatesDailyAndWeeklyCycles) {
  SeriesSpec spec{.length = 24 * 7 * 6, .level = 100, .period = 24,
                  .amplitude = 10, .weekly_amplitude = 5};
  MultiSeasonalOptions options;
  options.log_scale = false;
  auto d = DecomposeMultiSeasonal(MakeSeries(spec), {24, 168}, options);
  ASSERT_TRUE(d.ok()) << d.status();
  ASSERT_EQ(d->periods.size(), 2u);
  // The daily profile is the daily sine; the weekly one carries no daily
  // cycle (its per-hour-of-day means are zero).
  EXPECT_NEAR(d->profiles[0][6], 10, 0.5);
  EXPECT_NEAR(d->profiles[0][18], -10, 0.5);
  double hour0 = 0;
  for (int day = 0; day < 7; ++day) hour0 += d->profiles[1][day * 24];
  EXPECT_NEAR(hour0, 0, 1e-6);
  for (double v : d->adjusted) EXPECT_NEAR(v, 100, 1.5);
}

TEST(MultiSeasonalForecast, ContinuesBothCycles) {
  SeriesSpec spec{.length = 24 * 7 * 6, .level = 100, .period = 24,
                  .amplitude = 20, .weekly_amplitude = 10, .noise = 0.5};
  std::vector<double> y = MakeSeries(spec);
  spec.length += 48;
  spec.noise = 0;
  std::vector<double> truth = MakeSeries(spec);
  for (RemainderModel m : {RemainderModel::kEts, RemainderModel::kTheta,
                           RemainderModel::kSes}) {
    auto f = MultiSeasonalForecast(y, 48, {24, 168}, m);
    ASSERT_TRUE(f.ok()) << f.status();
    double mae = 0;
    for (int h = 0; h < 48; ++h) mae += std::abs((*f)[h] - truth[y.size() + h]) / 48;
    EXPECT_LT(mae, 3.0);
  }
}

TEST(MultiSeasonalForecast, DropsPeriodsWithoutTwoCyclesAndRejectsBadInput) {
  auto d = DecomposeMultiSeasonal(MakeSeries({.length = 100, .amplitude = 3}),
                                  {24, 168});
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d->periods.size(), 1u);
  EXPECT_EQ(d->periods[0], 24);
  EXPECT_FALSE(DecomposeMultiSeasonal({}, {24}).ok());
  EXPECT_FALSE(MultiSeasonalForecast({1, 2, 3}, 0, {}, RemainderModel::kEts).ok());
}

}  // namespace
}  // namespace storepilot::forecast
