// Search that learns from its own logs, over HTTP: served searches, clicks
// and purchases build the query signals; the scheduler trains the
// learning-to-rank model in the background; a restart rebuilds the same
// signals from the log and the same model from them.
#include <chrono>
#include <functional>
#include <map>
#include <random>
#include <thread>

#include "api/engine.h"
#include "gtest/gtest.h"
#include "http_client.h"
#include "nlohmann/json.hpp"
#include "temp_dir.h"

namespace storepilot {
namespace {

using json = nlohmann::json;
using testing::HttpClient;

constexpr char kToken[] = "shop-token-0123456789";
constexpr int64_t kNowMs = 1'700'000'000'000;
constexpr int64_t kHourMs = 3600 * 1000;

std::unique_ptr<api::Engine> StartEngine(const std::string& dir, const Clock* clock) {
  api::EngineConfig config;
  config.data_dir = dir;
  config.listen = "127.0.0.1:0";
  config.threads = 2;
  config.sync = false;
  config.admin_token = "admin-token-0123456789";
  config.shops.push_back({"s1", kToken, "secret"});
  config.search_ltr_interval_s = 3600;
  config.search_ltr_min_searches = 60;
  auto engine = api::Engine::Start(config, clock);
  EXPECT_TRUE(engine.ok()) << engine.status();
  EXPECT_TRUE((*engine)->WaitReady(10'000));
  return std::move(*engine);
}

// Events are applied asynchronously: retries `check` for up to 20 s (the
// bound of a hung test, not a timing assertion).
bool Eventually(const std::function<bool()>& check) {
  for (int i = 0; i < 2000; ++i) {
    if (check()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

class Shop {
 public:
  explicit Shop(uint16_t port) : client_(port) {}
  json Get(const std::string& target, int want = 200) {
    auto r = client_.Send("GET", target, "", kToken);
    EXPECT_EQ(r.status, want) << target << ": " << r.body;
    return json::parse(r.body, nullptr, false);
  }
  void Post(const std::string& target, const json& body) {
    auto r = client_.Send("POST", target, body.dump(), kToken);
    EXPECT_EQ(r.status, 200) << target << ": " << r.body;
  }
  json Quality() { return Get("/v1/shops/s1/search/quality"); }

 private:
  HttpClient client_;
};

const char* const kKinds[] = {"chair", "table", "lamp", "sofa"};

// Four kinds of product, six of each at different prices.
std::map<std::string, double> Seed(Shop& shop) {
  const char* styles[] = {"oak", "walnut", "modern", "rustic", "classic", "small"};
  std::mt19937 rng(11);
  std::map<std::string, double> prices;
  json products = json::array();
  for (const char* kind : kKinds) {
    for (const char* style : styles) {
      const std::string id = std::string(kind) + "-" + style;
      prices[id] = 20 + static_cast<double>(rng() % 400);
      products.push_back({{"id", id},
                          {"title", std::string(style) + " " + kind},
                          {"category", {"Home", kind}},
                          {"price", prices[id]}});
    }
  }
  shop.Post("/v1/shops/s1/products:batch", products);
  return prices;
}

// `n` shoppers search, click the cheapest of the first six results and
// every third buys it.
void Shoppers(Shop& shop, const std::map<std::string, double>& prices, int n) {
  for (int i = 0; i < n; ++i) {
    const std::string kind = kKinds[i % 4];
    json r = shop.Get("/v1/shops/s1/search?per_page=10&q=" + kind);
    std::string best;
    for (size_t p = 0; p < r["items"].size() && p < 6; ++p) {
      const std::string id = r["items"][p]["product_id"];
      if (best.empty() || prices.at(id) < prices.at(best)) best = id;
    }
    ASSERT_FALSE(best.empty());
    const std::string session = "sess-" + std::to_string(i);
    json events = json::array({{{"event_id", "c" + std::to_string(i)},
                                {"type", "click"},
                                {"ts", kNowMs + i * 1000},
                                {"session_id", session},
                                {"request_id", r["request_id"]},
                                {"product_id", best}}});
    if (i % 3 == 0) {
      events.push_back({{"event_id", "p" + std::to_string(i)},
                        {"type", "purchase"},
                        {"ts", kNowMs + i * 1000 + 500},
                        {"session_id", session},
                        {"order_id", "o" + std::to_string(i)},
                        {"items", {{{"product_id", best}, {"quantity", 1},
                                    {"price", prices.at(best)}}}}});
    }
    shop.Post("/v1/shops/s1/events", events);
  }
}

TEST(SearchLearning, TrainsInTheBackgroundAndRebuildsFromTheLog) {
  testing::TempDir dir;
  FakeClock clock(kNowMs * 1000);
  json before;
  {
    auto engine = StartEngine(dir.path(), &clock);
    Shop shop(engine->port());
    const auto prices = Seed(shop);
    // The first attempt comes once the (empty) log is replayed and finds
    // nothing to learn.
    ASSERT_TRUE(Eventually([&] { return shop.Quality()["last_training"].is_object(); }));
    json q = shop.Quality();
    EXPECT_EQ(q["ranker"]["active"], false);
    EXPECT_EQ(q["last_training"]["outcome"], "skipped");
    Shoppers(shop, prices, 120);
    ASSERT_TRUE(Eventually([&] {
      json s = shop.Quality()["signals"];
      return s["labelled_searches"] == 120 && s["conversions"] == 40;
    })) << shop.Quality().dump();
    // The retry of the skipped attempt is not due yet (the clock stands).
    EXPECT_EQ(shop.Quality()["last_training"]["outcome"], "skipped");
    EXPECT_EQ(shop.Quality()["ranker"]["version"], 0);
    clock.AdvanceMicros(2 * kHourMs * 1000);
    ASSERT_TRUE(Eventually([&] { return shop.Quality()["ranker"]["version"] == 1; }))
        << shop.Quality().dump();
    json r = shop.Get("/v1/shops/s1/search?q=lamp");
    EXPECT_NE(r["model"].get<std::string>().find("+ltr"), std::string::npos) << r["model"];
    ASSERT_TRUE(
        Eventually([&] { return shop.Quality()["signals"]["served_searches"] == 121; }));
    before = shop.Quality();
    EXPECT_EQ(before["last_training"]["outcome"], "accepted");
    EXPECT_GE(before["ranker"]["validation_ndcg_at_10"].get<double>(),
              before["ranker"]["replaced_ndcg_at_10"].get<double>());
    auto metrics = HttpClient(engine->port()).Send("GET", "/metrics", "", "");
    EXPECT_NE(metrics.body.find("storepilot_search_ltr_model_version{shop=\"s1\"} 1"),
              std::string::npos);
  }
  auto engine = StartEngine(dir.path(), &clock);
  Shop shop(engine->port());
  // The served lists and events come back from the log ...
  ASSERT_TRUE(Eventually([&] { return shop.Quality()["signals"] == before["signals"]; }))
      << shop.Quality()["signals"].dump() << " vs " << before["signals"].dump();
  // ... and the training at start, once the replay is done, learns the same
  // model from them without waiting for an interval (the clock stands still).
  ASSERT_TRUE(Eventually([&] { return shop.Quality()["ranker"]["version"] == 1; }))
      << shop.Quality().dump();
  EXPECT_EQ(shop.Quality()["ranker"]["validation_ndcg_at_10"],
            before["ranker"]["validation_ndcg_at_10"]);
  EXPECT_EQ(shop.Quality()["ranker"]["training_searches"],
            before["ranker"]["training_searches"]);
}

TEST(SearchLearning, QualityNeedsTheShopsToken) {
  testing::TempDir dir;
  FakeClock clock(kNowMs * 1000);
  auto engine = StartEngine(dir.path(), &clock);
  HttpClient client(engine->port());
  EXPECT_EQ(client.Send("GET", "/v1/shops/s1/search/quality", "", "").status, 401);
  EXPECT_EQ(client.Send("GET", "/v1/shops/nope/search/quality", "", kToken).status, 403);
}

}  // namespace
}  // namespace storepilot
