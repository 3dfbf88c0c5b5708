#include "forecast/baselines.h"

#include <cmath>

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
  EXPECT_FALSE(OptimisedThetaForecast({1, 2}, 3, 1, false).ok());
  EXPECT_FALSE(OptimisedThetaForecast({1, 2, 3}, 0, 1, true).ok());
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

TEST(OptimisedThetaForecast, KeepsAConstantSeriesConstant) {
  for (bool dynamic : {false, true}) {
    auto f = OptimisedThetaForecast(std::vector<double>(20, 7.0), 4, 1, dynamic);
    ASSERT_TRUE(f.ok());
    for (double v : *f) EXPECT_NEAR(v, 7.0, 1e-9);
  }
}

TEST(OptimisedThetaForecast, FollowsACleanTrendCloserThanTheta) {
  // y = 10 + 2t: standard Theta adds half the slope per step; with the theta
  // weight fitted (up to theta = 5, i.e. 80% of the trend line) the forecast
  // rises faster, but never faster than the trend itself.
  std::vector<double> y = MakeSeries({.length = 60, .level = 10, .slope = 2});
  for (bool dynamic : {false, true}) {
    SCOPED_TRACE(dynamic);
    auto f = OptimisedThetaForecast(y, 5, 1, dynamic);
    ASSERT_TRUE(f.ok());
    for (int h = 0; h < 5; ++h) {
      EXPECT_NEAR((*f)[h], 10 + 2 * (60 + h), 3.0);
      if (h > 0) {
        EXPECT_GT((*f)[h] - (*f)[h - 1], 1.0 + 1e-6);
        EXPECT_LE((*f)[h] - (*f)[h - 1], 2.0 + 1e-6);
      }
    }
  }
}

TEST(OptimisedThetaForecast, ReseasonalisesAMultiplicativeCycle) {
  std::vector<double> y;
  for (int c = 0; c < 12; ++c) {
    for (double f : {0.5, 1.0, 1.5, 1.0}) y.push_back(100 * f);
  }
  for (bool dynamic : {false, true}) {
    auto f = OptimisedThetaForecast(y, 8, 4, dynamic);
    ASSERT_TRUE(f.ok());
    for (int h = 0; h < 8; ++h) EXPECT_NEAR((*f)[h], y[h], 1e-6);
  }
}

TEST(OptimisedThetaForecast, DynamicTrendIsNotFooledByALevelShift) {
  // Flat at 100, then flat at 120 for the last quarter: the line through the
  // whole series slopes upward, and OTM extrapolates part of it; DOTM's
  // one-step fit sees that the running trend line mispredicts, so it leans on
  // the level and stays near 120.
  std::vector<double> y = MakeSeries({.length = 40, .level = 100, .noise = 1});
  for (int t = 30; t < 40; ++t) y[t] += 20;
  auto otm = OptimisedThetaForecast(y, 3, 1, false);
  auto dotm = OptimisedThetaForecast(y, 3, 1, true);
  ASSERT_TRUE(otm.ok());
  ASSERT_TRUE(dotm.ok());
  for (double v : *dotm) EXPECT_NEAR(v, 120, 2.0);
  EXPECT_LT(std::abs((*dotm)[2] - (*dotm)[0]), std::abs((*otm)[2] - (*otm)[0]));
}

}  // namespace
}  // namespace storepilot::forecast
