#include "search/suggester.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace storepilot::search {
namespace {

using ::testing::ElementsAre;

TEST(QueryLog, SuggestsMostSearchedQueriesWithResults) {
  QueryLog log;
  log.Record("Desk Lamp", 10);
  log.Record("desk lamp", 10);
  log.Record("desk organiser", 3);
  log.Record("desk xyzzy", 0);  // Found nothing: never suggested.
  log.Record("  ", 0);          // Empty: ignored.
  EXPECT_EQ(log.size(), 3u);
  EXPECT_THAT(log.Complete("DESK", 10), ElementsAre("desk lamp", "desk organiser"));
  EXPECT_THAT(log.Complete("desk", 1), ElementsAre("desk lamp"));
  EXPECT_TRUE(log.Complete("sofa", 10).empty());
}

}  // namespace
}  // namespace storepilot::search
