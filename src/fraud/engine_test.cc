#include "fraud/engine.h"

#include <atomic>
#include <cmath>
#include <random>
#include <thread>

#include "fraud/test_util.h"
#include "gtest/gtest.h"

namespace storepilot::fraud {
namespace {

Order MakeOrder(const std::string& id, double amount) {
  Order o;
  o.order_id = id;
  o.time_ms = 1'700'000'000'000;
  o.amount = amount;
  o.customer_id = "c1";
  o.terminal_id = "t1";
  return o;
}

class FraudEngineTest : public ::testing::Test {
 protected:
  FakeClock clock_{1'700'000'000'000'000};
  FraudEngine engine_{EngineOptions{}, &clock_};
};

TEST_F(FraudEngineTest, NeedsAModel) {
  EXPECT_EQ(engine_.Score(MakeOrder("o", 10)).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(engine_.SetModel(nullptr).code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(FraudEngineTest, RejectsAModelOfAnotherLayout) {
  Dataset data{1, {1, 2, 3, 4}, {0, 1, 0, 1}};
  auto model = FraudModel::Train(data, {"x"}, "other");
  ASSERT_TRUE(model.ok());
  EXPECT_EQ(engine_.SetModel(std::move(*model)).code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(FraudEngineTest, ScoresWithLevelsReasonsAndRules) {
  ASSERT_TRUE(engine_.SetModel(testing::TrainToyModel("m1")).ok());
  auto low = engine_.ScoreAndObserve(MakeOrder("a", 20));
  auto high = engine_.ScoreAndObserve(MakeOrder("b", 290));
  ASSERT_TRUE(low.ok() && high.ok());
  EXPECT_EQ(low->level, RiskLevel::kLow);
  EXPECT_EQ(low->recommendation, Recommendation::kAccept);
  EXPECT_EQ(high->level, RiskLevel::kHigh);
  EXPECT_EQ(high->recommendation, Recommendation::kCancel);
  EXPECT_EQ(high->model_version, "m1");
  ASSERT_FALSE(high->reasons.empty());
  EXPECT_LE(high->reasons.size(), 5u);
  EXPECT_EQ(high->reasons[0].feature, "amount");
  EXPECT_EQ(high->reasons[0].sentiment, Sentiment::kNegative);
  double total = high->base_score + high->other_contribution;
  for (const Reason& r : high->reasons) total += r.contribution;
  EXPECT_NEAR(total, high->score, 1e-6);

  EXPECT_EQ(engine_.SetRules("allow if amount > 280\nreview if amount < 50").code(),
            absl::StatusCode::kOk);
  high = engine_.Score(MakeOrder("c", 290));
  ASSERT_TRUE(high.ok());
  EXPECT_EQ(high->recommendation, Recommendation::kAccept);
  EXPECT_EQ(high->fired_rules, std::vector<std::string>{"allow if amount > 280"});
  low = engine_.Score(MakeOrder("d", 20));
  EXPECT_EQ(low->recommendation, Recommendation::kInvestigate);
  // A bad rule set is rejected and the old one stays.
  EXPECT_EQ(engine_.SetRules("allow if amount >").code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(engine_.Score(MakeOrder("e", 20))->recommendation, Recommendation::kInvestigate);
}

// ScoreAndObserve computes the features once, under the lock that records
// the order: the scores must be those of Score followed by Observe, which
// are the model's own prediction (XGBoost's, within 1e-6) on those features.
TEST_F(FraudEngineTest, ScoreAndObserveScoresAsScoreThenObserve) {
  std::shared_ptr<const FraudModel> model = testing::TrainToyModel("m1");
  ASSERT_TRUE(engine_.SetModel(model).ok());
  FraudEngine reference(EngineOptions{}, &clock_);
  ASSERT_TRUE(reference.SetModel(model).ok());
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> amount(1, 300);
  for (int i = 0; i < 200; ++i) {
    SCOPED_TRACE(i);
    Order o = MakeOrder("o" + std::to_string(i), amount(rng));
    o.time_ms += i * 60'000;
    o.customer_id = "c" + std::to_string(i % 7);
    auto scored = engine_.ScoreAndObserve(o);
    auto expected = reference.Score(o, /*explain=*/false);
    reference.Observe(o);
    ASSERT_TRUE(scored.ok() && expected.ok());
    EXPECT_NEAR(scored->score / 100, expected->score / 100, 1e-6);
    EXPECT_EQ(scored->level, expected->level);
  }
  // A repeat is scored from the state after it, and not recorded twice.
  EXPECT_TRUE(engine_.ScoreAndObserve(MakeOrder("o0", 10)).ok());
  EXPECT_EQ(engine_.Memory().tracked_keys, reference.Memory().tracked_keys);
}

TEST_F(FraudEngineTest, ScoreAndObserveWithoutAModelStillRecords) {
  EXPECT_EQ(engine_.ScoreAndObserve(MakeOrder("a", 20)).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(engine_.Knows("a"));
}

TEST_F(FraudEngineTest, LabelsNeedAKnownOrder) {
  engine_.Observe(MakeOrder("o1", 10));
  EXPECT_TRUE(engine_.AddLabel("o1", true).ok());
  EXPECT_EQ(engine_.AddLabel("nope", true).code(), absl::StatusCode::kNotFound);
  EXPECT_GT(engine_.Memory().tracked_keys, 0u);
}

TEST_F(FraudEngineTest, SwapsModelsUnderConcurrentScoring) {
  ASSERT_TRUE(engine_.SetModel(testing::TrainToyModel("v1")).ok());
  std::shared_ptr<const FraudModel> v2 = testing::TrainToyModel("v2");
  std::atomic<bool> stop{false};
  std::atomic<int> errors{0}, scored{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&, t] {
      int i = 0;
      while (!stop.load()) {
        auto r = engine_.ScoreAndObserve(MakeOrder(std::to_string(t * 100000 + i++), 250));
        if (!r.ok() || (r->model_version != "v1" && r->model_version != "v2") ||
            r->level != RiskLevel::kHigh) {
          errors.fetch_add(1);
        }
        scored.fetch_add(1);
      }
    });
  }
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(engine_.SetModel(i % 2 ? v2 : testing::TrainToyModel("v1")).ok());
  }
  while (scored.load() < 200) std::this_thread::yield();
  stop.store(true);
  for (auto& th : threads) th.join();
  EXPECT_EQ(errors.load(), 0);
}

// Features equal element by element, NaN (missing) equal to NaN.
bool SameFeatures(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i])))) return false;
  }
  return true;
}

TEST(FeatureStorePrivacy, ForgettingACustomerLeavesTheStoreAsIfTheyNeverOrdered) {
  auto order = [](const std::string& id, const std::string& customer, const std::string& email,
                  int64_t minute) {
    Order o = MakeOrder(id, 40 + minute);
    o.customer_id = customer;
    o.email = email;
    o.ip = "203.0.113.77";
    o.device_id = "d-" + customer;
    o.terminal_id.clear();
    o.time_ms += minute * 60'000;
    return o;
  };
  const std::vector<Order> ada = {order("a1", "ada", "h-ada@example.org", 1),
                                  order("a2", "ada", "h-ada@example.org", 3)};
  const std::vector<Order> bob = {order("b1", "bob", "h-bob@example.org", 2)};
  FeatureStore with_ada, without_ada;
  for (const Order& o : {ada[0], bob[0], ada[1]}) with_ada.Observe(o);
  without_ada.Observe(bob[0]);
  const Order probe = order("p", "ada", "h-ada@example.org", 10);
  ASSERT_FALSE(SameFeatures(with_ada.Compute(probe), without_ada.Compute(probe)));
  for (const Order& o : ada) with_ada.Forget(o);
  with_ada.ForgetKeys(EntityKind::kCustomer, [](const std::string& k) { return k == "ada"; });
  with_ada.ForgetCustomerPairs("ada");
  EXPECT_TRUE(SameFeatures(with_ada.Compute(probe), without_ada.Compute(probe)));
  EXPECT_EQ(with_ada.Memory().tracked_keys, without_ada.Memory().tracked_keys);
}

TEST_F(FraudEngineTest, ForgetsACustomersOrdersScoresAndLabels) {
  ASSERT_TRUE(engine_.SetModel(testing::TrainToyModel()).ok());
  Order a1 = MakeOrder("a1", 250), a2 = MakeOrder("a2", 20), b1 = MakeOrder("b1", 30);
  a1.customer_id = "ada";
  a2.customer_id.clear();
  a2.email = "0123abcd@example.org";  // hashed local part, as orders store it
  b1.customer_id = "bob";
  for (const Order& o : {a1, a2, b1}) ASSERT_TRUE(engine_.ScoreAndObserve(o).ok());
  ASSERT_TRUE(engine_.AddLabel("a1", true).ok());
  nlohmann::json exported = engine_.ExportCustomer("ada", "0123abcd", {});
  ASSERT_EQ(exported.size(), 2u) << exported.dump();
  EXPECT_EQ(exported[0]["label"], "fraud");
  EXPECT_TRUE(exported[0]["risk"]["score"].is_number());
  const size_t keys_before = engine_.Memory().tracked_keys;

  EXPECT_EQ(engine_.ForgetCustomer("ada", "0123abcd", {}), 2);
  EXPECT_FALSE(engine_.Knows("a1"));
  EXPECT_FALSE(engine_.Knows("a2"));
  EXPECT_EQ(engine_.Assessment("a1").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(engine_.AddLabel("a1", false).code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(engine_.ExportCustomer("ada", "0123abcd", {}).empty());
  EXPECT_LT(engine_.Memory().tracked_keys, keys_before);
  EXPECT_TRUE(engine_.Knows("b1"));
  EXPECT_EQ(engine_.ForgetCustomer("", "", {"b1"}), 1);
  EXPECT_EQ(engine_.ForgetCustomer("", "", {}), 0);  // empty matches nothing

  engine_.Observe(MakeOrder("c1", 10));
  engine_.ForgetAll();
  EXPECT_FALSE(engine_.Knows("c1"));
  EXPECT_EQ(engine_.Score(MakeOrder("d", 10)).status().code(),
            absl::StatusCode::kFailedPrecondition);  // the model went with the shop
}

TEST(CandidateGate, PrefersTheBetterRanker) {
  auto good = testing::TrainToyModel("good");
  ASSERT_NE(good, nullptr);
  Dataset validation{FeatureStore::NumFeatures(), {}, {}};
  std::vector<float> row(FeatureStore::NumFeatures(), NAN);
  for (float amount : {10.f, 50.f, 230.f, 260.f, 100.f, 290.f}) {
    row[0] = amount;
    validation.AddRow(row.data(), amount > 220);
  }
  // A model trained on inverted labels ranks worst.
  Dataset inverted = validation;
  for (float& y : inverted.labels) y = 1 - y;
  auto bad = FraudModel::Train(inverted, FeatureStore::FeatureNames(), "bad");
  ASSERT_TRUE(bad.ok());
  EXPECT_TRUE(*CandidateNotWorse(nullptr, **bad, validation));
  EXPECT_FALSE(*CandidateNotWorse(good.get(), **bad, validation));
  EXPECT_TRUE(*CandidateNotWorse(bad->get(), *good, validation));
}

}  // namespace
}  // namespace storepilot::fraud

namespace storepilot::fraud {
namespace {

TEST_F(FraudEngineTest, RejectsInvalidOrders) {
  ASSERT_TRUE(engine_.SetModel(testing::TrainToyModel()).ok());
  Order no_id = MakeOrder("", 10);
  Order nan_amount = MakeOrder("a", NAN);
  Order negative = MakeOrder("b", -1);
  Order epoch = MakeOrder("c", 10);
  epoch.time_ms = 0;
  for (const Order* o : {&no_id, &nan_amount, &negative, &epoch}) {
    EXPECT_EQ(engine_.ScoreAndObserve(*o).status().code(), absl::StatusCode::kInvalidArgument);
    engine_.Observe(*o);
  }
  EXPECT_EQ(engine_.Memory().tracked_keys, 0u);  // Nothing recorded.
}

TEST_F(FraudEngineTest, CountsLevelsRuleHitsAndPrecision) {
  ASSERT_TRUE(engine_.SetModel(testing::TrainToyModel("m7")).ok());
  ASSERT_TRUE(engine_.SetRules("review if amount > 250").ok());
  ASSERT_TRUE(engine_.ScoreAndObserve(MakeOrder("lo1", 20)).ok());
  ASSERT_TRUE(engine_.ScoreAndObserve(MakeOrder("lo2", 30)).ok());
  ASSERT_TRUE(engine_.ScoreAndObserve(MakeOrder("hi1", 260)).ok());
  ASSERT_TRUE(engine_.ScoreAndObserve(MakeOrder("hi2", 280)).ok());
  ASSERT_TRUE(engine_.AddLabel("hi1", true).ok());
  ASSERT_TRUE(engine_.AddLabel("hi2", false).ok());
  ASSERT_TRUE(engine_.AddLabel("lo1", true).ok());
  ASSERT_TRUE(engine_.AddLabel("lo1", true).ok());  // Repeated: counted once.
  const EngineStats stats = engine_.Stats();
  EXPECT_EQ(stats.scored[static_cast<int>(RiskLevel::kLow)], 2);
  EXPECT_EQ(stats.scored[static_cast<int>(RiskLevel::kHigh)], 2);
  EXPECT_EQ(stats.rule_hits.at("review if amount > 250"), 2);
  EXPECT_EQ(stats.labels, 3);
  EXPECT_DOUBLE_EQ(stats.Precision(), 0.5);
  EXPECT_DOUBLE_EQ(stats.Recall(), 0.5);
  EXPECT_EQ(stats.model_version, "m7");
}

// Remembers 1,000 orders a minute apart; the first 800 (training part) are
// labelled by `train_rule`, the newest 200 (validation) by amount > 220.
void Replay(FraudEngine& engine, bool invert_training_labels) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> amount(1, 300);
  for (int i = 0; i < 1000; ++i) {
    Order o = MakeOrder("r" + std::to_string(i), amount(rng));
    o.time_ms += i * 60'000LL;
    o.customer_id = "c" + std::to_string(i % 50);
    engine.Observe(o);
    const bool fraud = o.amount > 220;
    ASSERT_TRUE(engine.AddLabel(o.order_id, i < 800 && invert_training_labels ? !fraud : fraud)
                    .ok());
  }
}

TEST(FraudEngineRetrain, InstallsOnlyACandidateThatIsNotWorse) {
  FakeClock clock((1'700'000'000'000LL + 30 * kMillisPerDay) * 1000);
  TrainOptions options;
  options.rounds = 10;
  options.max_depth = 2;
  {
    FraudEngine engine(EngineOptions{}, &clock);
    ASSERT_TRUE(engine.SetModel(testing::TrainToyModel("toy")).ok());
    Replay(engine, /*invert_training_labels=*/true);
    auto result = engine.Retrain(options, "inverted");
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_FALSE(result->swapped);  // Learned the opposite: rejected.
    EXPECT_EQ(result->train_rows, 800);
    EXPECT_EQ(result->validation_rows, 200);
    EXPECT_EQ(engine.model()->version(), "toy");
  }
  {
    FraudEngine engine(EngineOptions{}, &clock);
    Replay(engine, /*invert_training_labels=*/false);
    auto result = engine.Retrain(options, "fresh");
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_TRUE(result->swapped);
    EXPECT_EQ(engine.model()->version(), "fresh");
  }
  FraudEngine empty(EngineOptions{}, &clock);
  EXPECT_EQ(empty.Retrain(options, "x").status().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace storepilot::fraud

namespace storepilot::fraud {
namespace {

TEST_F(FraudEngineTest, KeepsAndRedoesAssessments) {
  ASSERT_TRUE(engine_.SetModel(testing::TrainToyModel("v1")).ok());
  auto scored = engine_.ScoreAndObserve(MakeOrder("a", 290));
  ASSERT_TRUE(scored.ok());
  auto kept = engine_.Assessment("a");
  ASSERT_TRUE(kept.ok());
  EXPECT_DOUBLE_EQ(kept->score, scored->score);
  EXPECT_EQ(engine_.Assessment("zz").status().code(), absl::StatusCode::kNotFound);
  engine_.Observe(MakeOrder("b", 290));
  EXPECT_EQ(engine_.Assessment("b").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(engine_.Rescore("zz").status().code(), absl::StatusCode::kNotFound);
  // Later orders do not leak into a rescore: "a" keeps its features.
  for (int i = 0; i < 5; ++i) engine_.Observe(MakeOrder("later" + std::to_string(i), 280));
  ASSERT_TRUE(engine_.SetModel(testing::TrainToyModel("v2")).ok());
  auto redone = engine_.Rescore("a");
  ASSERT_TRUE(redone.ok());
  EXPECT_EQ(redone->model_version, "v2");
  EXPECT_DOUBLE_EQ(redone->score, scored->score);  // Same data, same seed.
  EXPECT_EQ(engine_.Assessment("a")->model_version, "v2");
  EXPECT_TRUE(engine_.Rescore("b").ok());
  EXPECT_TRUE(engine_.Assessment("b").ok());
}

}  // namespace
}  // namespace storepilot::fraud
