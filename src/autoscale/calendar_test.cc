#include "autoscale/calendar.h"

#include "gtest/gtest.h"

namespace storepilot::autoscale {
namespace {

TEST(Calendar, ParsesSortsAndKeepsOptionalUplift) {
  auto c = ParseCalendar(
      "# comment\n"
      "name,start,end,uplift\n"
      "late,2026-11-27 10:00:00,2026-11-27 12:00:00\n"
      "sale,2026-11-27 08:00:00,2026-11-27 09:00:00,3.5\n");
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_EQ(c->size(), 2u);
  EXPECT_EQ((*c)[0].name, "sale");
  EXPECT_DOUBLE_EQ((*c)[0].uplift, 3.5);
  EXPECT_EQ((*c)[0].end_seconds - (*c)[0].start_seconds, 3600);
  EXPECT_EQ((*c)[1].uplift, 0);  // learned
}

TEST(Calendar, RejectsBadRows) {
  for (const char* row : {"x,2026-11-27 10:00:00\n",
                          "x,2026-11-27 10:00:00,2026-11-27 09:00:00\n",
                          ",2026-11-27 10:00:00,2026-11-27 11:00:00\n",
                          "x,2026-11-27 10:00:00,2026-11-27 11:00:00,0\n",
                          "x,2026-11-27 10:00:00,2026-11-27 11:00:00,z\n",
                          "x,tomorrow,2026-11-27 11:00:00\n"}) {
    SCOPED_TRACE(row);
    EXPECT_FALSE(ParseCalendar(std::string("name,start,end\n") + row).ok());
  }
}

}  // namespace
}  // namespace storepilot::autoscale
