#include "search/synonyms.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace storepilot::search {
namespace {

using ::testing::ElementsAre;

TEST(SynonymSet, EquivalentPhrasesExpandEachOther) {
  SynonymSet set;
  ASSERT_TRUE(set.AddEquivalent({"Sofa", "couch", "Sofa Bed"}).ok());
  auto expansions = set.Expand({"grey", "couch"});
  ASSERT_EQ(expansions.size(), 2u);
  EXPECT_EQ(expansions[0].begin, 1u);
  EXPECT_EQ(expansions[0].length, 1u);
  EXPECT_THAT(expansions[0].words, ElementsAre("sofa"));
  EXPECT_THAT(expansions[1].words, ElementsAre("sofa", "bed"));
  // A multi-word phrase matches a span of the query.
  auto span = set.Expand({"sofa", "bed", "frame"});
  bool found = false;
  for (const auto& e : span) {
    if (e.length == 2 && e.words == std::vector<std::string>{"couch"}) found = true;
  }
  EXPECT_TRUE(found);
}

TEST(SynonymSet, OneWayRulesDoNotReverse) {
  SynonymSet set;
  ASSERT_TRUE(set.AddOneWay("TV", {"television"}).ok());
  EXPECT_EQ(set.Expand({"tv", "stand"}).size(), 1u);
  EXPECT_TRUE(set.Expand({"television"}).empty());
}

TEST(SynonymSet, RejectsBadRules) {
  SynonymSet set;
  EXPECT_FALSE(set.AddEquivalent({"only one"}).ok());
  EXPECT_FALSE(set.AddEquivalent({"a", "  !! "}).ok());
  EXPECT_FALSE(set.AddEquivalent({"a", "one two three four five"}).ok());
  EXPECT_FALSE(set.AddOneWay("tv", {}).ok());
  EXPECT_FALSE(set.AddOneWay("", {"x"}).ok());
  EXPECT_EQ(set.size(), 0u);
}

TEST(SynonymSet, ParsesApiJson) {
  auto set = SynonymSet::FromJson(
      R"({"synonyms": [{"synonyms": ["rug", "carpet"]},
                       {"root": "tv", "synonyms": ["television"]}]})");
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(set->Expand({"carpet"}).size(), 1u);
  EXPECT_EQ(set->Expand({"tv"}).size(), 1u);
  for (const char* bad :
       {"not json", "[]", R"({"synonyms": 3})", R"({"synonyms": [1]})",
        R"({"synonyms": [{"synonyms": [1, 2]}]})",
        R"({"synonyms": [{"root": 1, "synonyms": ["a"]}]})",
        R"({"synonyms": [{"synonyms": ["lonely"]}]})"}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(SynonymSet::FromJson(bad).status().code(),
              absl::StatusCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace storepilot::search
