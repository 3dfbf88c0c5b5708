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

// Unit sales keep 2 years per day and, downsampled, 5 years per week: a sale
// 3 years old is gone from the daily ring but still in its week.
TEST(LiveSeriesStore, SalesKeepWeeklyHistoryPastTheDailyRing) {
  auto store = LiveSeriesStore::Create(DefaultSalesResolutions());
  ASSERT_TRUE(store.ok());
  constexpr int64_t kDay = 86'400'000;
  constexpr int64_t kWeek0 = 2'800 * 7 * kDay;  // An epoch week boundary.
  for (int d = 0; d < 14; ++d) ASSERT_TRUE((*store)->Add("p", kWeek0 + d * kDay, d).ok());
  const int64_t later = kWeek0 + 3 * 365 * kDay;
  ASSERT_TRUE((*store)->Add("p", later, 1).ok());
  EXPECT_EQ((*store)->Window("p", 0, later, 800).status().code(), absl::StatusCode::kOutOfRange);
  auto weeks = (*store)->Window("p", 1, later, 200);
  ASSERT_TRUE(weeks.ok()) << weeks.status();
  const int64_t week_of_later = later / (7 * kDay);
  const int64_t first = week_of_later - 199;
  EXPECT_EQ((*weeks)[2800 - first], 0 + 1 + 2 + 3 + 4 + 5 + 6);
  EXPECT_EQ((*weeks)[2801 - first], 7 + 8 + 9 + 10 + 11 + 12 + 13);
  EXPECT_EQ(weeks->back(), 1);
}

}  // namespace
}  // namespace storepilot::forecast
