#include "common/utf8.h"

#include "gtest/gtest.h"

namespace storepilot {
namespace {

TEST(IsValidUtf8, AcceptsWellFormed) {
  for (const char* s : {"", "abc", "caf\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80"}) {
    EXPECT_TRUE(IsValidUtf8(s)) << s;
  }
}

TEST(IsValidUtf8, RejectsMalformed) {
  for (const char* s : {"\xdc", "p3\xdc", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80",
                        "\xf4\x90\x80\x80", "\xc3", "\xe2\x82", "\xff", "\x80"}) {
    EXPECT_FALSE(IsValidUtf8(s));
  }
}

}  // namespace
}  // namespace storepilot
