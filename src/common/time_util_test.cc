#include "common/time_util.h"

#include "gtest/gtest.h"

namespace storepilot {
namespace {

TEST(ParseRfc3339Millis, AcceptsValidForms) {
  struct Case {
    const char* text;
    int64_t millis;
  } cases[] = {
      {"1970-01-01T00:00:00Z", 0},
      {"2026-11-27T10:00:00Z", 1795773600000},
      {"2026-11-27T10:00:00.250Z", 1795773600250},
      {"2026-11-27T12:00:00+02:00", 1795773600000},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    auto got = ParseRfc3339Millis(c.text);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(*got, c.millis);
  }
}

TEST(ParseRfc3339Millis, RejectsOthers) {
  for (const char* text : {"", "yesterday", "2026-11-27", "2026-13-01T00:00:00Z",
                           "2026-11-27 10:00:00"}) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(ParseRfc3339Millis(text).ok());
  }
}

TEST(FormatRfc3339Millis, RoundTrips) {
  EXPECT_EQ(FormatRfc3339Millis(1795773600250), "2026-11-27T10:00:00.250Z");
  EXPECT_EQ(*ParseRfc3339Millis(FormatRfc3339Millis(123456789)), 123456789);
}

}  // namespace
}  // namespace storepilot
