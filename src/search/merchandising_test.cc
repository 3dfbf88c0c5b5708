#include "search/merchandising.h"

#include "gtest/gtest.h"

namespace storepilot::search {
namespace {

TEST(MerchandisingRule, MatchesQueriesAndTimeWindows) {
  MerchandisingRule rule;
  rule.query = "desk lamp";
  EXPECT_TRUE(rule.AppliesTo("desk lamp", 0));
  EXPECT_FALSE(rule.AppliesTo("desk lamps", 0));
  rule.match = MerchandisingRule::QueryMatch::kContains;
  rule.query = "lamp";
  EXPECT_TRUE(rule.AppliesTo("brass desk lamp", 0));
  EXPECT_FALSE(rule.AppliesTo("lampshade", 0));
  rule.start_ms = 100;
  rule.end_ms = 200;
  EXPECT_FALSE(rule.AppliesTo("lamp", 99));
  EXPECT_TRUE(rule.AppliesTo("lamp", 100));
  EXPECT_FALSE(rule.AppliesTo("lamp", 200));
  rule.match = MerchandisingRule::QueryMatch::kAny;
  EXPECT_TRUE(rule.AppliesTo("anything", 150));
}

TEST(ParseMerchandisingRules, ReadsTheApiJson) {
  auto rules = ParseMerchandisingRules(R"({"rules": [
    {"id": "r1", "query": "Desk Lamp", "pins": [{"product_id": "7", "position": 1}],
     "hides": ["9"], "boosts": [{"field": "brand", "value": "Acme", "multiplier": 2}],
     "start_ms": 10, "end_ms": 20},
    {"match": "any", "boosts": [{"field": "tags", "value": "clearance", "multiplier": 0.5}]}
  ]})");
  ASSERT_TRUE(rules.ok()) << rules.status();
  ASSERT_EQ(rules->size(), 2u);
  const MerchandisingRule& r = (*rules)[0];
  EXPECT_EQ(r.query, "desk lamp");
  EXPECT_EQ(r.pins[0], (std::pair<std::string, size_t>{"7", 1}));
  EXPECT_EQ(r.hides[0], "9");
  EXPECT_EQ(r.boosts[0].kind, FacetKind::kBrand);
  EXPECT_EQ(r.boosts[0].multiplier, 2.0f);
  EXPECT_EQ(r.start_ms, 10);
  EXPECT_EQ((*rules)[1].id, "rule-1");
}

TEST(ParseMerchandisingRules, RejectsBadRules) {
  for (const char* bad : {
           "nope", R"({"rules": {}})", R"({"rules": [3]})",
           R"({"rules": [{"query": ""}]})",
           R"({"rules": [{"query": "a", "match": "fuzzy"}]})",
           R"({"rules": [{"query": "a", "pins": [{"product_id": "1", "position": 0}]}]})",
           R"({"rules": [{"query": "a", "hides": [1]}]})",
           R"({"rules": [{"query": "a", "boosts": [{"field": "colour", "value": "x", "multiplier": 2}]}]})",
           R"({"rules": [{"query": "a", "boosts": [{"field": "brand", "value": "x", "multiplier": 0}]}]})",
           R"({"rules": [{"query": "a", "start_ms": "soon"}]})",
           R"({"rules": [{"query": 5}]})"}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(ParseMerchandisingRules(bad).status().code(),
              absl::StatusCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace storepilot::search
