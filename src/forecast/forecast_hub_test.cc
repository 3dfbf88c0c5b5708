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
    options.yearly_platform_events = false;
    options.categories = [](const std::string&, const std::string& product) {
      if (product == "lamp") return std::vector<std::string>{"Home", "Lighting", "Lamps"};
      if (product == "pan") return std::vector<std::string>{"Home", "Kitchen"};
      return std::vector<std::string>{};
    };
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

// Each level of a product's category path gets the product's units.
TEST_F(ForecastHubTest, CategorySalesCountEveryLevelOfThePath) {
  for (int d = 0; d < 120; ++d) {
    ApplyItem(hub_.get(), "s1", Purchase("lamp", kDay0 + d * kMillisPerDay + 1000, 4));
    ApplyItem(hub_.get(), "s1", Purchase("pan", kDay0 + d * kMillisPerDay + 2000, 6));
    ApplyItem(hub_.get(), "s1", Purchase("uncategorised", kDay0 + d * kMillisPerDay + 3000, 50));
  }
  ApplyItem(hub_.get(), "s2", Purchase("lamp", kDay0 + 100 * kMillisPerDay, 1000));
  struct Case {
    std::string category;
    double units;
  };
  for (const Case& c : {Case{"Home", 10}, Case{"Lighting", 4}, Case{"Lamps", 4},
                        Case{"Kitchen", 6}}) {
    SCOPED_TRACE(c.category);
    auto fc = hub_->CategoryDemandForecast("s1", c.category, 7);
    ASSERT_TRUE(fc.ok()) << fc.status();
    ASSERT_EQ(fc->result.point.size(), 7u);
    for (double v : fc->result.point) EXPECT_NEAR(v, c.units, 0.5);
    EXPECT_LE(fc->result.quantiles.front()[3], fc->result.quantiles.back()[3]);
  }
  auto none = hub_->CategoryDemandForecast("s1", "Garden", 7);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->result.model, "no sales");
  EXPECT_FALSE(hub_->CategoryDemandForecast("s1", "Home", 400).ok());
}

// Two years of daily sales at 100 a day with Black Friday at 3x: with the
// platform calendar the next Black Friday is forecast at about 3x (learned
// from the past one, not the given +100%); without it, at the usual level.
TEST(ForecastHubPlatform, BlackFridayLearnedFromTheYearBefore) {
  const int64_t bf2024 = 1'732'838'400'000;  // 2024-11-29
  const int64_t bf2025 = 1'764'288'000'000;  // 2025-11-28
  const int64_t today = bf2025 - 5 * kMillisPerDay;
  FakeClock clock((today + 3'600'000) * 1000);
  for (bool yearly : {true, false}) {
    SCOPED_TRACE(yearly);
    ForecastHubOptions options;
    options.demand_history_days = 700;
    options.yearly_platform_events = yearly;
    auto hub = ForecastHub::Create(options, &clock);
    ASSERT_TRUE(hub.ok());
    for (int64_t d = today - 690 * kMillisPerDay; d < today; d += kMillisPerDay) {
      const int64_t units = d == bf2024 ? 300 : 100;
      ApplyItem(hub->get(), "s1", Purchase("p", d + 1000, units));
    }
    auto fc = (*hub)->DemandForecast("s1", "p", 14);
    ASSERT_TRUE(fc.ok()) << fc.status();
    const auto& p = fc->result.point;
    EXPECT_NEAR(p[3], 100, 10);  // An ordinary day.
    if (yearly) {
      EXPECT_NEAR(p[5] / p[3], 3.0, 0.3);  // Black Friday 2025.
      bool learned = false;
      for (const EventEffect& e : fc->effects) {
        if (e.name == "black_friday") learned = e.source == "learned" && e.occurrences_learned == 1;
      }
      EXPECT_TRUE(learned);
    } else {
      EXPECT_NEAR(p[5], 100, 10);
      EXPECT_TRUE(fc->effects.empty());
    }
  }
}

// A platform campaign (PUT /v1/platform/calendar's record, or the config's)
// lifts every shop's demand and the traffic of any service, made-up or not.
TEST(ForecastHubPlatform, CampaignAppliesToEveryShopAndToTraffic) {
  const int64_t today = kDay0 + 60 * kMillisPerDay;
  FakeClock clock((today + 22 * 3'600'000) * 1000);  // 22:00, the campaign is tomorrow.
  ForecastHubOptions options;
  options.yearly_platform_events = false;
  options.platform_calendar = {{"config_sale", today + 3 * kMillisPerDay,
                                today + 4 * kMillisPerDay, 0.5}};
  auto created = ForecastHub::Create(options, &clock);
  ASSERT_TRUE(created.ok());
  ForecastHub* hub = created->get();
  for (int d = 0; d < 60; ++d) {
    for (const char* shop : {"s1", "s2"}) {
      ApplyItem(hub, shop, Purchase("p", kDay0 + d * kMillisPerDay + 1000, 10));
    }
  }
  const int64_t now = clock.NowMillis();
  for (int m = 1; m <= 600; ++m) {
    for (int i = 0; i < 20; ++i) hub->CountRequest("made-up-checkout", now - m * 60'000);
  }
  auto before = hub->TrafficForecast("made-up-checkout", 240);
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_NEAR(before->point[200], 20, 3);

  const nlohmann::json doc = CalendarToJson(
      {{"flash", today + kMillisPerDay, today + 2 * kMillisPerDay, 1.0}});
  ApplyItem(hub, kPlatformShop, PlatformCalendarRecord(doc));
  ApplyItem(hub, kPlatformShop, PlatformCalendarRecord(nlohmann::json{{"events", "bad"}}));
  ASSERT_EQ(hub->PlatformEvents().size(), 2u);
  EXPECT_EQ(hub->PlatformEvents()[1].name, "flash");
  for (const char* shop : {"s1", "s2"}) {
    SCOPED_TRACE(shop);
    auto fc = hub->DemandForecast(shop, "p", 5);
    ASSERT_TRUE(fc.ok()) << fc.status();
    EXPECT_NEAR(fc->result.point[0], 10, 1);
    EXPECT_NEAR(fc->result.point[1], 20, 2);  // The platform's flash sale.
    EXPECT_NEAR(fc->result.point[3], 15, 1.5);  // The config's sale.
  }
  // Traffic: minutes before midnight as usual, after it doubled.
  auto traffic = hub->TrafficForecast("made-up-checkout", 240);
  ASSERT_TRUE(traffic.ok()) << traffic.status();
  EXPECT_NEAR(traffic->point[60], 20, 3);   // 23:00
  EXPECT_NEAR(traffic->point[200], 40, 6);  // 01:20 tomorrow
  EXPECT_GT(traffic->quantiles.back()[200], traffic->quantiles.back()[60] * 1.5);
}

}  // namespace
}  // namespace storepilot::forecast
