// The forecasting API end to end: the shop calendar through the log (and
// after a restart), purchase events into daily sales, demand forecasts,
// stock-out alerts from catalog inventory, the traffic forecast, bad input.
#include "api/engine.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "http_client.h"
#include "nlohmann/json.hpp"
#include "temp_dir.h"

namespace storepilot {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;
using testing::HttpClient;

constexpr char kShopToken[] = "shop-token-0123456789";
constexpr char kAdminToken[] = "admin-token-0123456789";
constexpr int64_t kDay = 86'400'000;
constexpr int64_t kDay0 = 1'700'006'400'000;  // 2023-11-15T00:00:00Z

std::unique_ptr<api::Engine> Start(const std::string& dir, const Clock* clock) {
  api::EngineConfig config;
  config.data_dir = dir;
  config.listen = "127.0.0.1:0";
  config.threads = 2;
  config.sync = false;
  config.admin_token = kAdminToken;
  config.shops.push_back({"s1", kShopToken, ""});
  auto engine = api::Engine::Start(config, clock);
  EXPECT_TRUE(engine.ok()) << engine.status();
  EXPECT_TRUE((*engine)->WaitReady(10'000));
  return std::move(*engine);
}

TEST(ForecastApi, CalendarSalesDemandAlertsAndTraffic) {
  testing::TempDir dir;
  FakeClock clock((kDay0 + 90 * kDay + 3'600'000) * 1000);
  auto engine = Start(dir.path(), &clock);
  HttpClient client(engine->port());
  auto send = [&](const std::string& method, const std::string& target, const std::string& body,
                  const std::string& token = kShopToken) {
    return client.Send(method, target, body, token);
  };

  // A sparse product (1 unit every third day, 2 in stock) and a steady one.
  ASSERT_EQ(send("PUT", "/v1/shops/s1/products/sparse",
                 R"({"title": "Rare lamp", "price": 90, "inventory": 2})").status, 200);
  ASSERT_EQ(send("PUT", "/v1/shops/s1/products/steady",
                 R"({"title": "Socks", "price": 5, "inventory": 1000})").status, 200);
  json events = json::array();
  for (int d = 0; d < 90; ++d) {
    const int64_t t = kDay0 + d * kDay + 60'000;
    json items = json::array({{{"product_id", "steady"}, {"quantity", 10}, {"price", 5}}});
    if (d % 3 == 0) items.push_back({{"product_id", "sparse"}, {"quantity", 1}, {"price", 90}});
    events.push_back({{"event_id", "p" + std::to_string(d)}, {"type", "purchase"}, {"ts", t},
                      {"session_id", "s" + std::to_string(d)}, {"order_id", "o" + std::to_string(d)},
                      {"items", items}});
  }
  auto posted = send("POST", "/v1/shops/s1/events", events.dump());
  ASSERT_EQ(posted.status, 200) << posted.body;

  const int64_t today = kDay0 + 90 * kDay;
  json calendar = {{"events",
                    {{{"name", "flash"}, {"start", today + 2 * kDay}, {"end", today + 3 * kDay},
                      {"expected_uplift", 1.0}}}}};
  auto put = send("PUT", "/v1/shops/s1/calendar", calendar.dump());
  ASSERT_EQ(put.status, 200) << put.body;

  // Events are applied asynchronously after the ack: poll the forecast.
  json demand;
  for (int i = 0; i < 200; ++i) {
    auto r = send("GET", "/v1/shops/s1/forecast/demand?product_id=steady&horizon_days=7", "");
    ASSERT_EQ(r.status, 200) << r.body;
    demand = json::parse(r.body);
    if (demand["model"] != "no sales") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(demand["days"].size(), 7u);
  EXPECT_NEAR(demand["days"][0]["units"].get<double>(), 10, 1.5);
  EXPECT_NEAR(demand["days"][2]["units"].get<double>(), 20, 3);  // The flash sale.
  EXPECT_EQ(demand["days"][0]["date"], "2024-02-13");
  EXPECT_TRUE(demand["days"][0]["quantiles"].contains("0.95"));

  auto alerts = send("GET", "/v1/shops/s1/inventory/alerts?lead_time_days=14", "");
  ASSERT_EQ(alerts.status, 200) << alerts.body;
  json a = json::parse(alerts.body);
  EXPECT_EQ(a["products_checked"], 2);
  ASSERT_EQ(a["alerts"].size(), 1u) << a.dump();
  EXPECT_EQ(a["alerts"][0]["product_id"], "sparse");
  EXPECT_GT(a["alerts"][0]["stockout_probability"].get<double>(), 0.7);
  EXPECT_GE(a["alerts"][0]["suggested_reorder_quantity"].get<int>(), 3);

  // A stored policy: a one-day lead time for the shop, three weeks and a
  // higher service level for the sparse product.
  auto policy = send("PUT", "/v1/shops/s1/inventory/policy",
                     R"({"lead_time_days": 1, "products": {"sparse": {"lead_time_days": 21,
                         "service_level": 0.99}}})");
  ASSERT_EQ(policy.status, 200) << policy.body;
  alerts = send("GET", "/v1/shops/s1/inventory/alerts", "");
  ASSERT_EQ(alerts.status, 200) << alerts.body;
  a = json::parse(alerts.body);
  EXPECT_EQ(a["lead_time_days"], 1);
  EXPECT_EQ(a["product_overrides"], 1);
  ASSERT_EQ(a["alerts"].size(), 1u) << a.dump();
  EXPECT_EQ(a["alerts"][0]["lead_time_days"], 21);
  EXPECT_EQ(a["alerts"][0]["service_level"], 0.99);
  EXPECT_NEAR(a["alerts"][0]["expected_demand"].get<double>(), 7, 2.5);
  // A query parameter applies to every product: one day of sparse demand
  // (a third of a unit) does not empty a stock of 2.
  alerts = send("GET", "/v1/shops/s1/inventory/alerts?lead_time_days=1", "");
  ASSERT_EQ(alerts.status, 200) << alerts.body;
  EXPECT_EQ(json::parse(alerts.body)["alerts"].size(), 0u) << alerts.body;

  // Bad input.
  struct Case {
    std::string method, target, body, token;
    int status;
    const char* message;
  };
  const Case cases[] = {
      {"PUT", "/v1/shops/s1/calendar", "{", kShopToken, 400, "malformed JSON"},
      {"PUT", "/v1/shops/s1/calendar", R"({"events": [{"name": "x", "start": 5, "end": 1}]})",
       kShopToken, 400, "events[0]: end must be after start"},
      {"GET", "/v1/shops/s1/forecast/demand", "", kShopToken, 400, "exactly one of product_id and category"},
      {"GET", "/v1/shops/s1/forecast/demand?product_id=p&horizon_days=0", "", kShopToken, 400,
       "horizon_days"},
      {"GET", "/v1/shops/s1/inventory/alerts?service_level=2", "", kShopToken, 400,
       "service_level"},
      {"PUT", "/v1/shops/s1/inventory/policy", R"({"products": {"p": {"service_level": 2}}})",
       kShopToken, 400, "]: service_level must be a number in [0.5, 0.9999]"},
      {"PUT", "/v1/shops/s1/inventory/policy", R"({"lead_time": 3})", kShopToken, 400,
       "unknown field"},
      {"PUT", "/v1/shops/s1/inventory/policy", "[]", kShopToken, 400, "JSON object"},
      {"GET", "/v1/shops/s1/inventory/policy", "", "wrong-token", 401, ""},
      {"GET", "/v1/forecast/traffic", "", kShopToken, 403, "admin"},
      {"GET", "/v1/forecast/traffic?horizon_minutes=5000", "", kAdminToken, 400,
       "horizon_minutes"},
      {"GET", "/v1/forecast/traffic?service=nope", "", kAdminToken, 404, ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.method + " " + c.target);
    auto r = send(c.method, c.target, c.body, c.token);
    EXPECT_EQ(r.status, c.status) << r.body;
    EXPECT_THAT(r.body, HasSubstr(c.message));
  }

  // Traffic: the engine counts its own requests per minute.
  for (int m = 0; m < 15; ++m) {
    clock.AdvanceMicros(60'000'000);
    for (int i = 0; i < 3; ++i) send("GET", "/healthz", "");
  }
  auto traffic = send("GET", "/v1/forecast/traffic?service=storepilot&horizon_minutes=5", "",
                      kAdminToken);
  ASSERT_EQ(traffic.status, 200) << traffic.body;
  json t = json::parse(traffic.body);
  ASSERT_EQ(t["minutes"].size(), 5u);
  EXPECT_NEAR(t["minutes"][0]["requests"].get<double>(), 3, 1.5);

  // The calendar is durable.
  engine.reset();
  engine = Start(dir.path(), &clock);
  HttpClient again(engine->port());
  auto got = again.Send("GET", "/v1/shops/s1/calendar", "", kShopToken);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(json::parse(got.body)["events"][0]["name"], "flash");
  // So is the stock policy (the failed PUTs changed nothing).
  got = again.Send("GET", "/v1/shops/s1/inventory/policy", "", kShopToken);
  ASSERT_EQ(got.status, 200) << got.body;
  json p = json::parse(got.body);
  EXPECT_EQ(p["lead_time_days"], 1);
  EXPECT_EQ(p["service_level"], 0.95);
  EXPECT_EQ(p["products"]["sparse"]["lead_time_days"], 21);
  EXPECT_EQ(p["products"].size(), 1u);
}

}  // namespace
}  // namespace storepilot
