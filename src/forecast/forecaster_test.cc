#include "forecast/forecaster.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "forecast/internal/candidates.h"
#include "forecast/internal/test_series.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace storepilot::forecast {
namespace {

using internal::MakeSeries;
using internal::SeriesSpec;

Forecaster Make(ForecastOptions options) {
  auto f = Forecaster::Create(options);
  EXPECT_TRUE(f.ok()) << f.status();
  return *std::move(f);
}

TEST(Forecaster, RejectsBadOptionsAndInput) {
  EXPECT_FALSE(Forecaster::Create({.horizon = 0}).ok());
  EXPECT_FALSE(Forecaster::Create({.horizon = 1, .season = 0}).ok());
  EXPECT_FALSE(Forecaster::Create({.horizon = 1, .quantiles = {0.5, 1.0}}).ok());
  EXPECT_FALSE(Forecaster::Create({.horizon = 1, .holdout_windows = 0}).ok());
  EXPECT_FALSE(Forecaster::Create({.horizon = 1, .max_history = -1}).ok());
  Forecaster f = Make({.horizon = 2});
  EXPECT_FALSE(f.Forecast({}).ok());
  EXPECT_FALSE(f.Forecast({1, NAN, 3}).ok());
  Forecaster croston = Make({.horizon = 2, .method = Method::kCroston});
  EXPECT_FALSE(croston.Forecast({1, -2, 3}).ok());
}

TEST(ParseMethod, KnowsEveryName) {
  for (const char* name : {"auto", "naive", "snaive", "naive2", "theta", "ets",
                           "mstl", "croston", "sba", "tsb"}) {
    SCOPED_TRACE(name);
    EXPECT_TRUE(ParseMethod(name).ok());
  }
  EXPECT_FALSE(ParseMethod("prophet").ok());
}

TEST(Forecaster, AutoForecastsHourlyTrafficAccurately) {
  SeriesSpec spec{.length = 24 * 7 * 5, .level = 300, .period = 24,
                  .amplitude = 80, .weekly_amplitude = 40, .noise = 5};
  std::vector<double> y = MakeSeries(spec);
  spec.length += 48;
  spec.noise = 0;
  std::vector<double> truth = MakeSeries(spec);
  Forecaster f = Make({.horizon = 48, .season = 24, .quantiles = {0.05, 0.5, 0.95}});
  auto r = f.Forecast(y);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(r->periods, ::testing::ElementsAre(24, 168));
  double mae = 0;
  for (int h = 0; h < 48; ++h) mae += std::abs(r->point[h] - truth[y.size() + h]) / 48;
  EXPECT_LT(mae, 8.0) << r->model;
  ASSERT_EQ(r->quantiles.size(), 3u);
  for (int h = 0; h < 48; ++h) {
    EXPECT_LE(r->quantiles[0][h], r->quantiles[1][h]);
    EXPECT_LE(r->quantiles[1][h], r->quantiles[2][h]);
    EXPECT_LT(r->quantiles[0][h], r->quantiles[2][h]);
  }
}

TEST(Forecaster, IntervalsAreCalibratedOnNoisySeries) {
  // White noise around a daily cycle: the 90% interval should hold about 90%
  // of future values across many series (loose bounds: 24 series).
  Forecaster f = Make({.horizon = 24, .season = 24, .quantiles = {0.05, 0.95}});
  int inside = 0, total = 0;
  for (unsigned seed = 1; seed <= 24; ++seed) {
    SeriesSpec spec{.length = 24 * 12 + 24, .level = 100, .period = 24,
                    .amplitude = 20, .noise = 4, .seed = seed};
    std::vector<double> full = MakeSeries(spec);
    std::vector<double> y(full.begin(), full.end() - 24);
    auto r = f.Forecast(y);
    ASSERT_TRUE(r.ok()) << r.status();
    for (int h = 0; h < 24; ++h) {
      double a = full[y.size() + h];
      inside += a >= r->quantiles[0][h] && a <= r->quantiles[1][h];
      ++total;
    }
  }
  double coverage = static_cast<double>(inside) / total;
  EXPECT_GT(coverage, 0.8);
  EXPECT_LT(coverage, 0.99);
}

TEST(Forecaster, IntermittentDemandUsesCrostonFamily) {
  std::vector<double> y;
  for (int i = 0; i < 120; ++i) y.push_back(i % 4 == 0 ? 8 : 0);
  Forecaster f = Make({.horizon = 7, .quantiles = {0.05, 0.5, 0.95}});
  auto r = f.Forecast(y);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(r->model, ::testing::AnyOf(::testing::HasSubstr("sba"),
                                         ::testing::HasSubstr("tsb"),
                                         ::testing::HasSubstr("croston")));
  EXPECT_NEAR(r->point[0], 2, 0.3);
  for (int h = 0; h < 7; ++h) EXPECT_GE(r->quantiles[0][h], 0);  // demand >= 0
}

TEST(Forecaster, ShortSeriesFallBackToRandomWalkIntervals) {
  Forecaster f = Make({.horizon = 4, .quantiles = {0.1, 0.9}});
  auto r = f.Forecast({10, 12, 11, 13, 12});
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->point.size(), 4u);
  // Widening with the horizon.
  EXPECT_GT(r->quantiles[1][3] - r->quantiles[0][3],
            r->quantiles[1][0] - r->quantiles[0][0]);
}

TEST(Forecaster, UsesOnlyTheLatestHistory) {
  // A level shift long ago does not matter once it is out of the window.
  std::vector<double> y(300, 1000.0);
  for (int t = 250; t < 300; ++t) y[t] = 10;
  Forecaster f = Make({.horizon = 1, .method = Method::kTheta, .max_history = 40});
  auto r = f.Forecast(y);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_NEAR(r->point[0], 10, 1e-6);
}

TEST(Forecaster, NamedMethodsRun) {
  std::vector<double> y = MakeSeries(
      {.length = 24 * 10, .level = 50, .period = 24, .amplitude = 10, .noise = 1});
  for (Method m : {Method::kNaive, Method::kSeasonalNaive, Method::kNaive2,
                   Method::kTheta, Method::kEts, Method::kMultiSeasonal,
                   Method::kSba}) {
    Forecaster f = Make({.horizon = 6, .season = 24, .method = m});
    auto r = f.Forecast(y);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->point.size(), 6u);
  }
}

// A flat, alternating series that drops sharply at its end: the holdout
// (on the flat part) ranks an autoregression first, which explodes on the
// full series, and a trend model that goes below zero; the combination
// passes over both for plausible, positive forecasts.
TEST(Forecaster, PassesOverImplausibleCandidates) {
  std::vector<double> y;
  for (int i = 0; i < 40; ++i) y.push_back(100 + (i % 2 ? 5 : -5));
  for (double v : {70.0, 40.0, 15.0}) y.push_back(v);
  ForecastOptions fo;
  fo.horizon = 4;
  fo.quantiles = {0.05, 0.95};
  auto forecaster = Forecaster::Create(fo);
  ASSERT_TRUE(forecaster.ok());
  auto fc = forecaster->Forecast(y);
  ASSERT_TRUE(fc.ok()) << fc.status();
  SCOPED_TRACE(fc->model);
  for (double v : fc->point) {
    EXPECT_GT(v, 0);
    EXPECT_LT(v, 100);
  }
}

// A series with room for fewer holdout windows than asked for is ranked on
// noisier evidence, so twice `combine_top` models are averaged; with all the
// windows, `combine_top`.
TEST(Forecaster, ShortHoldoutsAverageMoreModels) {
  auto models = [](int length) {
    std::vector<double> y =
        MakeSeries({.length = length, .level = 100, .slope = 1, .noise = 3});
    ForecastOptions fo;
    fo.horizon = 4;
    fo.detect_periods = false;
    Forecaster f = Make(fo);
    auto r = f.Forecast(y);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? r->model : std::string();
  };
  // 20 values, horizon 4: origins 16, 12, 8 (3 of 6 windows).
  std::string short_model = models(20);
  EXPECT_EQ(std::count(short_model.begin(), short_model.end(), '+'), 3) << short_model;
  std::string long_model = models(100);
  EXPECT_EQ(std::count(long_model.begin(), long_model.end(), '+'), 1) << long_model;
}

TEST(Candidates, OptimisedThetaUpToPeriod12) {
  // OTM and DOTM join Theta for non-seasonal series and periods up to 12
  // (yearly to monthly data), not for hourly cycles.
  std::vector<double> y = MakeSeries({.length = 400, .level = 100, .noise = 3});
  auto names = [&](std::vector<int> periods, int season) {
    std::vector<std::string> out;
    for (const auto& c : internal::CandidatesFor(Method::kAuto, y, periods, season)) {
      out.push_back(c.name);
    }
    return out;
  };
  using ::testing::Contains;
  using ::testing::Not;
  EXPECT_THAT(names({}, 1), Contains("otm"));
  EXPECT_THAT(names({}, 1), Contains("dotm"));
  EXPECT_THAT(names({12}, 12), Contains("dotm"));
  EXPECT_THAT(names({24, 168}, 24), Not(Contains("otm")));
  EXPECT_THAT(names({24, 168}, 24), Not(Contains("dotm")));
}

}  // namespace
}  // namespace storepilot::forecast
