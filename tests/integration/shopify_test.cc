// Shopify webhooks end to end over real sockets: signatures, deduplication,
// out-of-order products, the orders API, data requests and redaction that
// leaves no trace in the data directory or any API.
#include <filesystem>
#include <fstream>
#include <thread>

#include "api/engine.h"
#include "common/crypto.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "http_client.h"
#include "ingest/testdata/shopify_payloads.h"
#include "nlohmann/json.hpp"
#include "privacy_util.h"
#include "temp_dir.h"

namespace storepilot {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using json = nlohmann::json;
using testing::ClientResponse;
using testing::Eventually;
using testing::FilesContaining;
using testing::HttpClient;

constexpr char kShop[] = "northwind";
constexpr char kDomain[] = "northwind.myshopify.com";
constexpr char kToken[] = "northwind-api-token-0123";
constexpr char kSecret[] = "whsec_0f1e2d3c4b5a69788796a5b4c3d2e1f0";
constexpr char kAdmin[] = "admin-token-0123456789";

std::unique_ptr<api::Engine> StartEngine(const std::string& dir, const Clock* clock) {
  api::EngineConfig config;
  config.data_dir = dir;
  config.listen = "127.0.0.1:0";
  config.threads = 2;
  config.sync = false;
  config.admin_token = kAdmin;
  config.shops.push_back({kShop, kToken, kSecret});
  config.shops.push_back({"other", "other-api-token-012345", "whsec_other"});
  auto engine = api::Engine::Start(config, clock);
  EXPECT_TRUE(engine.ok()) << engine.status();
  EXPECT_TRUE((*engine)->WaitReady(10'000));
  return std::move(*engine);
}

using Headers = std::vector<std::pair<std::string, std::string>>;

Headers Signed(const std::string& topic, const std::string& body, const std::string& event_id,
               const std::string& secret = kSecret) {
  return {{"X-Shopify-Topic", topic},
          {"X-Shopify-Hmac-Sha256", HmacSha256Base64(secret, body)},
          {"X-Shopify-Shop-Domain", kDomain},
          {"X-Shopify-API-Version", "2025-10"},
          {"X-Shopify-Webhook-Id", "wh-" + event_id},
          {"X-Shopify-Event-Id", event_id},
          {"X-Shopify-Triggered-At", "2026-11-27T15:00:00Z"}};
}

ClientResponse Deliver(HttpClient& c, const std::string& topic, const std::string& body,
                       const std::string& event_id) {
  return c.Send("POST", "/webhooks/shopify", body, "", "application/json",
                Signed(topic, body, event_id));
}

class ShopifyServerTest : public ::testing::Test {
 protected:
  void SetUp() override { engine_ = StartEngine(dir_.path(), &clock_); }
  testing::TempDir dir_;
  SystemClock clock_;
  std::unique_ptr<api::Engine> engine_;
};

TEST_F(ShopifyServerTest, AcceptsOnlyCorrectlySignedDeliveries) {
  HttpClient c(engine_->port());
  const std::string body = testdata::kOrderCreate;
  std::string altered = body;
  altered[200] ^= 0x01;
  Headers h = Signed("orders/create", body, "ev-1");
  EXPECT_EQ(c.Send("POST", "/webhooks/shopify", altered, "", "application/json", h).status, 401);
  Headers unsigned_headers = h;
  unsigned_headers.erase(unsigned_headers.begin() + 1);
  EXPECT_EQ(c.Send("POST", "/webhooks/shopify", body, "", "application/json", unsigned_headers)
                .status,
            401);
  Headers wrong_secret = Signed("orders/create", body, "ev-1", "whsec_other");
  EXPECT_EQ(c.Send("POST", "/webhooks/shopify", body, "", "application/json", wrong_secret).status,
            401);
  Headers unknown_shop = h;
  unknown_shop[2].second = "evil.myshopify.com";
  EXPECT_EQ(c.Send("POST", "/webhooks/shopify", body, "", "application/json", unknown_shop).status,
            401);
  Headers empty = Signed("orders/create", "", "ev-2");
  auto r = c.Send("POST", "/webhooks/shopify", "", "", "application/json", empty);
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body, HasSubstr("invalid_argument"));
  // Nothing of the rejected deliveries was stored.
  EXPECT_EQ(c.Send("GET", "/v1/shops/northwind/orders/5550001001", "", kToken).status, 404);

  // The newer unprefixed header names, in any case, are accepted too.
  Headers modern;
  for (const auto& [name, value] : h) {
    std::string n = name.substr(2);  // "Shopify-Topic", ...
    for (char& ch : n) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    modern.emplace_back(n, value);
  }
  r = c.Send("POST", "/webhooks/shopify", body, "", "application/json", modern);
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_TRUE(Eventually([&] {
    return c.Send("GET", "/v1/shops/northwind/orders/5550001001", "", kToken).status == 200;
  }));
}

TEST_F(ShopifyServerTest, DuplicateDeliveriesChangeNothing) {
  HttpClient c(engine_->port());
  auto first = Deliver(c, "orders/create", testdata::kOrderCreate, "ev-dup");
  ASSERT_EQ(first.status, 200);
  EXPECT_THAT(first.body, HasSubstr("\"ok\""));
  auto again = Deliver(c, "orders/create", testdata::kOrderCreate, "ev-dup");
  ASSERT_EQ(again.status, 200);
  EXPECT_THAT(again.body, HasSubstr("duplicate"));
  // The same event id on another topic is another delivery.
  EXPECT_THAT(Deliver(c, "orders/paid", testdata::kOrderCreate, "ev-dup").body, HasSubstr("\"ok\""));
  ASSERT_TRUE(Eventually([&] {
    return c.Send("GET", "/v1/shops/northwind/orders/5550001001", "", kToken).status == 200;
  }));
  const std::string metrics = c.Send("GET", "/metrics").body;
  EXPECT_THAT(metrics, HasSubstr("storepilot_shopify_webhooks_total{result=\"duplicate\"} 1"));
  EXPECT_THAT(metrics, HasSubstr("storepilot_shopify_webhooks_total{result=\"accepted\"} 2"));
  // Two line items: two purchase events, one per delivery translated once.
  ASSERT_TRUE(Eventually([&] {
    return json::parse(c.Send("GET", "/v1/shops/northwind/stats", "", kToken).body)["users"] == 1;
  }));
}

TEST_F(ShopifyServerTest, OlderProductVersionsNeverOverwriteNewerOnes) {
  HttpClient c(engine_->port());
  ASSERT_EQ(Deliver(c, "products/update", testdata::kProductV2, "p-2").status, 200);
  ASSERT_EQ(Deliver(c, "products/create", testdata::kProductV1, "p-1").status, 200);
  ASSERT_EQ(Deliver(c, "products/update", testdata::kProductOld, "p-0").status, 200);
  ASSERT_EQ(Deliver(c, "inventory_levels/update", testdata::kInventoryLevel, "inv-1").status, 200);
  ASSERT_TRUE(Eventually([&] {
    auto r = c.Send("GET", "/v1/shops/northwind/products/8001", "", kToken);
    return r.status == 200 && json::parse(r.body).value("inventory", 0) == 8;
  }));
  json p = json::parse(c.Send("GET", "/v1/shops/northwind/products/8001", "", kToken).body);
  EXPECT_EQ(p["title"], "Linen Shirt (Relaxed)");
  EXPECT_DOUBLE_EQ(p["price"].get<double>(), 39.5);
  EXPECT_EQ(p["brand"], "Northwind");
}

TEST_F(ShopifyServerTest, OrdersApiIsIdempotentAndValidates) {
  HttpClient c(engine_->port());
  const json order = {{"id", "A-1"},
                      {"created_at", "2026-11-27T10:00:00Z"},
                      {"total_price", 20},
                      {"email", "x@y.org"},
                      {"line_items", {{{"product_id", "p1"}, {"quantity", 2}, {"price", 10}}}}};
  auto r = c.Send("POST", "/v1/shops/northwind/orders", order.dump(), kToken);
  ASSERT_EQ(r.status, 201) << r.body;
  r = c.Send("POST", "/v1/shops/northwind/orders", order.dump(), kToken);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(json::parse(r.body)["duplicate"], true);
  r = c.Send("GET", "/v1/shops/northwind/orders/A-1", "", kToken);
  ASSERT_EQ(r.status, 200);
  EXPECT_THAT(r.body, Not(HasSubstr("x@y.org")));
  EXPECT_EQ(json::parse(r.body)["line_items"][0]["quantity"], 2);
  r = c.Send("POST", "/v1/shops/northwind/orders", R"({"id": "A-2", "total_price": 1})", kToken);
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body, HasSubstr("created_at"));
  EXPECT_EQ(c.Send("POST", "/v1/shops/northwind/orders", "{", kToken).status, 400);
  EXPECT_EQ(c.Send("POST", "/v1/shops/northwind/orders", order.dump(), "nope").status, 401);
  EXPECT_EQ(c.Send("POST", "/v1/shops/northwind/orders", order.dump(), "other-api-token-012345")
                .status,
            403);
}

TEST_F(ShopifyServerTest, RedactionLeavesNoTrace) {
  HttpClient c(engine_->port());
  int n = 0;
  auto send = [&](const char* topic, const char* body) {
    auto r = Deliver(c, topic, body, "ev-" + std::to_string(++n));
    ASSERT_EQ(r.status, 200) << topic << " " << r.body;
  };
  send("customers/create", testdata::kCustomerUpdate);
  send("customers/create", testdata::kOtherCustomer);
  send("carts/create", testdata::kCartCreate);
  send("checkouts/create", testdata::kCheckoutCreate);
  send("orders/create", testdata::kOrderCreate);
  send("orders/create", testdata::kOrderCreate2);
  send("orders/create", testdata::kOtherOrder);
  send("refunds/create", testdata::kRefundCreate);
  const json api_event = json::array({{{"event_id", "api-1"}, {"type", "view"},
                                       {"ts", 1795773600000}, {"user_id", "7001234567"},
                                       {"session_id", "s-ada"}, {"product_id", "8001"}}});
  ASSERT_EQ(c.Send("POST", "/v1/shops/northwind/events", api_event.dump(), kToken).status, 200);
  send("customers/data_request", testdata::kDataRequest);

  // The export holds the profile, both orders and the events of the customer.
  json exported;
  ASSERT_TRUE(Eventually([&] {
    auto r = c.Send("GET", "/v1/admin/shops/northwind/data-requests/9999", "", kAdmin);
    if (r.status != 200) return false;
    exported = json::parse(r.body);
    return exported["status"] == "complete";
  }));
  EXPECT_EQ(exported["orders"].size(), 2u);
  EXPECT_EQ(exported["profile"]["id"], "7001234567");
  EXPECT_EQ(exported["events"].size(), 1u);
  EXPECT_EQ(exported["carts"].size(), 1u);
  EXPECT_EQ(c.Send("GET", "/v1/admin/shops/northwind/data-requests/9999", "", kToken).status, 403);

  const std::string hash = exported["customer"]["email_hash"];
  ASSERT_EQ(hash.size(), 64u);
  send("customers/redact", testdata::kCustomerRedact);
  json audit;
  ASSERT_TRUE(Eventually([&] {
    audit = json::parse(c.Send("GET", "/v1/admin/shops/northwind/redactions", "", kAdmin).body);
    return audit["redactions"].size() == 1;
  }));
  EXPECT_EQ(audit["redactions"][0]["action"], "customers/redact");
  EXPECT_GE(audit["redactions"][0]["records_removed"].get<int>(), 8);

  const std::vector<std::string> traces = {"7001234567", "ada.lovelace", "Ada.Lovelace",
                                           hash,         "5550001001",   "5550001002",
                                           "203.0.113.77", "c1-9f8e7d6c5b4a"};
  auto check_apis = [&](HttpClient& c) {
    for (const char* path : {"/v1/shops/northwind/orders/5550001001",
                             "/v1/shops/northwind/orders/5550001002",
                             "/v1/shops/northwind/customers/7001234567",
                             "/v1/admin/shops/northwind/data-requests/9999"}) {
      EXPECT_EQ(c.Send("GET", path, "", kAdmin).status, 404) << path;
    }
    std::string everything = c.Send("GET", "/metrics").body +
                             c.Send("GET", "/v1/admin/shops/northwind/redactions", "", kAdmin).body +
                             c.Send("GET", "/v1/shops/northwind/stats", "", kToken).body;
    for (const std::string& t : traces) EXPECT_THAT(everything, Not(HasSubstr(t))) << t;
    // The other customer is untouched.
    EXPECT_EQ(c.Send("GET", "/v1/shops/northwind/orders/5550002001", "", kToken).status, 200);
    EXPECT_EQ(c.Send("GET", "/v1/shops/northwind/customers/7009999999", "", kToken).status, 200);
  };
  check_apis(c);
  engine_->Shutdown();
  for (const std::string& t : traces) {
    EXPECT_THAT(FilesContaining(dir_.path(), t), ::testing::IsEmpty()) << t;
  }
  // A positive control: the search does find what is still stored.
  EXPECT_THAT(FilesContaining(dir_.path(), "grace.hopper@example.net"), Not(::testing::IsEmpty()));
  // A restart replays the rewritten log: nothing comes back.
  engine_ = StartEngine(dir_.path(), &clock_);
  HttpClient c2(engine_->port());
  ASSERT_TRUE(Eventually([&] {
    return c2.Send("GET", "/v1/shops/northwind/orders/5550002001", "", kToken).status == 200;
  }));
  check_apis(c2);
  audit = json::parse(c2.Send("GET", "/v1/admin/shops/northwind/redactions", "", kAdmin).body);
  EXPECT_EQ(audit["redactions"].size(), 1u);
}

TEST_F(ShopifyServerTest, ShopRedactDeletesEverythingOfTheShop) {
  HttpClient c(engine_->port());
  ASSERT_EQ(Deliver(c, "products/create", testdata::kProductV1, "e1").status, 200);
  ASSERT_EQ(Deliver(c, "orders/create", testdata::kOtherOrder, "e2").status, 200);
  ASSERT_EQ(Deliver(c, "app/uninstalled", R"({"id": 954889})", "e3").status, 200);
  ASSERT_EQ(Deliver(c, "shop/redact", testdata::kShopRedact, "e4").status, 200);
  ASSERT_TRUE(Eventually([&] {
    auto r = c.Send("GET", "/v1/admin/shops/northwind/redactions", "", kAdmin);
    return json::parse(r.body)["redactions"].size() == 1;
  }));
  EXPECT_EQ(c.Send("GET", "/v1/shops/northwind/products/8001", "", kToken).status, 404);
  EXPECT_EQ(c.Send("GET", "/v1/shops/northwind/orders/5550002001", "", kToken).status, 404);
  engine_->Shutdown();
  EXPECT_THAT(FilesContaining(dir_.path(), "grace.hopper"), ::testing::IsEmpty());
  EXPECT_THAT(FilesContaining(dir_.path(), "Linen Shirt"), ::testing::IsEmpty());
}

}  // namespace
}  // namespace storepilot
