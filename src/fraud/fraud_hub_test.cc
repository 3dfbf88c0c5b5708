#include "fraud/fraud_hub.h"

#include <atomic>
#include <filesystem>
#include <random>
#include <set>
#include <thread>

#include "fraud/test_util.h"
#include "gtest/gtest.h"
#include "common/temp_dir.h"

namespace storepilot::fraud {
namespace {

using nlohmann::json;

constexpr int64_t kT0 = 1'700'000'000'000;  // ms

using TempModelDir = storepilot::testing::TempDir;

Order MakeOrder(const std::string& id, int64_t t, double amount, const std::string& customer) {
  Order o;
  o.order_id = id;
  o.time_ms = t;
  o.amount = amount;
  o.customer_id = customer;
  return o;
}

void ApplyRecord(FraudHub* hub, const std::string& shop, const store::AppendItem& item) {
  store::LogRecord r;
  r.type = item.type;
  r.shop = shop;
  r.payload = item.payload;
  hub->Apply(r);
}

// 600 orders over a day, fraud when the amount is large, every one labelled.
void FeedLabelledOrders(FraudHub* hub, const std::string& shop, int64_t start) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> amount(1, 300);
  FraudEngine* engine = hub->EngineFor(shop);
  for (int i = 0; i < 600; ++i) {
    Order o = MakeOrder(shop + std::to_string(i), start + i * 60'000, amount(rng),
                        "c" + std::to_string(i % 50));
    engine->Observe(o);
    ASSERT_TRUE(engine->AddLabel(o.order_id, o.amount > 220, start + 1).ok());
  }
}

TEST(FraudHub, AppliesRulesAndLabelRecordsPerShop) {
  FakeClock clock(kT0 * 1000);
  observe::MetricsRegistry metrics;
  auto hub = FraudHub::Create({}, &clock, &metrics);
  ASSERT_TRUE(hub.ok());
  ApplyRecord(hub->get(), "a", FraudRulesRecord("block if amount > 10"));
  ApplyRecord(hub->get(), "a", FraudRulesRecord("block if"));  // Bad: the old rules stay.
  EXPECT_EQ((*hub)->RulesText("a"), "block if amount > 10");
  EXPECT_EQ((*hub)->RulesText("b"), "");
  json order = {{"id", "o1"}, {"created_at", kT0}, {"total_price", 5}};
  ApplyRecord(hub->get(), "a", FraudOrderRecord("o1", order));
  ApplyRecord(hub->get(), "a", FraudOrderRecord("o1", order));  // A repeat: skipped.
  store::AppendItem garbage = FraudOrderRecord("o2", order);
  garbage.payload = "no newline";
  ApplyRecord(hub->get(), "a", garbage);
  ApplyRecord(hub->get(), "a", FraudLabelRecord("o1", true, "chargeback", kT0));
  ApplyRecord(hub->get(), "a", FraudLabelRecord("nope", true, "chargeback", kT0));
  EXPECT_TRUE((*hub)->KnowsOrder("a", "o1"));
  EXPECT_FALSE((*hub)->KnowsOrder("b", "o1"));
  EXPECT_EQ((*hub)->EngineFor("a")->Stats().labels, 1);
  EXPECT_EQ((*hub)->EngineFor("b")->Stats().labels, 0);
  EXPECT_NE(metrics.RenderText().find("storepilot_fraud_bad_records_total 3"), std::string::npos);
}

// The route records an order's body as received; an id given only in the
// path is the record's.
TEST(FraudHub, AppliesAnOrderRecordWhoseBodyLacksItsId) {
  FakeClock clock(kT0 * 1000);
  auto hub = FraudHub::Create({}, &clock, nullptr);
  ASSERT_TRUE(hub.ok());
  ApplyRecord(hub->get(), "a",
              FraudOrderRecordFromText("o7", R"({"created_at": 1700000000000, "total_price": 5})"));
  EXPECT_TRUE((*hub)->KnowsOrder("a", "o7"));
  ApplyRecord(hub->get(), "a", FraudOrderRecordFromText("o8", "not json"));
  EXPECT_FALSE((*hub)->KnowsOrder("a", "o8"));
}

TEST(FraudHub, WithoutAModelRecordsButAnswersUnavailable) {
  FakeClock clock(kT0 * 1000);
  auto hub = FraudHub::Create({}, &clock, nullptr);
  ASSERT_TRUE(hub.ok());
  auto r = (*hub)->ScoreOrder("a", MakeOrder("o1", kT0, 10, "c1"));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE((*hub)->KnowsOrder("a", "o1"));
  EXPECT_EQ((*hub)->StoredAssessment("a", "o1").status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ((*hub)->StoredAssessment("a", "o2").status().code(), absl::StatusCode::kNotFound);
}

TEST(FraudHub, RetrainsOnScheduleByTheClockPersistsAndReloads) {
  TempModelDir dir;
  FakeClock clock(kT0 * 1000);
  observe::MetricsRegistry metrics;
  FraudHubOptions options;
  options.model_dir = dir.path();
  options.retrain_interval_ms = kMillisPerDay;
  auto hub = FraudHub::Create(options, &clock, &metrics);
  ASSERT_TRUE(hub.ok());
  FeedLabelledOrders(hub->get(), "a", kT0);
  EXPECT_EQ((*hub)->RetrainDue(), 0);  // Not due yet.
  EXPECT_EQ((*hub)->EngineFor("a")->model(), nullptr);
  clock.AdvanceMicros(9 * kMillisPerDay * 1000);  // Past the interval and the label delay.
  EXPECT_EQ((*hub)->RetrainDue(), 1);
  auto model = (*hub)->EngineFor("a")->model();
  ASSERT_NE(model, nullptr);
  EXPECT_EQ((*hub)->RetrainDue(), 0);  // The attempt resets the interval.
  auto high = (*hub)->ScoreOrder("a", MakeOrder("big", clock.NowMillis(), 290, "c1"));
  auto low = (*hub)->ScoreOrder("a", MakeOrder("small", clock.NowMillis(), 20, "c2"));
  ASSERT_TRUE(high.ok() && low.ok());
  EXPECT_GT(high->score, low->score);
  EXPECT_EQ(high->model_version, model->version());
  const std::string rendered = metrics.RenderText();
  EXPECT_NE(rendered.find("storepilot_fraud_model_info{shop=\"a\",version=\"" + model->version() +
                          "\"} 1"),
            std::string::npos)
      << rendered;
  EXPECT_NE(rendered.find("storepilot_fraud_retrains_total{shop=\"a\",result=\"swapped\"} 1"),
            std::string::npos)
      << rendered;

  // A new hub on the same directory scores with the persisted version.
  auto reopened = FraudHub::Create(options, &clock, nullptr);
  ASSERT_TRUE(reopened.ok());
  ASSERT_NE((*reopened)->EngineFor("a")->model(), nullptr);
  EXPECT_EQ((*reopened)->EngineFor("a")->model()->version(), model->version());
  EXPECT_EQ((*reopened)->EngineFor("b")->model(), nullptr);  // Shops do not share models.
}

TEST(FraudHub, SchedulerThreadRetrainsWhenTheFakeClockMoves) {
  FakeClock clock(kT0 * 1000);
  FraudHubOptions options;
  options.retrain_interval_ms = kMillisPerDay;
  options.scheduler_tick_ms = 5;
  auto hub = FraudHub::Create(options, &clock, nullptr);
  ASSERT_TRUE(hub.ok());
  FeedLabelledOrders(hub->get(), "a", kT0);
  (*hub)->StartScheduler();
  clock.AdvanceMicros(9 * kMillisPerDay * 1000);
  for (int i = 0; i < 2000 && (*hub)->EngineFor("a")->model() == nullptr; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_NE((*hub)->EngineFor("a")->model(), nullptr);
  (*hub)->StopScheduler();
}

TEST(FraudHub, ModelSwapUnderConcurrentScoring) {
  FakeClock clock(kT0 * 1000);
  auto hub = FraudHub::Create({}, &clock, nullptr);
  ASSERT_TRUE(hub.ok());
  FraudEngine* engine = (*hub)->EngineFor("a");
  std::vector<std::shared_ptr<const FraudModel>> models = {testing::TrainToyModel("v1"),
                                                           testing::TrainToyModel("v2")};
  ASSERT_TRUE(engine->SetModel(models[0]).ok());
  std::atomic<bool> stop{false};
  std::atomic<int> scored{0}, failed{0};
  std::vector<std::thread> scorers;
  for (int t = 0; t < 3; ++t) {
    scorers.emplace_back([&, t] {
      for (int i = 0; !stop.load(); ++i) {
        auto r = (*hub)->ScoreOrder(
            "a", MakeOrder("t" + std::to_string(t) + "-" + std::to_string(i), kT0 + i, 250, "c"));
        if (!r.ok() || (r->model_version != "v1" && r->model_version != "v2") ||
            r->score <= 50) {
          ++failed;
        }
        ++scored;
      }
    });
  }
  for (int swap = 0; swap < 200; ++swap) ASSERT_TRUE(engine->SetModel(models[swap % 2]).ok());
  while (scored.load() < 300) std::this_thread::yield();
  stop = true;
  for (auto& t : scorers) t.join();
  EXPECT_EQ(failed.load(), 0);
}

}  // namespace
}  // namespace storepilot::fraud
