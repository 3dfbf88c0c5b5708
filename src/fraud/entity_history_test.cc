#include "fraud/entity_history.h"

#include "gtest/gtest.h"

namespace storepilot::fraud {
namespace {

HistoryEvent At(int64_t t, uint32_t hash = 0) {
  HistoryEvent e;
  e.time_ms = t;
  e.order_hash = hash;
  return e;
}

TEST(EntityHistory, KeepsTimeOrderEvenForLateEvents) {
  EntityHistory h;
  h.Add(At(10), 8);
  h.Add(At(30), 8);
  h.Add(At(20), 8);
  ASSERT_EQ(h.events().size(), 3u);
  EXPECT_EQ(h.events()[0].time_ms, 10);
  EXPECT_EQ(h.events()[1].time_ms, 20);
  EXPECT_EQ(h.events()[2].time_ms, 30);
}

TEST(EntityHistory, DropsOldestBeyondCap) {
  EntityHistory h;
  for (int i = 0; i < 10; ++i) h.Add(At(i), 4);
  ASSERT_EQ(h.events().size(), 4u);
  EXPECT_EQ(h.events().front().time_ms, 6);
  EXPECT_LE(h.ApproxBytes(), sizeof(EntityHistory) + 16 * sizeof(HistoryEvent));
}

TEST(EntityHistory, PrunesByAge) {
  EntityHistory h;
  for (int i = 0; i < 5; ++i) h.Add(At(i * 100), 10);
  h.PruneBefore(250);
  ASSERT_EQ(h.events().size(), 2u);
  EXPECT_EQ(h.events().front().time_ms, 300);
  h.PruneBefore(1000);
  EXPECT_TRUE(h.empty());
}

TEST(EntityHistory, SetsLabelOfTheMatchingOrderOnly) {
  EntityHistory h;
  h.Add(At(5, 1), 10);
  h.Add(At(5, 2), 10);
  EXPECT_TRUE(h.SetLabel(2, 5, Label::kFraud, 99));
  EXPECT_EQ(h.events()[0].label, Label::kUnknown);
  EXPECT_EQ(h.events()[1].label, Label::kFraud);
  EXPECT_EQ(h.events()[1].label_usable_ms, 99);
  EXPECT_FALSE(h.SetLabel(3, 5, Label::kFraud, 99));
  EXPECT_FALSE(h.SetLabel(1, 6, Label::kFraud, 99));
}

TEST(EntityHistory, ClearsPayerOfTheMatchingOrderOnly) {
  EntityHistory h;
  HistoryEvent a = At(5, 1), b = At(5, 2);
  a.payer_hash = b.payer_hash = 7;
  h.Add(a, 10);
  h.Add(b, 10);
  EXPECT_TRUE(h.ClearPayer(2, 5));
  EXPECT_EQ(h.events()[0].payer_hash, 7u);
  EXPECT_EQ(h.events()[1].payer_hash, 0u);
  EXPECT_FALSE(h.ClearPayer(3, 5));
}

}  // namespace
}  // namespace storepilot::fraud
