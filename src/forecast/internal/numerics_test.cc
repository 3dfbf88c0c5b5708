#include <cmath>

#include "forecast/internal/intervals.h"
#include "forecast/internal/nelder_mead.h"
#include "forecast/internal/stats.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace storepilot::forecast::internal {
namespace {

TEST(NelderMead, FindsTheMinimumOfRosenbrock) {
  auto f = [](const std::vector<double>& p) {
    return 100 * std::pow(p[1] - p[0] * p[0], 2) + std::pow(1 - p[0], 2);
  };
  double value = 0;
  std::vector<double> p =
      NelderMead(f, {-1.2, 1}, {.max_evaluations = 2000, .tolerance = 1e-14}, &value);
  EXPECT_NEAR(p[0], 1, 1e-3);
  EXPECT_NEAR(p[1], 1, 1e-3);
  EXPECT_LT(value, 1e-6);
}

TEST(Stats, QuantileAcfLineAndMovingAverage) {
  EXPECT_DOUBLE_EQ(Quantile({4, 1, 3, 2}, 0.5), 2.5);
  EXPECT_DOUBLE_EQ(Quantile({4, 1, 3, 2}, 1), 4);
  std::vector<double> alt = {1, -1, 1, -1, 1, -1, 1, -1};
  EXPECT_LT(Acf(alt, 2)[0], -0.8);
  EXPECT_GT(Acf(alt, 2)[1], 0.6);
  Line line = FitLine({1, 3, 5, 7});
  EXPECT_DOUBLE_EQ(line.intercept, 1);
  EXPECT_DOUBLE_EQ(line.slope, 2);
  std::vector<double> ma = CentredMovingAverage({1, 2, 3, 4, 5, 6}, 2);
  EXPECT_TRUE(std::isnan(ma[0]));
  EXPECT_DOUBLE_EQ(ma[1], 2);  // (0.5 * 1 + 2 + 0.5 * 3) / 2
}

TEST(Intervals, NormalAndStudentQuantiles) {
  EXPECT_NEAR(NormalQuantile(0.975), 1.959964, 1e-5);
  EXPECT_NEAR(NormalQuantile(0.01), -2.326348, 1e-5);
  EXPECT_NEAR(StudentQuantile(0.975, 10), 2.228, 0.01);
  EXPECT_NEAR(StudentQuantile(0.975, 1000), 1.962, 0.01);
}

TEST(Intervals, ErrorsWidenWithTheHorizon) {
  // Errors growing like sqrt(h): the interval widens along the horizon.
  std::vector<std::vector<double>> errors;
  for (int w = 0; w < 8; ++w) {
    std::vector<double> row;
    for (int h = 0; h < 10; ++h) row.push_back((w % 2 ? 1 : -1) * std::sqrt(h + 1.0));
    errors.push_back(row);
  }
  std::vector<double> point(10, 100);
  auto q = QuantilesFromErrors(point, errors, {0.05, 0.95}, false);
  ASSERT_EQ(q.size(), 2u);
  EXPECT_LT(q[0][0], 100);
  EXPECT_GT(q[1][0], 100);
  EXPECT_GT(q[1][9] - q[0][9], q[1][0] - q[0][0]);
  auto rw = QuantilesFromRandomWalk(point, {1, 2, 1, 2, 1}, {0.5}, false);
  EXPECT_DOUBLE_EQ(rw[0][3], 100);
}

}  // namespace
}  // namespace storepilot::forecast::internal
