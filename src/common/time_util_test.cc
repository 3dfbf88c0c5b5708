#include "common/time_util.h"

#include <random>
#include <string>

#include "absl/time/time.h"
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

// What ParseRfc3339Millis answered before its hand-written fast path: Abseil's
// parser, the reference the fast path must agree with on every input.
absl::StatusOr<int64_t> AbslParse(const std::string& text) {
  absl::Time t;
  std::string err;
  if (text.size() < 20 || text.size() > 40 || !absl::ParseTime(absl::RFC3339_full, text, &t, &err)) {
    return absl::InvalidArgumentError("no");
  }
  return absl::ToUnixMillis(t);
}

std::string AbslFormat(int64_t millis) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::FromUnixMillis(millis),
                          absl::UTCTimeZone());
}

void ExpectSameAsAbsl(const std::string& text) {
  SCOPED_TRACE(text);
  auto want = AbslParse(text);
  auto got = ParseRfc3339Millis(text);
  ASSERT_EQ(got.ok(), want.ok());
  if (want.ok()) EXPECT_EQ(*got, *want);
}

TEST(ParseRfc3339Millis, AgreesWithAbseilOnEdgeCases) {
  for (const char* text : {
           "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z", "0001-01-01T00:00:00Z",
           "9999-12-31T23:59:59.999Z", "2024-02-29T12:00:00Z", "2023-02-29T12:00:00Z",
           "2026-04-31T00:00:00Z", "2026-00-10T00:00:00Z", "2026-01-00T00:00:00Z",
           "2026-11-27T24:00:00Z", "2026-11-27T23:60:00Z", "2026-11-27T23:59:60Z",
           "2026-11-27t10:00:00Z", "2026-11-27T10:00:00z", "2026-11-27T10:00:00.Z",
           "2026-11-27T10:00:00.1Z", "2026-11-27T10:00:00.12Z", "2026-11-27T10:00:00.1239Z",
           "2026-11-27T10:00:00.123456789012345Z", "2026-11-27T10:00:00.1234567890123456Z",
           "2026-11-27T10:00:00+00:00", "2026-11-27T10:00:00-00:00", "2026-11-27T10:00:00+23:59",
           "2026-11-27T10:00:00+24:00", "2026-11-27T10:00:00-05:30", "2026-11-27T10:00:00+0530",
           "2026-11-27T10:00:00+05", "2026-11-27T10:00:00.5-05:30", "2026-11-27T10:00:00Z ",
           " 2026-11-27T10:00:00Z", "2026-11-27T10:00:00ZZ", "2026-11-27T10:00:00",
           "2026-11-27T1a:00:00Z", "+026-11-27T10:00:00Z", "2026/11/27T10:00:00Z",
           "1969-12-31T23:59:59.5Z", "1900-03-01T00:00:00+01:00", "2000-02-29T00:00:00Z",
           "2100-02-29T00:00:00Z"}) {
    ExpectSameAsAbsl(text);
  }
}

TEST(ParseRfc3339Millis, AgreesWithAbseilOnRandomTimestamps) {
  std::mt19937_64 rng(42);
  for (int i = 0; i < 20000; ++i) {
    const int64_t ms = static_cast<int64_t>(rng() % 253402300800000ull) - 62135596800000ll / 2;
    std::string text = AbslFormat(ms);
    switch (rng() % 4) {
      case 0: text.erase(19, 4); break;                    // no fraction
      case 1: text.insert(23, std::to_string(rng() % 1000)); break;  // longer fraction
      case 2: text.replace(text.size() - 1, 1, rng() % 2 ? "+03:45" : "-11:00"); break;
      default: break;
    }
    ExpectSameAsAbsl(text);
  }
}

TEST(FormatRfc3339Millis, AgreesWithAbseil) {
  std::mt19937_64 rng(7);
  for (int64_t ms : {int64_t{0}, int64_t{-1}, int64_t{999}, int64_t{86399999}, int64_t{86400000},
                     int64_t{951782400000}, int64_t{253402300799999}, int64_t{253402300800000},
                     int64_t{-62135596800000}}) {
    EXPECT_EQ(FormatRfc3339Millis(ms), AbslFormat(ms)) << ms;
  }
  for (int i = 0; i < 20000; ++i) {
    const int64_t ms = static_cast<int64_t>(rng() % 300000000000000ull) - 20000000000000ll;
    ASSERT_EQ(FormatRfc3339Millis(ms), AbslFormat(ms)) << ms;
  }
}

}  // namespace
}  // namespace storepilot
