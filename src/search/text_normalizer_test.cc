#include "search/text_normalizer.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace storepilot::search {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(NormalizeWords, FoldsCaseAndDiacritics) {
  struct Case {
    std::string input;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"Crème BRÛLÉE", "creme brulee"},
      {"Ærø Straße", "aero strasse"},
      {"Łódź Šibenik Œuvre", "lodz sibenik oeuvre"},
      {"ΚΑΦΈΣ", "καφεσ"},             // Greek: accent and final sigma folded.
      {"Диван", "диван"},              // Cyrillic capitals.
      {"ＴＶ　ｓｔａｎｄ", "tv stand"},  // Full-width forms, ideographic space.
      {"e\xCC\x81te\xCC\x81", "ete"},  // Decomposed accents are dropped.
      {"ﬁre pit", "fire pit"},         // Ligature.
      {"沙发 bed", "沙发 bed"},          // Other scripts are kept.
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.input);
    EXPECT_EQ(NormalizeText(c.input), c.expected);
  }
}

TEST(NormalizeWords, SplitsOnPunctuationButKeepsNumbersAndPossessives) {
  EXPECT_THAT(NormalizeWords("Men's 70.87'' W x 11,5 D — Oak/Walnut!"),
              ElementsAre("mens", "70.87", "w", "x", "11.5", "d", "oak",
                          "walnut"));
  EXPECT_THAT(NormalizeWords("end. 3"), ElementsAre("end", "3"));
}

TEST(NormalizeWords, AcceptsAnyBytes) {
  EXPECT_THAT(NormalizeWords(""), IsEmpty());
  EXPECT_THAT(NormalizeWords("  \t!!"), IsEmpty());
  // Truncated, overlong and stray continuation bytes separate words.
  EXPECT_THAT(NormalizeWords("ab\xC3"), ElementsAre("ab"));
  EXPECT_THAT(NormalizeWords("a\xC0\xAFz"), ElementsAre("a", "z"));
  EXPECT_THAT(NormalizeWords("a\x80z\xFF"), ElementsAre("a", "z"));
  EXPECT_THAT(NormalizeWords("a\xED\xA0\x80z"), ElementsAre("a", "z"));
}

}  // namespace
}  // namespace storepilot::search
