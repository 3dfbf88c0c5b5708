#include "overload/concurrency_limit.h"

#include "gtest/gtest.h"

namespace storepilot::overload {
namespace {

ConcurrencyLimitOptions Options() {
  ConcurrencyLimitOptions o;
  o.initial_limit = 100;
  o.min_limit = 10;
  o.max_limit = 1000;
  o.window_us = 100'000;
  o.min_window_samples = 5;
  return o;
}

// Feeds `windows` windows of 20 samples of `latency_us` at `inflight`,
// with time advancing 10 ms per sample.
void Feed(ConcurrencyLimit& l, int64_t* now, int windows, int64_t latency_us, int inflight) {
  for (int i = 0; i < windows * 10; ++i) {
    *now += 10'000;
    l.OnSample(*now, latency_us, inflight);
  }
}

TEST(ConcurrencyLimit, GrowsWhileLatencyIsSteady) {
  ConcurrencyLimit l(Options());
  int64_t now = 0;
  Feed(l, &now, 20, 2'000, 100);
  EXPECT_GT(l.limit(), 120);
  EXPECT_NEAR(l.baseline_latency_us(), 2'000, 1);
}

TEST(ConcurrencyLimit, ShrinksWhenLatencyInflates) {
  ConcurrencyLimit l(Options());
  int64_t now = 0;
  Feed(l, &now, 20, 2'000, 100);
  const double before = l.limit();
  Feed(l, &now, 10, 20'000, static_cast<int>(before));  // 10x the baseline
  EXPECT_LT(l.limit(), before * 0.5);
  EXPECT_GE(l.limit(), 10);
  // Latency back to normal: the limit grows again.
  const double low = l.limit();
  Feed(l, &now, 30, 2'000, static_cast<int>(low));
  EXPECT_GT(l.limit(), low);
}

TEST(ConcurrencyLimit, ToleratesModestLatencyIncrease) {
  ConcurrencyLimit l(Options());
  int64_t now = 0;
  Feed(l, &now, 10, 2'000, 100);
  const double before = l.limit();
  Feed(l, &now, 5, 3'000, static_cast<int>(before));  // 1.5x < tolerance 2
  EXPECT_GE(l.limit(), before);
}

TEST(ConcurrencyLimit, AppLimitedKeepsLimit) {
  ConcurrencyLimit l(Options());
  int64_t now = 0;
  Feed(l, &now, 10, 2'000, 5);  // far below limit/2
  EXPECT_DOUBLE_EQ(l.limit(), 100);
  Feed(l, &now, 10, 50'000, 5);
  EXPECT_DOUBLE_EQ(l.limit(), 100);
}

TEST(ConcurrencyLimit, WindowNeedsTimeAndSamples) {
  ConcurrencyLimit l(Options());
  EXPECT_FALSE(l.OnSample(0, 1000, 100));
  EXPECT_FALSE(l.OnSample(200'000, 1000, 100));  // enough time, 2 samples
  for (int i = 0; i < 2; ++i) EXPECT_FALSE(l.OnSample(200'001 + i, 1000, 100));
  EXPECT_TRUE(l.OnSample(200'010, 1000, 100));
}

TEST(ConcurrencyLimit, StaysWithinBounds) {
  ConcurrencyLimit l(Options());
  int64_t now = 0;
  Feed(l, &now, 5, 1'000, 100);
  Feed(l, &now, 200, 1'000'000, 1000);
  EXPECT_GE(l.limit(), 10);
  ConcurrencyLimit g(Options());
  now = 0;
  Feed(g, &now, 500, 1'000, 2000);
  EXPECT_LE(g.limit(), 1000);
}

}  // namespace
}  // namespace storepilot::overload
