#include "fraud/metrics.h"

#include "gtest/gtest.h"

namespace storepilot::fraud {
namespace {

TEST(Metrics, AucAndAveragePrecisionMatchHandComputedValues) {
  const std::vector<double> s = {0.1, 0.4, 0.35, 0.8};
  const std::vector<int> y = {0, 0, 1, 1};
  EXPECT_DOUBLE_EQ(*RocAuc(s, y), 0.75);
  // Ranks: 0.8(+) p=1, 0.4(-), 0.35(+) p=2/3 -> AP = (1 + 2/3) / 2.
  EXPECT_NEAR(*AveragePrecision(s, y), (1.0 + 2.0 / 3.0) / 2, 1e-12);
}

TEST(Metrics, TiesCountHalf) {
  EXPECT_DOUBLE_EQ(*RocAuc({0.5, 0.5}, {0, 1}), 0.5);
  EXPECT_DOUBLE_EQ(*AveragePrecision({0.5, 0.5}, {0, 1}), 0.5);
}

TEST(Metrics, RejectBadInput) {
  EXPECT_EQ(RocAuc({0.1}, {0, 1}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(RocAuc({0.1, 0.2}, {1, 1}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(AveragePrecision({0.1}, {0}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CardPrecisionTopK({}, 10).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Metrics, CardPrecisionTakesCardMaxAndRemovesCaughtCards) {
  std::vector<CardScore> rows = {
      // Day 0: card 1 (fraud, two transactions), card 2 genuine.
      {0, 1, 0.9, 0}, {0, 1, 0.2, 1}, {0, 2, 0.5, 0},
      // Day 1: card 1 again (already caught: removed), card 3 fraud.
      {1, 1, 0.99, 1}, {1, 3, 0.1, 1}, {1, 2, 0.3, 0},
  };
  // k = 1: day 0 top card 1 is compromised (1/1); day 1 without card 1 the
  // top is card 2, genuine (0/1).
  EXPECT_DOUBLE_EQ(*CardPrecisionTopK(rows, 1), 0.5);
  // k = 2: day 0 -> 1/2, day 1 -> {2, 3} -> 1/2.
  EXPECT_DOUBLE_EQ(*CardPrecisionTopK(rows, 2), 0.5);
}

}  // namespace
}  // namespace storepilot::fraud
