#include "forecast/seasonality.h"

#include "forecast/internal/test_series.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace storepilot::forecast {
namespace {

using internal::MakeSeries;
using internal::SeriesSpec;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(SeasonalityTest, DetectsCycleAndRejectsNoise) {
  SeriesSpec seasonal{.length = 288, .period = 24, .amplitude = 10, .noise = 1};
  EXPECT_TRUE(SeasonalityTest(MakeSeries(seasonal), 24));
  SeriesSpec noise{.length = 240, .noise = 1};
  EXPECT_FALSE(SeasonalityTest(MakeSeries(noise), 24));
  // Fewer than 3 cycles, or period 1: never seasonal.
  EXPECT_FALSE(SeasonalityTest(MakeSeries({.length = 60, .amplitude = 10}), 24));
  // M4 reads the acf only up to lag 10 log10(n): 24 is beyond it for n < 251.
  EXPECT_FALSE(SeasonalityTest(MakeSeries({.length = 240, .amplitude = 10}), 24));
  EXPECT_FALSE(SeasonalityTest(MakeSeries(seasonal), 1));
}

TEST(MultiplicativeSeasonalIndices, AverageOneAndFollowTheCycle) {
  std::vector<double> y;
  for (int c = 0; c < 10; ++c) {
    for (double f : {0.5, 1.0, 1.5, 1.0}) y.push_back(100 * f);
  }
  std::vector<double> idx = MultiplicativeSeasonalIndices(y, 4);
  ASSERT_EQ(idx.size(), 4u);
  EXPECT_NEAR(idx[0], 0.5, 1e-9);
  EXPECT_NEAR(idx[2], 1.5, 1e-9);
  EXPECT_NEAR(idx[0] + idx[1] + idx[2] + idx[3], 4, 1e-9);
}

TEST(DetectSeasonalPeriods, FindsWeeklyCycleInsideHourlyData) {
  SeriesSpec s{.length = 24 * 7 * 5, .period = 24, .amplitude = 10,
               .weekly_amplitude = 8, .noise = 1};
  EXPECT_THAT(DetectSeasonalPeriods(MakeSeries(s), 24), ElementsAre(24, 168));
  s.weekly_amplitude = 0;
  EXPECT_THAT(DetectSeasonalPeriods(MakeSeries(s), 24), ElementsAre(24));
}

TEST(DetectSeasonalPeriods, FindsUnknownPeriod) {
  SeriesSpec s{.length = 120, .period = 12, .amplitude = 5, .noise = 0.5};
  EXPECT_THAT(DetectSeasonalPeriods(MakeSeries(s), 1), ElementsAre(12));
  SeriesSpec noise{.length = 120, .noise = 1, .seed = 3};
  EXPECT_THAT(DetectSeasonalPeriods(MakeSeries(noise), 1), IsEmpty());
}

}  // namespace
}  // namespace storepilot::forecast
