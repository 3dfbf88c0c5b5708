#include "forecast/metrics.h"

#include "gtest/gtest.h"

namespace storepilot::forecast {
namespace {

TEST(Smape, MatchesDefinition) {
  // |10 - 12| / (10 + 12) * 200 = 18.18..., second term exact.
  EXPECT_NEAR(Smape({10, 5}, {12, 5}), 200.0 * 2 / 22 / 2, 1e-12);
  EXPECT_DOUBLE_EQ(Smape({0}, {0}), 0);
}

TEST(Mase, ScalesBySeasonalNaiveError) {
  std::vector<double> train = {1, 2, 3, 5, 6, 7};  // lag-3 changes: 4, 4, 4
  EXPECT_DOUBLE_EQ(MaseScale(train, 3), 4);
  EXPECT_DOUBLE_EQ(MaseScale(train, 1), (1 + 1 + 2 + 1 + 1) / 5.0);
  EXPECT_DOUBLE_EQ(MaseScale(train, 10), MaseScale(train, 1));
  EXPECT_DOUBLE_EQ(Mase({10, 10}, {12, 6}, 2), 1.5);
}

TEST(Evaluate, ComputesOwaAgainstNaive2) {
  std::vector<NamedSeries> train = {{"A", {1, 2, 3, 4, 5, 6}}};
  std::vector<NamedSeries> actual = {{"A", {7, 8}}};
  // Naive2 without seasonality is the last value (6, 6).
  std::vector<NamedSeries> perfect = {{"A", {7, 8}}};
  auto r = Evaluate(train, actual, perfect, {}, 1);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_DOUBLE_EQ(r->smape, 0);
  EXPECT_DOUBLE_EQ(r->owa, 0);
  std::vector<NamedSeries> naive = {{"A", {6, 6}}};
  r = Evaluate(train, actual, naive, {}, 1);
  ASSERT_TRUE(r.ok());
  EXPECT_DOUBLE_EQ(r->owa, 1);
  EXPECT_DOUBLE_EQ(r->mase, 1.5);  // mean |error| 1.5, scale 1
}

TEST(Evaluate, ReportsCoverage) {
  std::vector<NamedSeries> train = {{"A", {1, 2, 3, 4}}};
  std::vector<NamedSeries> actual = {{"A", {5, 9}}};
  std::vector<NamedSeries> point = {{"A", {5, 5}}};
  std::vector<QuantileRow> q = {{"A", 0.05, {4, 4}}, {"A", 0.95, {6, 6}}};
  auto r = Evaluate(train, actual, point, q, 1);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->intervals.size(), 1u);
  EXPECT_DOUBLE_EQ(r->intervals[0].coverage, 0.5);
  ASSERT_EQ(r->quantiles.size(), 2u);
  EXPECT_DOUBLE_EQ(r->quantiles[1].hit_rate, 0.5);  // 5 <= 6, 9 > 6
  // MSIS: widths 2 + 2, penalty 2 / 0.1 * 3 for the second point; scale 1.
  EXPECT_DOUBLE_EQ(r->intervals[0].msis, (2 + 2 + 60) / 2.0);
}

TEST(Evaluate, RejectsInconsistentInput) {
  std::vector<NamedSeries> train = {{"A", {1, 2, 3}}};
  std::vector<NamedSeries> actual = {{"A", {4}}};
  EXPECT_FALSE(Evaluate(train, actual, {}, {}, 1).ok());
  std::vector<NamedSeries> missing = {{"B", {4}}};
  EXPECT_FALSE(Evaluate(train, actual, missing, {}, 1).ok());
  std::vector<NamedSeries> too_long = {{"A", {4, 5}}};
  EXPECT_FALSE(Evaluate(train, actual, too_long, {}, 1).ok());
  std::vector<NamedSeries> flat = {{"A", {2, 2, 2}}};
  std::vector<NamedSeries> f = {{"A", {2}}};
  EXPECT_FALSE(Evaluate(flat, actual, f, {}, 1).ok());
  std::vector<QuantileRow> q = {{"Z", 0.5, {1}}};
  EXPECT_FALSE(Evaluate(train, actual, f, q, 1).ok());
}

}  // namespace
}  // namespace storepilot::forecast
