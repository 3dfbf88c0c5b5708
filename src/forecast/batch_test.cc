#include "forecast/batch.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace storepilot::forecast {
namespace {

TEST(ForecastAll, KeepsInputOrderAcrossThreads) {
  auto f = Forecaster::Create({.horizon = 1, .method = Method::kNaive});
  ASSERT_TRUE(f.ok());
  std::vector<NamedSeries> series;
  for (int i = 0; i < 50; ++i) series.push_back({"s" + std::to_string(i), {1.0 * i}});
  auto r = ForecastAll(*f, series, 4);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->size(), 50u);
  for (int i = 0; i < 50; ++i) EXPECT_EQ((*r)[i].point[0], i);
}

TEST(ForecastAll, NamesTheFailingSeries) {
  auto f = Forecaster::Create({.horizon = 1, .method = Method::kSba});
  ASSERT_TRUE(f.ok());
  std::vector<NamedSeries> series = {{"good", {1, 0, 2}}, {"bad", {1, -1}}};
  auto r = ForecastAll(*f, series, 2);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), ::testing::HasSubstr("bad"));
  EXPECT_TRUE(ForecastAll(*f, {}, 3).ok());
}

}  // namespace
}  // namespace storepilot::forecast
