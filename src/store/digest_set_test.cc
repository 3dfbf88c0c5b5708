#include "store/digest_set.h"

#include <random>
#include <unordered_set>
#include <vector>

#include "gtest/gtest.h"

namespace storepilot::store {
namespace {

TEST(DigestSet, InsertsOnceAndFindsWhatItHolds) {
  DigestSet set;
  EXPECT_FALSE(set.Contains({1, 2}));
  EXPECT_TRUE(set.Insert({1, 2}));
  EXPECT_FALSE(set.Insert({1, 2}));
  EXPECT_TRUE(set.Contains({1, 2}));
  // Same low word (same first slot), different digest.
  EXPECT_FALSE(set.Contains({3, 2}));
  EXPECT_TRUE(set.Insert({3, 2}));
  EXPECT_TRUE(set.Contains({3, 2}));
  EXPECT_EQ(set.size(), 2u);
}

TEST(DigestSet, TheZeroDigestIsAnOrdinaryMember) {
  DigestSet set;
  EXPECT_FALSE(set.Contains({0, 0}));
  EXPECT_TRUE(set.Insert({0, 0}));
  EXPECT_FALSE(set.Insert({0, 0}));
  EXPECT_TRUE(set.Contains({0, 0}));
  EXPECT_FALSE(set.Contains({0, 1}));
  EXPECT_EQ(set.size(), 1u);
}

// Against std::unordered_set through several doublings, with colliding low
// words so that probe chains wrap around the table.
TEST(DigestSet, AgreesWithAReferenceSetThroughGrowth) {
  std::mt19937_64 rng(7);
  DigestSet set;
  std::unordered_set<std::string> reference;
  auto key = [](const Digest128& d) {
    return std::to_string(d.hi) + ":" + std::to_string(d.lo);
  };
  for (int i = 0; i < 30'000; ++i) {
    // Mostly spread low words (as real digests are); one in 64 crowds the
    // table's last slots.
    const uint64_t hi = rng() % 40'000;
    const uint64_t lo = (rng() % 64 == 0) ? ~0ull - (rng() % 64)
                                         : (rng() % 60'000) * 0x9e3779b97f4a7c15ull;
    Digest128 d{hi, lo};
    SCOPED_TRACE(key(d));
    const bool fresh = reference.insert(key(d)).second;
    ASSERT_EQ(set.Contains(d), !fresh);
    ASSERT_EQ(set.Insert(d), fresh);
    ASSERT_TRUE(set.Contains(d));
  }
  EXPECT_EQ(set.size(), reference.size());
  EXPECT_GE(set.MemoryBytes(), set.size() * sizeof(Digest128));
}

// A doubling moves the old table a few slots per insert: every member stays
// visible (and a repeat stays a duplicate) while both tables are in use, and
// the old one is freed once moved.
TEST(DigestSet, MembersStayVisibleWhileADoublingIsUnderWay) {
  std::mt19937_64 rng(11);
  DigestSet set;
  std::vector<Digest128> members;
  while (!set.resizing() || set.size() < 5'000) {
    Digest128 d{rng() | 1, rng()};
    ASSERT_TRUE(set.Insert(d));
    members.push_back(d);
    if (set.resizing() && set.size() > 5'000) break;
  }
  ASSERT_TRUE(set.resizing());
  const size_t during = set.MemoryBytes();
  for (const Digest128& d : members) {
    ASSERT_TRUE(set.Contains(d));
    ASSERT_FALSE(set.Insert(d));  // still a duplicate, wherever it sits now
  }
  while (set.resizing()) {
    Digest128 d{rng() | 1, rng()};
    ASSERT_TRUE(set.Insert(d));
    members.push_back(d);
  }
  EXPECT_LT(set.MemoryBytes(), during);  // the old table is gone
  for (const Digest128& d : members) ASSERT_TRUE(set.Contains(d));
  EXPECT_EQ(set.size(), members.size());
}

TEST(DigestSet, ReserveKeepsMembers) {
  DigestSet set;
  for (uint64_t i = 1; i <= 100; ++i) set.Insert({i, i * 977});
  const size_t before = set.MemoryBytes();
  set.Reserve(100'000);
  EXPECT_GT(set.MemoryBytes(), before);
  for (uint64_t i = 1; i <= 100; ++i) EXPECT_TRUE(set.Contains({i, i * 977}));
  EXPECT_EQ(set.size(), 100u);
}

}  // namespace
}  // namespace storepilot::store
