#include "search/lexicon.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace storepilot::search {
namespace {

std::vector<std::string> Words(const std::vector<Lexicon::Match>& matches) {
  std::vector<std::string> words;
  for (const auto& m : matches) words.push_back(m.word);
  return words;
}

Lexicon Make() {
  Lexicon lexicon;
  uint32_t id = 0;
  for (const char* w : {"fountain", "fountains", "mountain", "lamp", "lamps",
                        "lampshade", "bed", "bedroom", "bench", "chair"}) {
    lexicon.Add(w, id++);
  }
  return lexicon;
}

TEST(Lexicon, FindsExactWords) {
  Lexicon lexicon = Make();
  EXPECT_EQ(lexicon.Find("lamp"), 3u);
  EXPECT_FALSE(lexicon.Find("lam").has_value());
  EXPECT_FALSE(lexicon.Find("lampss").has_value());
  EXPECT_EQ(lexicon.word_count(), 10u);
  lexicon.Add("lamp", 99);  // A known word keeps its term.
  EXPECT_EQ(lexicon.Find("lamp"), 3u);
}

TEST(Lexicon, FuzzyCountsEditsIncludingTranspositions) {
  Lexicon lexicon = Make();
  EXPECT_THAT(Words(lexicon.Fuzzy("foutains", 1, 10)),
              ::testing::ElementsAre("fountains"));
  EXPECT_THAT(Words(lexicon.Fuzzy("foutains", 2, 10)),
              ::testing::ElementsAre("fountains", "fountain"));
  EXPECT_THAT(Words(lexicon.Fuzzy("chiar", 1, 10)),
              ::testing::ElementsAre("chair"));  // Transposition = 1 edit.
  EXPECT_THAT(Words(lexicon.Fuzzy("lamp", 1, 10)),
              ::testing::ElementsAre("lamps"));  // The word itself excluded.
  EXPECT_TRUE(lexicon.Fuzzy("xyzzy", 2, 10).empty());
}

TEST(Lexicon, FuzzyOrdersNearestFirstAndLimits) {
  Lexicon lexicon = Make();
  std::vector<Lexicon::Match> matches = lexicon.Fuzzy("fountaon", 2, 10);
  ASSERT_GE(matches.size(), 2u);
  EXPECT_EQ(matches[0].word, "fountain");
  EXPECT_EQ(matches[0].distance, 1);
  EXPECT_EQ(lexicon.Fuzzy("fountaon", 2, 1).size(), 1u);
}

TEST(Lexicon, CompletesPrefixesShortestFirst) {
  Lexicon lexicon = Make();
  EXPECT_THAT(Words(lexicon.Complete("be", 10)),
              ::testing::ElementsAre("bed", "bench", "bedroom"));
  EXPECT_THAT(Words(lexicon.Complete("lamp", 10)),
              ::testing::ElementsAre("lamps", "lampshade"));
  EXPECT_EQ(lexicon.Complete("be", 1).size(), 1u);
  EXPECT_TRUE(lexicon.Complete("zz", 10).empty());
}

}  // namespace
}  // namespace storepilot::search
