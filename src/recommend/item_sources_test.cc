// Tests of the item-to-item and context sources: co-occurrence,
// time-decayed co-visitation, trending and content similarity.
#include <vector>

#include "gtest/gtest.h"
#include "recommend/content_index.h"
#include "recommend/covisitation.h"
#include "recommend/item_cooccurrence.h"
#include "recommend/trending.h"

namespace storepilot::recommend {
namespace {

constexpr int64_t kDay = 24LL * 3600 * 1000;

TEST(ItemCooccurrence, NeighboursAreSymmetricAndNormalised) {
  ItemCooccurrence cooc;
  cooc.AddSequence(std::vector<ItemIndex>{0, 1});
  cooc.AddSequence(std::vector<ItemIndex>{0, 1});
  cooc.AddSequence(std::vector<ItemIndex>{0, 2});
  cooc.Finalize();
  ASSERT_FALSE(cooc.Neighbours(0).empty());
  EXPECT_EQ(cooc.Neighbours(0)[0].first, 1);
  ASSERT_FALSE(cooc.Neighbours(2).empty());
  EXPECT_EQ(cooc.Neighbours(2)[0].first, 0);
  EXPECT_TRUE(cooc.Neighbours(42).empty());
}

TEST(CoVisitation, OldPairsFadeWithTheHalfLife) {
  CoVisitation covisit(/*half_life_ms=*/kDay);
  for (int i = 0; i < 4; ++i) covisit.Add(0, 1, 1.0, 0);  // long ago, strong
  covisit.Add(0, 2, 1.0, 10 * kDay);                       // recent, weak
  auto now = covisit.Neighbours(0, 10 * kDay, 5);
  ASSERT_EQ(now.size(), 2u);
  EXPECT_EQ(now[0].first, 2);
  auto then = covisit.Neighbours(0, 0, 5);
  EXPECT_EQ(then[0].first, 1);
  covisit.Add(3, 3, 1.0, 0);
  EXPECT_TRUE(covisit.Neighbours(3, 0, 5).empty());
}

TEST(ContextTrending, ContextLiftsItsOwnFavourites) {
  ContextTrending trending(/*half_life_ms=*/kDay, /*refresh_ms=*/0);
  const int64_t t = 100 * kDay;
  for (int i = 0; i < 10; ++i) trending.Add(1, 1.0, t, {"DE", "desktop"});
  for (int i = 0; i < 4; ++i) trending.Add(2, 1.0, t, {"FR", "mobile"});
  auto desktop = trending.Top({"DE", "desktop"}, t, 2);
  ASSERT_EQ(desktop.size(), 2u);
  EXPECT_EQ(desktop[0].item, 1);
  auto mobile = trending.Top({"FR", "mobile"}, t, 2);
  EXPECT_EQ(mobile[0].item, 2);
  EXPECT_NE(mobile[0].context, "now");
  EXPECT_TRUE(ContextTrending(kDay, 0).Top({}, t, 5).empty());
}

Product Make(const std::string& id, const std::string& category, std::vector<float> e = {}) {
  Product p;
  p.id = id;
  p.category = category;
  p.embedding = std::move(e);
  return p;
}

TEST(ContentIndex, EmbeddingsFirstThenAttributes) {
  ContentIndex index;
  ASSERT_TRUE(index.Upsert(0, Make("red", "shirts", {1, 0, 0})).ok());
  ASSERT_TRUE(index.Upsert(1, Make("pink", "dresses", {0.9f, 0.1f, 0})).ok());
  ASSERT_TRUE(index.Upsert(2, Make("blue", "shoes", {0, 0, 1})).ok());
  ASSERT_TRUE(index.Upsert(3, Make("plain", "shirts")).ok());
  auto similar = index.Similar(0, 3);
  ASSERT_GE(similar.size(), 2u);
  EXPECT_EQ(similar[0].first, 1);
  EXPECT_EQ(similar[1].first, 3);  // same category, no embedding
  auto by_attributes = index.Similar(3, 3);
  ASSERT_EQ(by_attributes.size(), 1u);
  EXPECT_EQ(by_attributes[0].first, 0);
  EXPECT_TRUE(index.Similar(77, 3).empty());
}

TEST(ContentIndex, RejectsBadEmbeddings) {
  ContentIndex index;
  ASSERT_TRUE(index.Upsert(0, Make("a", "x", {1, 0})).ok());
  EXPECT_EQ(index.Upsert(1, Make("b", "x", {1, 0, 0})).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(index.Upsert(2, Make("c", "x", {0, 0})).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(index.Upsert(3, Make("d", "x", {NAN, 1})).code(),
            absl::StatusCode::kInvalidArgument);
  // The attributes of a rejected vector still count.
  EXPECT_FALSE(index.Similar(1, 3).empty());
}

TEST(ContentIndex, GenerationMovesWithContentOnly) {
  ContentIndex index;
  ASSERT_TRUE(index.Upsert(0, Make("a", "x", {1, 0, 0})).ok());
  ASSERT_TRUE(index.Upsert(1, Make("b", "y", {0.9f, 0.1f, 0})).ok());
  ASSERT_TRUE(index.Upsert(2, Make("c", "z", {0, 1, 0})).ok());
  ASSERT_EQ(index.Similar(0, 2)[0].first, 1);
  // A stock change (same attributes, same vector up to scale) keeps it.
  uint64_t g = index.generation();
  Product restocked = Make("b", "y", {1.8f, 0.2f, 0});
  restocked.in_stock = false;
  ASSERT_TRUE(index.Upsert(1, restocked).ok());
  EXPECT_EQ(index.generation(), g);
  ASSERT_TRUE(index.Upsert(1, Make("b", "y")).ok());  // no vector given: the old one stays
  EXPECT_EQ(index.generation(), g);
  EXPECT_EQ(index.Similar(0, 2)[0].first, 1);
  // A new embedding or new attributes move it, and show at once.
  ASSERT_TRUE(index.Upsert(2, Make("c", "z", {1, 0.01f, 0})).ok());
  EXPECT_GT(index.generation(), g);
  EXPECT_EQ(index.Similar(0, 2)[0].first, 2);
  g = index.generation();
  ASSERT_TRUE(index.Upsert(2, Make("c", "x", {1, 0.01f, 0})).ok());
  EXPECT_GT(index.generation(), g);
}

TEST(ContentIndex, GrowsPastItsInitialCapacity) {
  ContentIndex index;
  for (int i = 0; i < 1500; ++i) {
    ASSERT_TRUE(index.Upsert(i, Make("p", "", {float(i % 7) + 1, float(i % 5), 1})).ok());
  }
  EXPECT_EQ(index.Similar(0, 5).size(), 5u);
}

}  // namespace
}  // namespace storepilot::recommend
