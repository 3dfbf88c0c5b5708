// The forecast routes driven directly (no sockets), with a ForecastHub fed by
// the log: the platform calendar (PUT/GET, through the log and back after a
// restart), per-category demand, and traffic of any counted service.
#include <chrono>
#include <filesystem>
#include <future>
#include <random>
#include <thread>

#include "api/service.h"
#include "forecast/forecast_hub.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace storepilot::api {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;

constexpr char kAdmin[] = "admin-token-for-tests";
constexpr int64_t kDay = 86'400'000;
constexpr int64_t kToday = 1'795'737'600'000;  // 2026-11-27 (Black Friday)

class ForecastRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() /
           ("sp_forecast_routes_" + std::to_string(rd()) + std::to_string(rd()));
    Open();
  }
  void TearDown() override {
    Close();
    std::filesystem::remove_all(dir_);
  }
  void Open() {
    forecast::ForecastHubOptions options;
    options.yearly_platform_events = false;  // Only the events the test puts.
    options.categories = [this](const std::string& shop, const std::string& id) {
      auto p = catalog_.Get(shop, id);
      return p == nullptr ? std::vector<std::string>{} : p->category;
    };
    auto hub = forecast::ForecastHub::Create(options, &clock_);
    ASSERT_TRUE(hub.ok()) << hub.status();
    hub_ = std::move(*hub);
    store::EventLogOptions o;
    o.dir = dir_.string();
    o.partitions = 2;
    o.sync = false;
    auto log = store::EventLog::Open(o, {&shops_, &catalog_, &stats_, hub_.get()}, &clock_,
                                     &metrics_);
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = std::move(*log);
    ServiceDeps deps{log_.get(), &shops_, &stats_, &catalog_, &metrics_, &clock_, kAdmin};
    deps.forecast = hub_.get();
    service_ = std::make_unique<ApiService>(deps);
    ASSERT_TRUE(log_->WaitReady(5000));
  }
  void Close() {
    service_.reset();
    if (log_ != nullptr) log_->Shutdown();
    log_.reset();
  }

  HttpResponse Call(const std::string& method, const std::string& target,
                    const std::string& body = "", const std::string& token = kAdmin) {
    HttpRequest req;
    req.method = method;
    req.target = target;
    req.body = body;
    req.headers.emplace_back("content-type", "application/json");
    if (!token.empty()) req.headers.emplace_back("authorization", "Bearer " + token);
    std::promise<HttpResponse> p;
    auto f = p.get_future();
    service_->Handle(std::move(req), [&p](HttpResponse r) { p.set_value(std::move(r)); });
    return f.get();
  }

  FakeClock clock_{(kToday + 10 * 3'600'000) * 1000};  // 10:00
  observe::MetricsRegistry metrics_;
  ingest::ShopRegistry shops_;
  ingest::ShopStats stats_;
  catalog::Catalog catalog_;
  std::unique_ptr<forecast::ForecastHub> hub_;
  std::unique_ptr<store::EventLog> log_;
  std::unique_ptr<ApiService> service_;
  std::filesystem::path dir_;
};

TEST_F(ForecastRoutesTest, PlatformCalendarCategoryDemandAndAnyServiceTraffic) {
  HttpResponse created = Call("POST", "/v1/admin/shops", json{{"shop", "s1"}}.dump());
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string token = json::parse(created.body)["api_token"];

  // The platform announces a +100% flash sale for the day after tomorrow.
  json calendar = {{"events",
                    {{{"name", "platform_flash"}, {"start", kToday + 2 * kDay},
                      {"end", kToday + 3 * kDay}, {"expected_uplift", 1.0}}}}};
  HttpResponse put = Call("PUT", "/v1/platform/calendar", calendar.dump());
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(json::parse(put.body)["events"][0]["name"], "platform_flash");
  HttpResponse got = Call("GET", "/v1/platform/calendar");
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(json::parse(got.body)["events"].size(), 1u);
  EXPECT_TRUE(json::parse(got.body)["yearly_events"].empty());

  // Two lamps and a pan sold every day for 60 days.
  ASSERT_EQ(Call("PUT", "/v1/shops/s1/products/lamp",
                 R"({"title": "Lamp", "price": 30, "category": ["Home", "Lighting"]})", token)
                .status,
            200);
  ASSERT_EQ(Call("PUT", "/v1/shops/s1/products/pan",
                 R"({"title": "Pan", "price": 20, "category": ["Home", "Kitchen"]})", token)
                .status,
            200);
  json events = json::array();
  for (int d = 60; d >= 1; --d) {
    events.push_back({{"event_id", "p" + std::to_string(d)},
                      {"type", "purchase"},
                      {"ts", kToday - d * kDay + 60'000},
                      {"session_id", "s" + std::to_string(d)},
                      {"order_id", "o" + std::to_string(d)},
                      {"items",
                       {{{"product_id", "lamp"}, {"quantity", 2}, {"price", 30}},
                        {{"product_id", "pan"}, {"quantity", 1}, {"price", 20}}}}});
  }
  HttpResponse posted = Call("POST", "/v1/shops/s1/events", events.dump(), token);
  ASSERT_EQ(posted.status, 200) << posted.body;
  // Events are acknowledged once durable and applied after: wait until all
  // 60 reached the sinks (the stats sink applies each record just before
  // the forecast hub), or the forecast may see only some of the days.
  for (int i = 0; i < 500 && stats_.Events("s1") < 60; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(stats_.Events("s1"), 60u);
  json demand;
  for (int i = 0; i < 250; ++i) {
    HttpResponse r =
        Call("GET", "/v1/shops/s1/forecast/demand?category=Home&horizon_days=5", "", token);
    ASSERT_EQ(r.status, 200) << r.body;
    demand = json::parse(r.body);
    if (demand["model"] != "no sales") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(demand["category"], "Home");
  ASSERT_EQ(demand["days"].size(), 5u);
  EXPECT_NEAR(demand["days"][0]["units"].get<double>(), 3, 0.5);
  EXPECT_NEAR(demand["days"][2]["units"].get<double>(), 6, 1);  // The platform's sale.
  EXPECT_EQ(demand["events"][0]["source"], "given");
  HttpResponse lighting =
      Call("GET", "/v1/shops/s1/forecast/demand?category=Lighting&horizon_days=2", "", token);
  ASSERT_EQ(lighting.status, 200);
  EXPECT_NEAR(json::parse(lighting.body)["days"][0]["units"].get<double>(), 2, 0.5);

  // Any service with a series is forecast, not only the engine's own.
  const int64_t now = clock_.NowMillis();
  for (int m = 1; m <= 120; ++m) {
    for (int i = 0; i < 7; ++i) hub_->CountRequest("made-up-recs-svc", now - m * 60'000);
  }
  HttpResponse traffic =
      Call("GET", "/v1/forecast/traffic?service=made-up-recs-svc&horizon_minutes=10");
  ASSERT_EQ(traffic.status, 200) << traffic.body;
  json t = json::parse(traffic.body);
  EXPECT_EQ(t["service"], "made-up-recs-svc");
  ASSERT_EQ(t["minutes"].size(), 10u);
  EXPECT_NEAR(t["minutes"][0]["requests"].get<double>(), 7, 1);

  // Errors.
  struct Case {
    std::string method, target, body, token;
    int status;
    const char* message;
  };
  const Case cases[] = {
      {"PUT", "/v1/platform/calendar", calendar.dump(), token, 403, ""},
      {"GET", "/v1/platform/calendar", "", token, 403, ""},
      {"PUT", "/v1/platform/calendar", "{", kAdmin, 400, "malformed JSON"},
      {"PUT", "/v1/platform/calendar", R"({"events": [{"name": "x", "start": 1}]})", kAdmin,
       400, "events[0].end is required"},
      {"GET", "/v1/shops/s1/forecast/demand?category=Home&product_id=lamp", "", token, 400,
       "exactly one of product_id and category"},
      {"GET", "/v1/shops/s1/forecast/demand?category=Home&horizon_days=999", "", token, 400,
       "horizon_days"},
      {"GET", "/v1/forecast/traffic?service=never-counted", "", kAdmin, 404, "never-counted"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.method + " " + c.target);
    HttpResponse r = Call(c.method, c.target, c.body, c.token);
    EXPECT_EQ(r.status, c.status) << r.body;
    EXPECT_THAT(r.body, HasSubstr(c.message));
  }

  // The platform calendar is in the log: it is back after a restart.
  Close();
  Open();
  ASSERT_EQ(hub_->PlatformEvents().size(), 1u);
  EXPECT_EQ(hub_->PlatformEvents()[0].name, "platform_flash");
}

}  // namespace
}  // namespace storepilot::api
