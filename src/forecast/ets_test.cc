#include "forecast/ets.h"

#include <cmath>

#include "forecast/internal/test_series.h"
#include "gtest/gtest.h"

namespace storepilot::forecast {
namespace {

using internal::MakeSeries;

double MaxAbsError(const std::vector<double>& f, const std::vector<double>& y,
                   int offset) {
  double worst = 0;
  for (size_t h = 0; h < f.size(); ++h) {
    worst = std::max(worst, std::abs(f[h] - y[offset + h]));
  }
  return worst;
}

TEST(FitEts, SimpleSmoothingOfAFlatSeriesIsFlat) {
  std::vector<double> y = MakeSeries({.length = 50, .level = 20, .noise = 0.1});
  auto fit = FitEts(y, 1, {ErrorType::kAdditive, TrendType::kNone, SeasonType::kNone});
  ASSERT_TRUE(fit.ok()) << fit.status();
  std::vector<double> f = fit->Forecast(5);
  for (double v : f) EXPECT_NEAR(v, 20, 0.3);
  EXPECT_EQ(fit->spec.Name(), "ANN");
}

TEST(FitEts, TrendModelExtrapolatesTheSlope) {
  std::vector<double> y = MakeSeries({.length = 80, .level = 10, .slope = 3, .noise = 0.5});
  auto fit = FitEts(y, 1, {ErrorType::kAdditive, TrendType::kAdditive, SeasonType::kNone});
  ASSERT_TRUE(fit.ok()) << fit.status();
  std::vector<double> truth = MakeSeries({.length = 90, .level = 10, .slope = 3});
  EXPECT_LT(MaxAbsError(fit->Forecast(10), truth, 80), 3.0);
  EXPECT_NEAR(fit->slope, 3, 0.5);
}

TEST(FitEts, SeasonalModelsContinueTheCycle) {
  internal::SeriesSpec spec{.length = 96, .level = 50, .period = 12,
                            .amplitude = 10, .noise = 0.3};
  std::vector<double> y = MakeSeries(spec);
  spec.length = 108;
  spec.noise = 0;
  std::vector<double> truth = MakeSeries(spec);
  for (EtsSpec s : {EtsSpec{ErrorType::kAdditive, TrendType::kNone, SeasonType::kAdditive},
                    EtsSpec{ErrorType::kMultiplicative, TrendType::kDamped,
                            SeasonType::kMultiplicative}}) {
    SCOPED_TRACE(s.Name());
    auto fit = FitEts(y, 12, s);
    ASSERT_TRUE(fit.ok()) << fit.status();
    EXPECT_LT(MaxAbsError(fit->Forecast(12), truth, 96), 2.5);
  }
}

TEST(AutoEts, PrefersSeasonalModelForSeasonalData) {
  std::vector<double> y = MakeSeries(
      {.length = 96, .level = 50, .period = 12, .amplitude = 10, .noise = 0.5});
  auto fit = AutoEts(y, 12);
  ASSERT_TRUE(fit.ok()) << fit.status();
  EXPECT_NE(fit->spec.season, SeasonType::kNone) << fit->spec.Name();
  auto plain = AutoEts(y, 12, /*allow_season=*/false);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->spec.season, SeasonType::kNone);
  EXPECT_LT(fit->aicc, plain->aicc);
}

TEST(FitEts, RejectsUnfitData) {
  EtsSpec mult{ErrorType::kMultiplicative, TrendType::kNone, SeasonType::kNone};
  EXPECT_FALSE(FitEts({1, 2, 3}, 1, mult).ok());  // too short
  EXPECT_FALSE(FitEts({1, 2, -3, 4, 5}, 1, mult).ok());
  EtsSpec seasonal{ErrorType::kAdditive, TrendType::kNone, SeasonType::kAdditive};
  EXPECT_FALSE(FitEts({1, 2, 3, 4, 5, 6}, 4, seasonal).ok());  // < 2 cycles
  // AutoEts falls back to additive models for data with zeros.
  auto fit = AutoEts({0, 1, 0, 2, 1, 0, 3, 1}, 1);
  ASSERT_TRUE(fit.ok()) << fit.status();
  EXPECT_EQ(fit->spec.error, ErrorType::kAdditive);
}

}  // namespace
}  // namespace storepilot::forecast
