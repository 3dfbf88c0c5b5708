#include "observe/metrics.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace storepilot::observe {
namespace {

using ::testing::HasSubstr;

TEST(MetricsRegistry, SameSeriesIsSamePointer) {
  MetricsRegistry r;
  Counter* a = r.GetCounter("x_total", "x", {{"route", "/a"}});
  Counter* b = r.GetCounter("x_total", "x", {{"route", "/a"}});
  Counter* c = r.GetCounter("x_total", "x", {{"route", "/b"}});
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

TEST(MetricsRegistry, RendersCountersGaugesAndEscapes) {
  MetricsRegistry r;
  r.GetCounter("req_total", "Requests", {{"path", "a\"b\\c"}})->Inc(3);
  r.GetGauge("lag", "Lag")->Set(7);
  r.AddCallbackGauge("size_bytes", "Size", [] { return 42.0; });
  std::string text = r.RenderText();
  EXPECT_THAT(text, HasSubstr("# TYPE req_total counter\n"));
  EXPECT_THAT(text, HasSubstr("req_total{path=\"a\\\"b\\\\c\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("lag 7\n"));
  EXPECT_THAT(text, HasSubstr("size_bytes 42\n"));
}

TEST(Histogram, BucketsAreCumulativeAndQuantilesInterpolate) {
  MetricsRegistry r;
  Histogram* h = r.GetHistogram("lat_seconds", "Latency", {1, 2, 4});
  for (double v : {0.5, 1.5, 1.5, 3.0, 10.0}) h->Observe(v);
  EXPECT_EQ(h->Count(), 5u);
  EXPECT_DOUBLE_EQ(h->Sum(), 16.5);
  EXPECT_EQ(h->CumulativeCount(0), 1u);
  EXPECT_EQ(h->CumulativeCount(1), 3u);
  EXPECT_EQ(h->CumulativeCount(2), 4u);
  EXPECT_NEAR(h->Quantile(0.5), 1.75, 1e-9);  // rank 2.5 inside (1,2]
  std::string text = r.RenderText();
  EXPECT_THAT(text, HasSubstr("lat_seconds_bucket{le=\"2\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("lat_seconds_bucket{le=\"+Inf\"} 5\n"));
  EXPECT_THAT(text, HasSubstr("lat_seconds_count 5\n"));
}

}  // namespace
}  // namespace storepilot::observe
