#include "forecast/forecast_hub.h"

#include "gtest/gtest.h"
#include "ingest/event.h"

namespace storepilot::forecast {
namespace {

constexpr int64_t kDay0 = 1'700'006'400'000;  // 2023-11-15T00:00:00Z

void ApplyItem(ForecastHub* hub, const std::string& shop, const store::AppendItem& item) {
  store::LogRecord r;
  r.type = item.type;
  r.shop = shop;
  r.payload = item.payload;
  hub->Apply(r);
}

store::AppendItem Purchase(const std::string& product, int64_t t, int64_t qty) {
  ingest::Event e;
  e.event_id = "e" + std::to_string(t);
  e.type = ingest::EventType::kPurchase;
  e.ts_ms = t;
  e.session_id = "s";
  e.items.push_back({product, qty, 9.5});
  store::AppendItem item;
  item.type = store::RecordType::kEvent;
  ingest::EncodeEvent(e, &item.payload);
  return item;
}

class ForecastHubTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ForecastHubOptions options;
    options.platform_calendar.clear();
    auto hub = ForecastHub::Create(options, &clock_);
    ASSERT_TRUE(hub.ok()) << hub.status();
    hub_ = std::move(*hub);
  }
  FakeClock clock_{(kDay0 + 120 * kMillisPerDay + 3'600'000) * 1000};
  std::unique_ptr<ForecastHub> hub_;
};

TEST(StockMath, PoissonAndNegativeBinomial) {
  EXPECT_NEAR(StockoutProbability(2.0, 2.0, 0), 1 - std::exp(-2.0), 1e-9);
  EXPECT_NEAR(StockoutProbability(2.0, 2.0, 1), 1 - 3 * std::exp(-2.0), 1e-9);
  EXPECT_EQ(StockoutProbability(0, 0, 0), 0);
  EXPECT_GT(StockoutProbability(2.0, 8.0, 6), StockoutProbability(2.0, 2.0, 6));  // Fatter tail.
  EXPECT_EQ(DemandQuantile(2.0, 2.0, 0.95), 5);  // Poisson(2): P(<=4)=0.947, P(<=5)=0.983.
  EXPECT_NEAR(StockoutProbability(1e6, 1e6, 1'000'000), 0.5, 0.01);
}

// A product selling one unit every third day with two in stock runs out
// within a 14-day lead time; a well-stocked one and a product without sales
// do not alert.
TEST_F(ForecastHubTest, SparseProductStockOutAlert) {
  for (int d = 0; d < 120; d += 3) {
    ApplyItem(hub_.get(), "s1", Purchase("sparse", kDay0 + d * kMillisPerDay + 5000, 1));
    ApplyItem(hub_.get(), "s1", Purchase("stocked", kDay0 + d * kMillisPerDay + 6000, 1));
  }
  ApplyItem(hub_.get(), "s2", Purchase("sparse", kDay0, 50));  // Another shop.
  StockPolicy policy;
  policy.lead_time_days = 14;
  auto alerts = hub_->InventoryAlerts("s1", {{"sparse", 2}, {"stocked", 100}, {"never", 0}},
                                      policy);
  ASSERT_TRUE(alerts.ok()) << alerts.status();
  ASSERT_EQ(alerts->size(), 1u);
  const StockAlert& a = (*alerts)[0];
  EXPECT_EQ(a.product_id, "sparse");
  EXPECT_NEAR(a.expected_demand, 14.0 / 3, 2.0);
  EXPECT_GT(a.stockout_probability, 0.7);
  EXPECT_GE(a.reorder_quantity, 3);
  EXPECT_LE(a.reorder_quantity, 15);

  auto demand = hub_->DemandForecast("s1", "sparse", 28);
  ASSERT_TRUE(demand.ok()) << demand.status();
  ASSERT_EQ(demand->result.point.size(), 28u);
  for (double v : demand->result.point) EXPECT_GE(v, 0);
  auto none = hub_->DemandForecast("s1", "never", 7);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->result.model, "no sales");
  EXPECT_FALSE(hub_->DemandForecast("s1", "sparse", 0).ok());
  policy.lead_time_days = 0;
  EXPECT_FALSE(hub_->InventoryAlerts("s1", {}, policy).ok());
}

TEST_F(ForecastHubTest, CalendarRecordsReachListenersAndForecasts) {
  std::vector<std::string> told;
  hub_->AddCalendarListener([&](const std::string& shop, const std::vector<CalendarEvent>& e,
                                const nlohmann::json& doc) {
    told.push_back(shop + ":" + std::to_string(e.size()) + ":" +
                   doc["events"][0].value("product_ids", nlohmann::json()).dump());
  });
  // Steady 10 a day; the shop announces a +200% event two days ahead.
  for (int d = 0; d < 120; ++d) {
    ApplyItem(hub_.get(), "s1", Purchase("p", kDay0 + d * kMillisPerDay + 1000, 10));
  }
  const int64_t today = kDay0 + 120 * kMillisPerDay;
  nlohmann::json doc = CalendarToJson(
      {{"flash", today + 2 * kMillisPerDay, today + 3 * kMillisPerDay, 2.0}});
  doc["events"][0]["product_ids"] = {"p"};  // For recommendations; passed through.
  ApplyItem(hub_.get(), "s1", CalendarRecord(doc));
  EXPECT_EQ(told, std::vector<std::string>{"s1:1:[\"p\"]"});
  EXPECT_EQ(hub_->ShopCalendar("s1").size(), 1u);
  EXPECT_TRUE(hub_->ShopCalendar("s2").empty());
  auto fc = hub_->DemandForecast("s1", "p", 5);
  ASSERT_TRUE(fc.ok()) << fc.status();
  EXPECT_NEAR(fc->result.point[0], 10, 1);
  EXPECT_NEAR(fc->result.point[2], 30, 3);
  auto other = hub_->DemandForecast("s2", "p", 5);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->result.model, "no sales");
}

TEST_F(ForecastHubTest, TrafficFromCountedRequests) {
  EXPECT_EQ(hub_->TrafficForecast("api", 30).status().code(), absl::StatusCode::kNotFound);
  const int64_t now = clock_.NowMillis();
  for (int m = 1; m <= 5; ++m) {
    for (int i = 0; i < 10; ++i) hub_->CountRequest("api", now - m * 60'000);
  }
  EXPECT_EQ(hub_->TrafficForecast("api", 30).status().code(),
            absl::StatusCode::kFailedPrecondition);
  for (int m = 6; m <= 300; ++m) {
    for (int i = 0; i < 10 + (m % 60 < 30 ? 5 : 0); ++i) hub_->CountRequest("api", now - m * 60'000);
  }
  auto fc = hub_->TrafficForecast("api", 30);
  ASSERT_TRUE(fc.ok()) << fc.status();
  ASSERT_EQ(fc->point.size(), 30u);
  for (size_t h = 0; h < 30; ++h) {
    EXPECT_GE(fc->point[h], 8);
    EXPECT_LE(fc->point[h], 17);
    EXPECT_LE(fc->quantiles.front()[h], fc->quantiles.back()[h]);
  }
  EXPECT_FALSE(hub_->TrafficForecast("api", 0).ok());
}

}  // namespace
}  // namespace storepilot::forecast
