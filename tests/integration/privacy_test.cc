// Redaction through every engine, end to end over real sockets: a customer's
// Shopify webhooks, events and fraud-API orders feed recommendations, search
// personalisation, fraud windows and customer value; a data request exports
// each engine's part; customers/redact then leaves no trace in the data
// directory (after the redaction's compaction) nor in any API answer, before
// and after a restart. shop/redact forgets the whole shop in every engine.
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
using ::testing::IsEmpty;
using ::testing::Not;
using json = nlohmann::json;
using testing::ClientResponse;
using testing::Eventually;
using testing::FilesContaining;
using testing::HttpClient;

constexpr char kDomain[] = "northwind.myshopify.com";
constexpr char kToken[] = "northwind-api-token-0123";
constexpr char kSecret[] = "whsec_0f1e2d3c4b5a69788796a5b4c3d2e1f0";
constexpr char kAdmin[] = "admin-token-0123456789";
constexpr char kAda[] = "7001234567";    // redacted
constexpr char kGrace[] = "7009999999";  // must survive a customer redaction
constexpr char kNobody[] = "7000000000"; // never seen: the "unknown user" answer
// 2026-11-30T12:00:00Z, after every payload's timestamps.
constexpr int64_t kNowMs = 1796040000000;

std::unique_ptr<api::Engine> StartEngine(const std::string& dir, const Clock* clock) {
  api::EngineConfig config;
  config.data_dir = dir;
  config.listen = "127.0.0.1:0";
  config.threads = 2;
  config.sync = false;
  config.admin_token = kAdmin;
  config.fraud_retrain_interval_s = 0;
  config.shops.push_back({"northwind", kToken, kSecret});
  auto engine = api::Engine::Start(config, clock);
  EXPECT_TRUE(engine.ok()) << engine.status();
  if (!engine.ok()) return nullptr;
  EXPECT_TRUE((*engine)->WaitReady(10'000));
  return std::move(*engine);
}

ClientResponse Deliver(HttpClient& c, const std::string& topic, const std::string& body,
                       const std::string& event_id) {
  std::vector<std::pair<std::string, std::string>> headers = {
      {"X-Shopify-Topic", topic},
      {"X-Shopify-Hmac-Sha256", HmacSha256Base64(kSecret, body)},
      {"X-Shopify-Shop-Domain", kDomain},
      {"X-Shopify-Webhook-Id", "wh-" + event_id},
      {"X-Shopify-Event-Id", event_id},
      {"X-Shopify-Triggered-At", "2026-11-29T15:00:00Z"}};
  return c.Send("POST", "/webhooks/shopify", body, "", "application/json", headers);
}

// A catalog product as Shopify sends it.
std::string Product(int id, const std::string& title, const std::string& vendor,
                    const std::string& type, const std::string& price) {
  return json{{"id", id},
              {"title", title},
              {"vendor", vendor},
              {"product_type", type},
              {"status", "active"},
              {"tags", "autumn"},
              {"updated_at", "2026-11-20T08:00:00Z"},
              {"variants", {{{"id", id + 1000}, {"product_id", id}, {"price", price},
                             {"inventory_quantity", 25}}}}}
      .dump();
}

json Json(const ClientResponse& r) { return json::parse(r.body, nullptr, false); }

// The product ids of a recommendation or search answer, in order.
std::vector<std::string> Ids(const json& answer, const char* list) {
  std::vector<std::string> ids;
  for (const json& item : answer.value(list, json::array())) {
    ids.push_back(item.contains("product_id") ? item["product_id"].get<std::string>()
                                              : item.value("id", ""));
  }
  return ids;
}

class PrivacyTest : public ::testing::Test {
 protected:
  void SetUp() override { engine_ = StartEngine(dir_.path(), &clock_); }

  // Ada's and Grace's history in every engine's input: profiles, a cart and a
  // checkout, orders with email and IP, viewed products, a fraud-API order.
  void Feed(HttpClient& c) {
    int n = 0;
    auto send = [&](const std::string& topic, const std::string& body) {
      auto r = Deliver(c, topic, body, "ev-" + std::to_string(++n));
      ASSERT_EQ(r.status, 200) << topic << " " << r.body;
    };
    send("products/create", testdata::kProductV1);
    send("products/create", Product(8002, "Canvas Tote", "Northwind", "Bags", "50.00"));
    send("products/create", Product(8003, "Wool Socks", "Fjord", "Socks", "8.00"));
    send("products/create", Product(8004, "Leather Belt", "Saddle", "Belts", "49.50"));
    send("products/create", Product(8005, "Linen Trousers", "Fjord", "Trousers", "79.00"));
    send("products/create", Product(8006, "Linen Scarf", "Saddle", "Scarves", "29.00"));
    send("customers/create", testdata::kCustomerUpdate);
    send("customers/create", testdata::kOtherCustomer);
    send("carts/create", testdata::kCartCreate);
    send("checkouts/create", testdata::kCheckoutCreate);
    send("orders/create", testdata::kOrderCreate);
    send("orders/create", testdata::kOrderCreate2);
    send("orders/create", testdata::kOtherOrder);
    // Views through the events API: Ada's own session, and anonymous
    // sessions that make co-visitation aggregates (which may stay).
    json events = json::array();
    const int64_t t0 = kNowMs - 3'600'000;
    auto view = [&](const std::string& id, const std::string& user, const std::string& session,
                    const std::string& product, int64_t ts) {
      json e = {{"event_id", id}, {"type", "view"}, {"ts", ts}, {"session_id", session},
                {"product_id", product}};
      if (!user.empty()) e["user_id"] = user;
      events.push_back(std::move(e));
    };
    view("a-1", kAda, "s-ada", "8005", t0);
    view("a-2", kAda, "s-ada", "8006", t0 + 1000);
    for (int s = 0; s < 4; ++s) {
      view("x-" + std::to_string(s) + "a", "", "anon-" + std::to_string(s), "8005",
           t0 + 2000 + s);
      view("x-" + std::to_string(s) + "b", "", "anon-" + std::to_string(s), "8003",
           t0 + 3000 + s);
    }
    auto r = c.Send("POST", "/v1/shops/northwind/events", events.dump(), kToken);
    ASSERT_EQ(r.status, 200) << r.body;
    // An order scored through the fraud API: raw email and IP in the body.
    json fraud_order = {{"created_at", "2026-11-29T10:00:00Z"}, {"total_price", 310.0},
                        {"customer_id", kAda}, {"email", "Ada.Lovelace@example.org"},
                        {"browser_ip", "203.0.113.77"}};
    r = c.Send("POST", "/v1/shops/northwind/orders/fo-ada-1/risk", fraud_order.dump(), kToken);
    ASSERT_TRUE(r.status == 200 || r.status == 503) << r.body;  // 503: no model yet
    ASSERT_TRUE(Eventually([&] {
      auto v = Json(c.Send("GET", std::string("/v1/shops/northwind/customers/") + kGrace + "/value",
                           "", kToken));
      return v.value("known", false);
    }));
  }

  json Recommend(HttpClient& c, const std::string& user) {
    return Json(c.Send("GET", "/v1/shops/northwind/recommendations?placement=home&n=5&user_id=" +
                              user, "", kToken));
  }
  json Search(HttpClient& c, const std::string& user) {
    return Json(c.Send("GET", "/v1/shops/northwind/search?q=linen&user_id=" + user, "", kToken));
  }
  json Decide(HttpClient& c, const std::string& customer) {
    json body = {{"service", "storefront"}, {"class", "normal"}, {"shop", "northwind"},
                 {"customer_id", customer}};
    return Json(c.Send("POST", "/v1/admission/decide", body.dump(), kAdmin));
  }
  json Value(HttpClient& c, const std::string& customer) {
    json v = Json(c.Send("GET", "/v1/shops/northwind/customers/" + customer + "/value", "",
                         kToken));
    v.erase("customer_id");  // echoes the request
    return v;
  }
  json Export(HttpClient& c, const std::string& id) {
    json out;
    EXPECT_TRUE(Eventually([&] {
      auto r = c.Send("GET", "/v1/admin/shops/northwind/data-requests/" + id, "", kAdmin);
      out = Json(r);
      return r.status == 200 && out["status"] == "complete";
    }));
    return out;
  }
  size_t Redactions(HttpClient& c) {
    return Json(c.Send("GET", "/v1/admin/shops/northwind/redactions", "", kAdmin))["redactions"]
        .size();
  }

  // Every answer about Ada equals the answer for a customer never seen, and
  // none holds her data.
  void ExpectForgotten(HttpClient& c, const std::vector<std::string>& traces) {
    json rec = Recommend(c, kAda), rec_nobody = Recommend(c, kNobody);
    EXPECT_EQ(rec["model"], rec_nobody["model"]);
    EXPECT_EQ(Ids(rec, "items"), Ids(rec_nobody, "items"));
    json found = Search(c, kAda), found_nobody = Search(c, kNobody);
    EXPECT_EQ(found.value("model", ""), "bm25f");
    EXPECT_EQ(Ids(found, "items"), Ids(found_nobody, "items"));
    EXPECT_EQ(Decide(c, kAda)["user_priority"], Decide(c, kNobody)["user_priority"]);
    EXPECT_EQ(Value(c, kAda), Value(c, kNobody));
    for (const char* order : {"5550001001", "5550001002", "fo-ada-1"}) {
      auto r = c.Send("GET", std::string("/v1/shops/northwind/orders/") + order + "/risk", "",
                      kToken);
      EXPECT_EQ(r.status, 404) << order << " " << r.body;  // the message echoes the id
    }
    // Only Grace's purchases named a user; Ada's sessions are forgotten too.
    json stats = Json(c.Send("GET", "/v1/shops/northwind/stats", "", kToken));
    EXPECT_EQ(stats["users"], 1) << stats.dump();
    std::string answers = rec.dump() + found.dump() + stats.dump();
    EXPECT_EQ(c.Send("GET", "/v1/admin/shops/northwind/data-requests/9999", "", kAdmin).status,
              404);
    answers += c.Send("GET", "/metrics").body +
               c.Send("GET", "/v1/admin/shops/northwind/redactions", "", kAdmin).body;
    for (const std::string& t : traces) EXPECT_THAT(answers, Not(HasSubstr(t))) << t;
  }

  testing::TempDir dir_;
  FakeClock clock_{kNowMs * 1000};
  std::unique_ptr<api::Engine> engine_;
};

TEST_F(PrivacyTest, CustomerRedactionForgetsTheCustomerInEveryEngine) {
  ASSERT_NE(engine_, nullptr);
  HttpClient c(engine_->port());
  Feed(c);

  // Before: every engine holds Ada.
  json rec = Recommend(c, kAda);
  EXPECT_NE(rec["model"], Recommend(c, kNobody)["model"]) << rec.dump();
  EXPECT_EQ(Search(c, kAda).value("model", ""), "bm25f+personalised");
  json value = Value(c, kAda);
  EXPECT_TRUE(value.value("known", false));
  EXPECT_GT(value.value("score", 0.0) + value.value("monetary", 0.0), 0.0);
  EXPECT_GT(Decide(c, kAda)["user_priority"].get<int>(),
            Decide(c, kNobody)["user_priority"].get<int>());
  EXPECT_NE(c.Send("GET", "/v1/shops/northwind/orders/5550001001/risk", "", kToken).status, 404);
  const json order = Json(c.Send("GET", "/v1/shops/northwind/orders/5550001001", "", kToken));
  const std::string ip_hash = order.value("browser_ip", "");
  ASSERT_FALSE(ip_hash.empty()) << order.dump();

  ASSERT_EQ(Deliver(c, "customers/data_request", testdata::kDataRequest, "dr-1").status, 200);
  json exported = Export(c, "9999");
  const json& engines = exported["engines"];
  ASSERT_TRUE(engines.is_object()) << exported.dump();
  for (const char* part : {"recommend", "fraud", "customer_value"}) {
    ASSERT_TRUE(engines.contains(part)) << part << " " << exported.dump();
  }
  EXPECT_THAT(engines["recommend"]["recent_items"].get<std::vector<std::string>>(),
              ::testing::IsSupersetOf({"8001", "8005", "8006"}));
  EXPECT_THAT(engines["recommend"]["sessions"].get<std::vector<std::string>>(),
              ::testing::Contains("s-ada"));
  std::vector<std::string> fraud_orders;
  for (const json& o : engines["fraud"]["orders"]) fraud_orders.push_back(o["order_id"]);
  EXPECT_THAT(fraud_orders, ::testing::UnorderedElementsAre("5550001001", "5550001002",
                                                            "fo-ada-1"));
  EXPECT_GE(engines["customer_value"]["orders"].get<int>(), 2);  // purchases
  const json stats = Json(c.Send("GET", "/v1/shops/northwind/stats", "", kToken));
  EXPECT_EQ(stats["users"], 2) << stats.dump();
  const std::string hash = exported["customer"]["email_hash"];
  ASSERT_EQ(hash.size(), 64u);

  ASSERT_EQ(Deliver(c, "customers/redact", testdata::kCustomerRedact, "rd-1").status, 200);
  ASSERT_TRUE(Eventually([&] { return Redactions(c) == 1; }));

  const std::vector<std::string> traces = {
      "ada.lovelace", "Ada.Lovelace", hash,       ip_hash,    "203.0.113.77", "5550001001",
      "5550001002",   "fo-ada-1",     "s-ada",    "c1-9f8e7d6c5b4a",          "ck-1a2b3c4d5e6f"};
  ExpectForgotten(c, traces);
  // A new data request finds nothing in any engine.
  ASSERT_EQ(Deliver(c, "customers/data_request", testdata::kDataRequest, "dr-2").status, 200);
  json again = Export(c, "9999");
  EXPECT_EQ(again["engines"], json::object()) << again.dump();
  EXPECT_EQ(again["orders"], json::array());
  EXPECT_EQ(again["events"], json::array());
  ASSERT_EQ(Deliver(c, "customers/redact", testdata::kCustomerRedact, "rd-2").status, 200);
  ASSERT_TRUE(Eventually([&] { return Redactions(c) == 2; }));
  // Grace is untouched.
  EXPECT_TRUE(Value(c, kGrace).value("known", false));

  engine_->Shutdown();
  std::vector<std::string> on_disk = traces;
  on_disk.push_back(kAda);
  for (const std::string& t : on_disk) {
    EXPECT_THAT(FilesContaining(dir_.path(), t), IsEmpty()) << t;
  }
  EXPECT_THAT(FilesContaining(dir_.path(), "grace.hopper@example.net"), Not(IsEmpty()));

  // A restart rebuilds every engine from the rewritten log: Ada stays gone.
  engine_ = StartEngine(dir_.path(), &clock_);
  ASSERT_NE(engine_, nullptr);
  HttpClient c2(engine_->port());
  ASSERT_TRUE(Eventually([&] { return Value(c2, kGrace).value("known", false); }));
  ExpectForgotten(c2, traces);
}

TEST_F(PrivacyTest, ShopRedactionForgetsTheShopInEveryEngine) {
  ASSERT_NE(engine_, nullptr);
  HttpClient c(engine_->port());
  Feed(c);
  EXPECT_TRUE(Value(c, kAda).value("known", false));
  ASSERT_EQ(Deliver(c, "shop/redact", testdata::kShopRedact, "sr-1").status, 200);
  ASSERT_TRUE(Eventually([&] { return Redactions(c) == 1; }));
  for (const char* who : {kAda, kGrace}) {
    EXPECT_EQ(Value(c, who), Value(c, kNobody)) << who;
    EXPECT_EQ(Decide(c, who)["user_priority"], Decide(c, kNobody)["user_priority"]) << who;
    json rec = Recommend(c, who);
    EXPECT_EQ(Ids(rec, "items"), std::vector<std::string>()) << rec.dump();  // no products left
  }
  for (const char* order : {"5550001001", "5550002001", "fo-ada-1"}) {
    EXPECT_EQ(c.Send("GET", std::string("/v1/shops/northwind/orders/") + order + "/risk", "",
                     kToken)
                  .status,
              404)
        << order;
  }
  engine_->Shutdown();
  for (const char* t : {kAda, kGrace, "ada.lovelace", "grace.hopper", "203.0.113.77",
                        "198.51.100.4", "s-ada", "fo-ada-1", "Linen Trousers"}) {
    EXPECT_THAT(FilesContaining(dir_.path(), t), IsEmpty()) << t;
  }
}

}  // namespace
}  // namespace storepilot
