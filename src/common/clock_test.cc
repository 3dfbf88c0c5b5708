#include "common/clock.h"

#include "gtest/gtest.h"

namespace storepilot {
namespace {

TEST(FakeClock, MovesOnlyWhenTold) {
  FakeClock clock(1'000'000);
  EXPECT_EQ(clock.NowMicros(), 1'000'000);
  EXPECT_EQ(clock.NowMillis(), 1'000);
  clock.AdvanceMicros(2'500);
  EXPECT_EQ(clock.NowMicros(), 1'002'500);
  clock.SetMicros(7);
  EXPECT_EQ(clock.NowMicros(), 7);
}

TEST(SystemClock, IsAfter2020) {
  SystemClock clock;
  EXPECT_GT(clock.NowMillis(), int64_t{1'577'836'800'000});
}

}  // namespace
}  // namespace storepilot
