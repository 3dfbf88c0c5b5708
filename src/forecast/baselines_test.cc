#include "forecast/baselines.h"

#include "forecast/internal/test_series.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace storepilot::forecast {
namespace {

using internal::MakeSeries;
using ::testing::ElementsAre;

TEST(NaiveForecast, RepeatsLastValue) {
  auto f = NaiveForecast({1, 2, 3}, 2);
  ASSERT_TRUE(f.ok());
  EXPECT_THAT(*f, ElementsAre(3, 3));
}

TEST(SeasonalNaiveForecast, RepeatsLastCycle) {
  auto f = SeasonalNaiveForecast({1, 2, 3, 4, 5, 6}, 5, 3);
  ASSERT_TRUE(f.ok());
  EXPECT_THAT(*f, ElementsAre(4, 5, 6, 4, 5));
  // Shorter than one cycle: naive.
  f = SeasonalNaiveForecast({1, 2}, 2, 3);
  ASSERT_TRUE(f.ok());
  EXPECT_THAT(*f, ElementsAre(2, 2));
}

TEST(Baselines, RejectBadArguments) {
  EXPECT_FALSE(NaiveForecast({}, 1).ok());
  EXPECT_FALSE(NaiveForecast({1}, 0).ok());
  EXPECT_FALSE(SeasonalNaiveForecast({}, 1, 2).ok());
  EXPECT_FALSE(Naive2Forecast({1}, 0, 1).ok());
  EXPECT_FALSE(ThetaForecast({}, 3, 1).ok());
}

TEST(Naive2Forecast, ReseasonalisesTheLastValue) {
  // A pure multiplicative cycle: Naive2 continues it exactly.
  std::vector<double> y;
  for (int c = 0; c < 12; ++c) {
    for (double f : {0.5, 1.0, 1.5, 1.0}) y.push_back(100 * f);
  }
  auto f = Naive2Forecast(y, 4, 4);
  ASSERT_TRUE(f.ok());
  for (int h = 0; h < 4; ++h) EXPECT_NEAR((*f)[h], y[h], 1e-6);
  // Without a cycle it is the naive forecast.
  f = Naive2Forecast({5, 6, 7}, 2, 4);
  ASSERT_TRUE(f.ok());
  EXPECT_THAT(*f, ElementsAre(7, 7));
}

TEST(ThetaForecast, FollowsALinearTrend) {
  std::vector<double> y = MakeSeries({.length = 60, .level = 10, .slope = 2});
  auto f = ThetaForecast(y, 5, 1);
  ASSERT_TRUE(f.ok());
  // SES tracks the last value; the drift adds half the slope per step (the
  // theta-0 line's share), so forecasts rise from the last value.
  EXPECT_GT((*f)[0], y.back());
  EXPECT_GT((*f)[4], (*f)[0]);
  EXPECT_NEAR((*f)[1] - (*f)[0], 1.0, 1e-6);
}

}  // namespace
}  // namespace storepilot::forecast
