#include "recommend/session_knn.h"

#include <vector>

#include "gtest/gtest.h"
#include "recommend/score_buffer.h"
#include "recommend/sequential_rules.h"
#include "recommend/session_recommender.h"

namespace storepilot::recommend {
namespace {

// Two browsing "worlds": sessions over items 0-2 continue with 3, sessions
// over items 10-12 continue with 13.
SessionKnn TwoWorlds() {
  SessionKnn knn;
  for (int r = 0; r < 5; ++r) {
    knn.AddSession(std::vector<ItemIndex>{0, 1, 2, 3});
    knn.AddSession(std::vector<ItemIndex>{10, 11, 12, 13});
  }
  return knn;
}

TEST(SessionKnn, LastViewsChangeTheAnswer) {
  SessionKnn knn = TwoWorlds();
  ScoreBuffer scores;
  knn.Score(std::vector<ItemIndex>{0, 1}, &scores);
  EXPECT_GT(scores.Get(3), scores.Get(13));
  scores.Clear();
  // Same start, but the shopper's last views moved to the other world.
  knn.Score(std::vector<ItemIndex>{0, 1, 11, 12}, &scores);
  EXPECT_GT(scores.Get(13), scores.Get(3));
}

TEST(SessionKnn, UnknownItemsAndEmptyPrefixScoreNothing) {
  SessionKnn knn = TwoWorlds();
  ScoreBuffer scores;
  knn.Score(std::vector<ItemIndex>{}, &scores);
  EXPECT_TRUE(scores.empty());
  knn.Score(std::vector<ItemIndex>{999}, &scores);
  EXPECT_TRUE(scores.empty());
}

TEST(SessionKnn, RecentNeighboursWeighMoreWithRecencyDecay) {
  SessionKnnOptions options;
  options.recency_decay = 0.1;
  SessionKnn knn(options);
  knn.AddSession(std::vector<ItemIndex>{0, 1});  // old: 0 -> 1
  for (int i = 0; i < 20; ++i) knn.AddSession(std::vector<ItemIndex>{5, 6});
  knn.AddSession(std::vector<ItemIndex>{0, 2});  // newest: 0 -> 2
  ScoreBuffer scores;
  knn.Score(std::vector<ItemIndex>{0}, &scores);
  EXPECT_GT(scores.Get(2), scores.Get(1));
}

TEST(SequentialRules, FollowsTransitionsFromTheLastItem) {
  SequentialRules rules;
  rules.AddSession(std::vector<ItemIndex>{1, 2, 3});
  rules.AddSession(std::vector<ItemIndex>{1, 2});
  rules.Finalize();
  auto out = rules.Rules(1);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].first, 2);
  EXPECT_FLOAT_EQ(out[0].second, 2.0f);  // twice at distance 1
  EXPECT_FLOAT_EQ(out[1].second, 0.5f);  // 1 -> 3 at distance 2
  ScoreBuffer scores(5);
  rules.Score(std::vector<ItemIndex>{2}, &scores);
  EXPECT_GT(scores.Get(3), 0);
  EXPECT_EQ(scores.Get(1), 0);  // rules are directed
}

TEST(SessionRecommender, FillsWithPopularItemsAndNeverExceedsK) {
  SessionRecommender model;
  model.AddSession(std::vector<ItemIndex>{0, 1});
  model.AddSession(std::vector<ItemIndex>{2, 1});
  model.AddSession(std::vector<ItemIndex>{3, 1});
  model.Finalize();
  SessionScratch scratch;
  std::vector<ItemIndex> cold = model.Recommend(std::vector<ItemIndex>{}, 2, &scratch);
  ASSERT_EQ(cold.size(), 2u);
  EXPECT_EQ(cold[0], 1);  // the most popular item
  std::vector<ItemIndex> warm = model.Recommend(std::vector<ItemIndex>{0}, 10, &scratch);
  ASSERT_EQ(warm.size(), 4u);
  EXPECT_EQ(warm[0], 0);  // no masking: re-clicking the item just seen is likely
  EXPECT_EQ(warm[1], 1);
}

}  // namespace
}  // namespace storepilot::recommend
