// Recommendations and search over HTTP on a small hand-made shop: the log
// feeds both engines; config writes survive a restart.
#include <chrono>
#include <functional>
#include <thread>

#include "api/engine.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "http_client.h"
#include "nlohmann/json.hpp"
#include "temp_dir.h"

namespace storepilot {
namespace {

using ::testing::Contains;
using ::testing::Not;
using json = nlohmann::json;
using testing::HttpClient;

constexpr char kToken[] = "shop-token-0123456789";
constexpr char kOtherToken[] = "other-token-0123456789";
constexpr int64_t kNowMs = 1'700'000'000'000;

std::unique_ptr<api::Engine> StartEngine(const std::string& dir, const Clock* clock) {
  api::EngineConfig config;
  config.data_dir = dir;
  config.listen = "127.0.0.1:0";
  config.threads = 2;
  config.sync = false;
  config.admin_token = "admin-token-0123456789";
  config.shops.push_back({"s1", kToken, "secret"});
  config.shops.push_back({"s2", kOtherToken, "secret"});
  auto engine = api::Engine::Start(config, clock);
  EXPECT_TRUE(engine.ok()) << engine.status();
  EXPECT_TRUE((*engine)->WaitReady(10'000));
  return std::move(*engine);
}

json Product(const std::string& id, const std::string& title, const std::string& brand,
             const std::string& category, double price, bool in_stock = true) {
  return {{"id", id}, {"title", title}, {"brand", brand}, {"category", {"Shop", category}},
          {"price", price}, {"in_stock", in_stock}};
}

// Lamps and tents; lamp-4 is out of stock.
json Catalog() {
  return json::array({Product("lamp-1", "Brass desk lamp", "Lumo", "Lamps", 40),
                      Product("lamp-2", "Oak floor lamp", "Lumo", "Lamps", 90),
                      Product("lamp-3", "Paper pendant lamp", "Glow", "Lamps", 30),
                      Product("lamp-4", "Glass table lamp", "Glow", "Lamps", 55, false),
                      Product("tent-1", "Two person dome tent", "Trek", "Tents", 120),
                      Product("tent-2", "Family tunnel tent", "Trek", "Tents", 300),
                      Product("tent-3", "Ultralight trekking tent", "Alpi", "Tents", 260),
                      Product("sofa-1", "Grey three seat sofa", "Komfy", "Sofas", 700)});
}

class Shop {
 public:
  explicit Shop(uint16_t port) : client_(port) {}

  json Get(const std::string& target, int want = 200, const std::string& token = kToken) {
    auto r = client_.Send("GET", target, "", token);
    EXPECT_EQ(r.status, want) << target << ": " << r.body;
    return r.body.empty() ? json() : json::parse(r.body, nullptr, false);
  }
  json Send(const std::string& method, const std::string& target, const json& body,
            int want = 200) {
    auto r = client_.Send(method, target, body.is_string() ? body.get<std::string>() : body.dump(),
                          kToken);
    EXPECT_EQ(r.status, want) << target << ": " << r.body;
    return json::parse(r.body, nullptr, false);
  }
  void Events(const json& events) { Send("POST", "/v1/shops/s1/events", events); }
  void View(const std::string& session, const std::string& product) {
    Events(json::array({{{"event_id", "v" + std::to_string(next_++)},
                         {"type", "view"},
                         {"ts", kNowMs - 1000 + next_},
                         {"session_id", session},
                         {"product_id", product}}}));
  }
  std::vector<std::string> Ids(const json& response) {
    std::vector<std::string> out;
    for (const json& item : response["items"]) out.push_back(item["product_id"]);
    return out;
  }
  // Events are applied asynchronously after the write is acknowledged:
  // retries `check` for up to 10 s (the bound of a hung test, not a timing
  // assertion).
  static bool Eventually(const std::function<bool()>& check) {
    for (int i = 0; i < 1000; ++i) {
      if (check()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

 private:
  HttpClient client_;
  int next_ = 0;
};

std::string Recs(const std::string& query) { return "/v1/shops/s1/recommendations?" + query; }

void Seed(Shop& shop) {
  shop.Send("POST", "/v1/shops/s1/products:batch", Catalog());
  // Past shoppers browse lamps together and tents together.
  for (int i = 0; i < 6; ++i) {
    shop.View("old-l" + std::to_string(i), "lamp-1");
    shop.View("old-l" + std::to_string(i), "lamp-2");
    shop.View("old-t" + std::to_string(i), "tent-1");
    shop.View("old-t" + std::to_string(i), "tent-2");
  }
}

// A running node with the hand-made shop loaded.
class SeededShop : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = StartEngine(dir_.path(), &clock_);
    client_ = std::make_unique<Shop>(engine_->port());
    Seed(*client_);
  }
  Shop& shop() { return *client_; }

  testing::TempDir dir_;
  FakeClock clock_{kNowMs * 1000};
  std::unique_ptr<api::Engine> engine_;
  std::unique_ptr<Shop> client_;
};

TEST_F(SeededShop, SessionLastViewsChangeTheAnswer) {
  shop().View("me", "lamp-1");
  EXPECT_TRUE(Shop::Eventually([&] {
    auto ids = shop().Ids(shop().Get(Recs("placement=home&session_id=me&n=3")));
    return !ids.empty() && ids[0] == "lamp-2";
  }));
  shop().View("me", "tent-1");
  EXPECT_TRUE(Shop::Eventually([&] {
    auto ids = shop().Ids(shop().Get(Recs("placement=home&session_id=me&n=3")));
    return !ids.empty() && ids[0] == "tent-2";
  }));
  json r = shop().Get(Recs("placement=product&product_id=tent-1&session_id=me&n=4"));
  EXPECT_FALSE(r["request_id"].get<std::string>().empty());
  EXPECT_FALSE(r["model"].get<std::string>().empty());
  ASSERT_FALSE(r["items"].empty());
  EXPECT_EQ(r["items"][0]["product_id"], "tent-2");
  EXPECT_EQ(r["items"][0]["reason"]["type"], "viewed_together");
  EXPECT_EQ(r["items"][0]["reason"]["product_id"], "tent-1");
  EXPECT_THAT(shop().Ids(r), Not(Contains("tent-1")));  // the product being viewed
}

TEST_F(SeededShop, OnlyInStockAndNeverEmpty) {
  // A cold shopper still gets a full list, never the out-of-stock lamp.
  auto ids = shop().Ids(shop().Get(Recs("n=10&user_id=nobody")));
  EXPECT_EQ(ids.size(), 7u);
  EXPECT_THAT(ids, Not(Contains("lamp-4")));
  ids = shop().Ids(shop().Get(Recs("n=10&category=Lamps")));
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_EQ(ids[2], "lamp-3") << "viewed (trending) lamps first, then the rest";
  // Back in stock: recommended right after the PUT is answered.
  shop().Send("PUT", "/v1/shops/s1/products/lamp-4",
            Product("lamp-4", "Glass table lamp", "Glow", "Lamps", 55, true));
  EXPECT_THAT(shop().Ids(shop().Get(Recs("n=10&category=Lamps"))), Contains("lamp-4"));
}

TEST_F(SeededShop, MerchandisingPinsAndHidesInBoth) {
  EXPECT_THAT(shop().Ids(shop().Get("/v1/shops/s1/search?q=lamp")), Contains("lamp-2"));
  json doc = {{"pinned", {"sofa-1"}},
              {"hidden", {"lamp-2"}},
              {"rules", {{{"query", "tent"}, {"pins", {{{"product_id", "tent-3"}, {"position", 1}}}}}}}};
  shop().Send("PUT", "/v1/shops/s1/merchandising/rules", doc);
  json r = shop().Get(Recs("n=5&session_id=fresh"));
  ASSERT_FALSE(r["items"].empty());
  EXPECT_EQ(r["items"][0]["product_id"], "sofa-1");
  EXPECT_EQ(r["items"][0]["reason"]["type"], "pinned");
  EXPECT_THAT(shop().Ids(r), Not(Contains("lamp-2")));
  EXPECT_THAT(shop().Ids(shop().Get("/v1/shops/s1/search?q=lamp")), Not(Contains("lamp-2")));
  EXPECT_EQ(shop().Ids(shop().Get("/v1/shops/s1/search?q=tent"))[0], "tent-3");
  EXPECT_EQ(shop().Ids(shop().Get("/v1/shops/s1/search?q="))[0], "sofa-1");
  json stored = shop().Get("/v1/shops/s1/merchandising/rules");
  EXPECT_EQ(stored["hidden"], json::array({"lamp-2"}));
}

TEST_F(SeededShop, SearchTyposFacetsSynonymsAndRealTimeUpdates) {
  json r = shop().Get("/v1/shops/s1/search?q=lampz&facets=brand,category&per_page=10");
  EXPECT_EQ(r["total"], 4);
  EXPECT_EQ(r["corrected_query"], "lamp");
  EXPECT_FALSE(r["request_id"].get<std::string>().empty());
  json brands = r["facets"]["brand"];
  ASSERT_EQ(brands.size(), 2u);
  EXPECT_EQ(brands[0]["count"], 2);
  r = shop().Get("/v1/shops/s1/search?q=lamp&filter=brand:Glow;in_stock:true");
  EXPECT_EQ(shop().Ids(r), std::vector<std::string>{"lamp-3"});

  EXPECT_THAT(shop().Ids(shop().Get("/v1/shops/s1/search?q=couch")), Not(Contains("sofa-1")));
  shop().Send("PUT", "/v1/shops/s1/search/synonyms",
            {{"synonyms", {{{"synonyms", {"couch", "sofa"}}}}}});
  EXPECT_THAT(shop().Ids(shop().Get("/v1/shops/s1/search?q=couch")), Contains("sofa-1"));

  shop().Send("PUT", "/v1/shops/s1/products/tent-9",
            {{"title", "Zebra striped beach tent"}, {"brand", "Trek"}});
  EXPECT_EQ(shop().Ids(shop().Get("/v1/shops/s1/search?q=zebra")),
            std::vector<std::string>{"tent-9"});
  shop().Send("DELETE", "/v1/shops/s1/products/tent-9", json::object(), 204);
  EXPECT_EQ(shop().Get("/v1/shops/s1/search?q=zebra")["total"], 0);

  json s = shop().Get("/v1/shops/s1/search/suggest?q=lam");
  EXPECT_THAT(s["suggestions"], Contains("lamp"));
}

TEST_F(SeededShop, QualityCountsEventsCitingTheRequestId) {
  json r = shop().Get(Recs("placement=home&session_id=q&n=3"));
  const std::string id = r["request_id"];
  shop().Events(json::array(
      {{{"event_id", "i1"}, {"type", "impression"}, {"ts", kNowMs}, {"session_id", "q"},
        {"request_id", id}},
       {{"event_id", "c1"}, {"type", "click"}, {"ts", kNowMs}, {"session_id", "q"},
        {"product_id", r["items"][0]["product_id"]}, {"request_id", id}}}));
  EXPECT_TRUE(Shop::Eventually([&] {
    json q = shop().Get("/v1/shops/s1/recommendations/quality");
    return q["placements"]["home"]["clicks"] == 1 && q["placements"]["home"]["ctr"] == 1.0;
  }));
}

TEST_F(SeededShop, BadInputAndAuth) {
  struct Case {
    std::string target;
    int status;
  };
  for (const Case& c : std::vector<Case>{
           {Recs("placement=sidebar"), 400},
           {Recs("n=0"), 400},
           {Recs("n=ten"), 400},
           {Recs("n=1000"), 400},
           {Recs("placement=product"), 400},
           {Recs("placement=product&product_id=nope"), 404},
           {"/v1/shops/s1/search?q=lamp&per_page=0", 400},
           {"/v1/shops/s1/search?q=lamp&per_page=x", 400},
           {"/v1/shops/s1/search?q=lamp&facets=colour", 400},
           {"/v1/shops/s1/search?q=lamp&filter=weight:3", 400},
           {"/v1/shops/s1/search?q=lamp&filter=price:9..1", 400},
           {"/v1/shops/s1/search?q=lamp&sort=cheapest", 400},
           {"/v1/shops/s1/search/suggest?q=la&limit=0", 400},
       }) {
    SCOPED_TRACE(c.target);
    json body = shop().Get(c.target, c.status);
    EXPECT_TRUE(body["error"]["message"].is_string());
  }
  shop().Get("/v1/shops/nope/search?q=lamp", 403);  // s1's token
  shop().Get("/v1/shops/nope/search?q=lamp", 404, "admin-token-0123456789");
  shop().Get(Recs("n=3"), 401, "");
  shop().Get(Recs("n=3"), 403, kOtherToken);
  shop().Get("/v1/shops/s1/search?q=lamp", 401, "bad-token-0123456789");
  shop().Send("PUT", "/v1/shops/s1/merchandising/rules", "not json", 400);
  shop().Send("PUT", "/v1/shops/s1/merchandising/rules", {{"pinned", "sofa-1"}}, 400);
  shop().Send("PUT", "/v1/shops/s1/merchandising/rules", {{"max_per_brand", -1}}, 400);
  shop().Send("PUT", "/v1/shops/s1/merchandising/rules", {{"rules", {{{"match", "exact"}}}}},
            400);
  shop().Send("PUT", "/v1/shops/s1/search/synonyms", {{"synonyms", {{{"synonyms", {"one"}}}}}},
            400);
  shop().Send("PUT", "/v1/shops/s1/search/synonyms", "[", 400);
}

TEST(RecSearch, ConfigSurvivesRestart) {
  testing::TempDir dir;
  FakeClock clock(kNowMs * 1000);
  {
    auto engine = StartEngine(dir.path(), &clock);
    Shop shop(engine->port());
    Seed(shop);
    shop.Send("PUT", "/v1/shops/s1/search/synonyms",
              {{"synonyms", {{{"synonyms", {"couch", "sofa"}}}}}});
    shop.Send("PUT", "/v1/shops/s1/merchandising/rules",
              {{"pinned", {"tent-3"}}, {"hidden", {"lamp-1"}}});
  }
  auto engine = StartEngine(dir.path(), &clock);
  Shop shop(engine->port());
  EXPECT_THAT(shop.Ids(shop.Get("/v1/shops/s1/search?q=couch")), Contains("sofa-1"));
  EXPECT_THAT(shop.Ids(shop.Get("/v1/shops/s1/search?q=lamp")), Not(Contains("lamp-1")));
  json r = shop.Get(Recs("n=3&session_id=after"));
  ASSERT_FALSE(r["items"].empty());
  EXPECT_EQ(r["items"][0]["product_id"], "tent-3");
  EXPECT_EQ(shop.Get("/v1/shops/s1/merchandising/rules")["pinned"], json::array({"tent-3"}));
  // The events were replayed into the engines too.
  auto ids = shop.Ids(shop.Get(Recs("placement=product&product_id=tent-1&n=2")));
  EXPECT_EQ(ids, (std::vector<std::string>{"tent-3", "tent-2"}));  // pinned, viewed together
}

}  // namespace
}  // namespace storepilot
