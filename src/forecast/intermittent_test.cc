#include "forecast/intermittent.h"

#include "gtest/gtest.h"

namespace storepilot::forecast {
namespace {

TEST(IntermittentForecast, RegularDemandGivesItsRate) {
  // 4 units every second period: a rate of 2 per period.
  std::vector<double> y;
  for (int i = 0; i < 40; ++i) y.push_back(i % 2 == 1 ? 4 : 0);
  auto croston = IntermittentForecast(y, 3, IntermittentMethod::kCroston);
  ASSERT_TRUE(croston.ok());
  EXPECT_NEAR((*croston)[0], 2, 1e-9);
  EXPECT_EQ(croston->size(), 3u);
  auto sba = IntermittentForecast(y, 1, IntermittentMethod::kSba);
  ASSERT_TRUE(sba.ok());
  EXPECT_NEAR((*sba)[0], 2 * (1 - 0.1 / 2), 1e-9);
  auto tsb = IntermittentForecast(y, 1, IntermittentMethod::kTsb);
  ASSERT_TRUE(tsb.ok());
  EXPECT_NEAR((*tsb)[0], 2, 0.15);
}

TEST(IntermittentForecast, TsbDecaysAfterDemandStops) {
  std::vector<double> y(20, 0);
  for (int i = 0; i < 20; i += 2) y[i] = 3;
  y.insert(y.end(), 30, 0);  // the product stopped selling
  auto tsb = IntermittentForecast(y, 1, IntermittentMethod::kTsb);
  auto croston = IntermittentForecast(y, 1, IntermittentMethod::kCroston);
  ASSERT_TRUE(tsb.ok() && croston.ok());
  EXPECT_LT((*tsb)[0], 0.1);
  EXPECT_GT((*croston)[0], 1);  // Croston only updates on demand
}

TEST(IntermittentForecast, HandlesEdgesAndErrors) {
  auto zeros = IntermittentForecast({0, 0, 0}, 2, IntermittentMethod::kSba);
  ASSERT_TRUE(zeros.ok());
  EXPECT_EQ((*zeros)[1], 0);
  EXPECT_FALSE(IntermittentForecast({}, 1, IntermittentMethod::kSba).ok());
  EXPECT_FALSE(IntermittentForecast({1}, 0, IntermittentMethod::kSba).ok());
  EXPECT_FALSE(IntermittentForecast({1, -1}, 1, IntermittentMethod::kSba).ok());
  EXPECT_FALSE(
      IntermittentForecast({1}, 1, IntermittentMethod::kTsb, {.alpha = 0}).ok());
  EXPECT_DOUBLE_EQ(ZeroShare({0, 1, 0, 2}), 0.5);
}

}  // namespace
}  // namespace storepilot::forecast
