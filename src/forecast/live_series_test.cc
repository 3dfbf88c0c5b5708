#include "forecast/live_series.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace storepilot::forecast {
namespace {

using ::testing::ElementsAre;

constexpr int64_t kMinute = 60'000;

TEST(LiveSeriesStore, SumsPerMinuteAndDownsamples) {
  auto store = LiveSeriesStore::Create({{60, 5}, {300, 4}});
  ASSERT_TRUE(store.ok());
  LiveSeriesStore& s = **store;
  for (int m = 0; m < 10; ++m) {
    ASSERT_TRUE(s.Add("api", m * kMinute + 1000, 1).ok());
    ASSERT_TRUE(s.Add("api", m * kMinute + 2000, m).ok());
  }
  auto minutes = s.Window("api", 0, 9 * kMinute, 5);
  ASSERT_TRUE(minutes.ok()) << minutes.status();
  EXPECT_THAT(*minutes, ElementsAre(6, 7, 8, 9, 10));
  // Five-minute buckets: 1+..+5 minus ... = sums of (1 + m) over m in 0..4, 5..9.
  auto coarse = s.Window("api", 1, 9 * kMinute, 2);
  ASSERT_TRUE(coarse.ok());
  EXPECT_THAT(*coarse, ElementsAre(15, 40));
  // The minute ring forgot minute 0; the coarse ring did not.
  EXPECT_EQ(s.Window("api", 0, 9 * kMinute, 6).status().code(),
            absl::StatusCode::kOutOfRange);
}

TEST(LiveSeriesStore, GapsReadAsZeroAndOldValuesAreRefused) {
  auto store = LiveSeriesStore::Create({{60, 3}});
  ASSERT_TRUE(store.ok());
  LiveSeriesStore& s = **store;
  ASSERT_TRUE(s.Add("a", 0, 5).ok());
  ASSERT_TRUE(s.Add("a", 10 * kMinute, 2).ok());  // skips minutes 1..9
  auto w = s.Window("a", 0, 12 * kMinute, 3);  // reads past the newest minute
  ASSERT_TRUE(w.ok()) << w.status();
  EXPECT_THAT(*w, ElementsAre(2, 0, 0));
  EXPECT_EQ(s.Add("a", 0, 1).code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(s.Add("a", 0, NAN).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.Window("b", 0, 0, 1).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(s.Window("a", 3, 0, 1).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.Window("a", 0, 0, 0).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(LiveSeriesStore, RejectsBadLayouts) {
  EXPECT_FALSE(LiveSeriesStore::Create({}).ok());
  EXPECT_FALSE(LiveSeriesStore::Create({{0, 10}}).ok());
  EXPECT_FALSE(LiveSeriesStore::Create({{60, 0}}).ok());
  EXPECT_EQ(DefaultTrafficResolutions().size(), 3u);
  EXPECT_EQ(DefaultSalesResolutions()[0].width_seconds, 86400);
}

}  // namespace
}  // namespace storepilot::forecast
