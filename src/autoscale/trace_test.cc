#include "autoscale/trace.h"

#include "gtest/gtest.h"

namespace storepilot::autoscale {
namespace {

TEST(Trace, ParsesMinutesAndFillsGaps) {
  auto t = ParseMinuteTrace(
      "minute,count\n"
      "1995-07-01 00:00:00,42\n"
      "1995-07-01 00:01:00,61\n"
      "1995-07-01 00:04:00,7\n");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->start_seconds, 804556800);
  EXPECT_EQ(t->demand, (std::vector<double>{42, 61, 0, 0, 7}));
}

TEST(Trace, AggregatesSecondsIntoMinutes) {
  auto t = ParseMinuteTrace(
      "period,count\n"
      "1998-06-25 22:00:59,5\n"
      "1998-06-25 22:00:01,1\n"
      "1998-06-25 22:01:00,2\n"
      "1998-06-25 22:01:30,3\n");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(FormatTraceTimestamp(t->start_seconds), "1998-06-25 22:00:00");
  EXPECT_EQ(t->demand, (std::vector<double>{6, 5}));
  EXPECT_EQ(FormatMinuteTrace(*t),
            "minute,count\n1998-06-25 22:00:00,6\n1998-06-25 22:01:00,5\n");
}

TEST(Trace, RejectsBadRows) {
  for (const char* csv : {"minute,count\n", "minute,count\nx,1\n",
                          "minute,count\n1995-07-01 00:00:00,-1\n",
                          "minute,count\n1995-07-01 00:00:00\n",
                          "minute,count\n1995-13-01 00:00:00,1\n",
                          "minute,count\n1995-07-01 00:00:00,abc\n"}) {
    SCOPED_TRACE(csv);
    EXPECT_FALSE(ParseMinuteTrace(csv).ok());
  }
}

}  // namespace
}  // namespace storepilot::autoscale
