// The fraud API end to end over real sockets: scoring, stored assessments,
// labels (and their delay), rules, bad input, tenant isolation, restart.
#include <thread>

#include "api/engine.h"
#include "fraud/test_util.h"
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

constexpr char kToken1[] = "shop-token-0123456789";
constexpr char kToken2[] = "other-token-0123456789";
constexpr int64_t kT0 = 1'700'000'000'000;  // ms
constexpr int64_t kDay = 86'400'000;

class FraudApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto model = fraud::testing::TrainToyModel("toy-1");
    ASSERT_NE(model, nullptr);
    model_path_ = dir_.path() + "/toy.model";
    ASSERT_TRUE(model->Save(model_path_).ok());
    Start(model_path_);
  }
  void Start(const std::string& model) {
    engine_.reset();
    api::EngineConfig config;
    config.data_dir = dir_.path() + "/data";
    config.listen = "127.0.0.1:0";
    config.threads = 2;
    config.sync = false;
    config.fraud_model = model;
    config.fraud_retrain_interval_s = 0;
    config.shops.push_back({"s1", kToken1, "secret"});
    config.shops.push_back({"s2", kToken2, "secret"});
    auto engine = api::Engine::Start(config, &clock_);
    ASSERT_TRUE(engine.ok()) << engine.status();
    ASSERT_TRUE((*engine)->WaitReady(10'000));
    engine_ = std::move(*engine);
    client_ = std::make_unique<HttpClient>(engine_->port());
  }
  testing::ClientResponse Send(const std::string& method, const std::string& target,
                               const std::string& body = "",
                               const std::string& token = kToken1) {
    return client_->Send(method, target, body, token);
  }
  // Waits until the asynchronously logged orders are applied (GET succeeds).
  static json Order(const std::string& id, int64_t t, double amount, const std::string& customer) {
    return {{"id", id},
            {"created_at", t},
            {"total_price", amount},
            {"customer_id", customer},
            {"email", customer + "@example.com"},
            {"shipping_address", {{"country_code", "FR"}}},
            {"ip_country", "US"}};
  }

  testing::TempDir dir_;
  FakeClock clock_{(kT0 + 3'600'000) * 1000};
  std::string model_path_;
  std::unique_ptr<api::Engine> engine_;
  std::unique_ptr<HttpClient> client_;
};

TEST_F(FraudApiTest, ScoresStoresLabelsAndSurvivesRestart) {
  auto r = Send("POST", "/v1/shops/s1/orders/o1/risk", Order("o1", kT0, 290, "c1").dump());
  ASSERT_EQ(r.status, 200) << r.body;
  json a = json::parse(r.body);
  EXPECT_EQ(a["order_id"], "o1");
  EXPECT_GE(a["score"].get<double>(), 50);
  EXPECT_LE(a["score"].get<double>(), 100);
  EXPECT_EQ(a["model_version"], "toy-1");
  EXPECT_THAT(std::string(a["level"]), ::testing::AnyOf("MEDIUM", "HIGH"));
  EXPECT_THAT(std::string(a["recommendation"]), ::testing::AnyOf("INVESTIGATE", "CANCEL"));
  ASSERT_FALSE(a["facts"].empty());
  EXPECT_LE(a["facts"].size(), 5u);
  EXPECT_EQ(a["facts"][0]["sentiment"], "NEGATIVE");
  EXPECT_FALSE(a["facts"][0]["description"].get<std::string>().empty());

  auto low = Send("POST", "/v1/shops/s1/orders/o2/risk", Order("o2", kT0 + 1, 15, "c2").dump());
  ASSERT_EQ(low.status, 200) << low.body;
  EXPECT_LT(json::parse(low.body)["score"].get<double>(), a["score"].get<double>());

  auto got = Send("GET", "/v1/shops/s1/orders/o1/risk");
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(json::parse(got.body)["score"], a["score"]);
  auto rescored = Send("POST", "/v1/shops/s1/orders/o1/risk");  // Empty body: the stored order.
  ASSERT_EQ(rescored.status, 200) << rescored.body;
  EXPECT_EQ(json::parse(rescored.body)["score"], a["score"]);

  auto label = Send("POST", "/v1/shops/s1/orders/o1/label",
                    R"({"fraud": true, "source": "chargeback"})");
  ASSERT_EQ(label.status, 200) << label.body;
  EXPECT_EQ(json::parse(label.body)["source"], "chargeback");
  ASSERT_EQ(Send("PUT", "/v1/shops/s1/fraud/rules", "# ours\nreview if amount > 100\n").status,
            200);
  auto ruled = Send("POST", "/v1/shops/s1/orders/o1/risk");
  EXPECT_EQ(json::parse(ruled.body)["rules_fired"], json::array({"review if amount > 100"}));
  EXPECT_EQ(json::parse(ruled.body)["recommendation"], "INVESTIGATE");

  const std::string metrics = Send("GET", "/metrics").body;
  EXPECT_THAT(metrics, HasSubstr("storepilot_fraud_labels{shop=\"s1\"} 1"));
  EXPECT_THAT(metrics, HasSubstr("storepilot_fraud_precision{shop=\"s1\"} 1"));
  EXPECT_THAT(metrics, HasSubstr("storepilot_fraud_model_info{shop=\"s1\",version=\"toy-1\"} 1"));
  EXPECT_THAT(metrics, HasSubstr("storepilot_fraud_rule_hits_total"));
  EXPECT_THAT(metrics, HasSubstr("storepilot_fraud_scores_total{shop=\"s1\",level=\"LOW\"}"));

  Start(model_path_);  // Restart: orders, labels and rules come back from the log.
  auto after = Send("GET", "/v1/shops/s1/orders/o1/risk");
  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_EQ(json::parse(after.body)["score"], a["score"]);
  EXPECT_EQ(json::parse(after.body)["rules_fired"], json::array({"review if amount > 100"}));
  EXPECT_EQ(Send("GET", "/v1/shops/s1/fraud/rules").body, "# ours\nreview if amount > 100\n");
  EXPECT_THAT(Send("GET", "/metrics").body, HasSubstr("storepilot_fraud_labels{shop=\"s1\"} 1"));
}

TEST_F(FraudApiTest, RejectsBadInputWithClearErrors) {
  struct Case {
    const char* method;
    std::string target;
    std::string body;
    std::string token;
    int status;
    const char* message;
  };
  const std::string order = Order("o1", kT0, 10, "c1").dump();
  const Case cases[] = {
      {"POST", "/v1/shops/s1/orders/o1/risk", "{not json", kToken1, 400, "order JSON object"},
      {"POST", "/v1/shops/s1/orders/o1/risk", "[1]", kToken1, 400, "order JSON object"},
      {"POST", "/v1/shops/s1/orders/o1/risk", R"({"total_price": 5})", kToken1, 400,
       "created_at is required"},
      {"POST", "/v1/shops/s1/orders/o1/risk",
       R"({"created_at": "soon", "total_price": 5})", kToken1, 400, "created_at"},
      {"POST", "/v1/shops/s1/orders/o1/risk",
       R"({"created_at": 1700000000000, "total_price": -5})", kToken1, 400, "amount"},
      {"POST", "/v1/shops/s1/orders/other/risk", order, kToken1, 400, "is not the path's"},
      {"POST", "/v1/shops/s1/orders/a%0Ab/risk",
       R"({"created_at": 1700000000000, "total_price": 5})", kToken1, 400, "line breaks"},
      {"POST", "/v1/shops/s1/orders/o1/risk", order, "", 401, "missing bearer token"},
      {"POST", "/v1/shops/s1/orders/o1/risk", order, kToken2, 403, "another shop"},
      {"POST", "/v1/shops/nope/orders/o1/risk", order, "admin-less", 401, "invalid token"},
      {"GET", "/v1/shops/s1/orders/unknown/risk", "", kToken1, 404, "unknown"},
      {"POST", "/v1/shops/s1/orders/unknown/risk", "", kToken1, 404, "unknown"},
      {"POST", "/v1/shops/s1/orders/unknown/label", R"({"fraud": true})", kToken1, 404,
       "not known"},
      {"POST", "/v1/shops/s1/orders/o1/label", R"({"fraud": "yes"})", kToken1, 400,
       "expected {\"fraud\""},
      {"POST", "/v1/shops/s1/orders/o1/label", R"({"fraud": true, "source": 3})", kToken1, 400,
       "source must be"},
      {"PUT", "/v1/shops/s1/fraud/rules", "review if amount >", kToken1, 400, "line 1"},
      {"PUT", "/v1/shops/s1/fraud/rules", "allow if amount > 1\nexplode if score > 3", kToken1,
       400, "line 2"},
      {"PUT", "/v1/shops/s1/fraud/rules", "block if email > 3", kToken1, 400, "line 1"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.method) + " " + c.target + " " + c.body);
    auto r = client_->Send(c.method, c.target, c.body, c.token);
    EXPECT_EQ(r.status, c.status) << r.body;
    json body = json::parse(r.body, nullptr, false);
    ASSERT_TRUE(body.contains("error")) << r.body;
    EXPECT_THAT(body["error"]["message"].get<std::string>(), HasSubstr(c.message));
  }
  // Nothing bad was stored: the rules are still empty.
  EXPECT_EQ(Send("GET", "/v1/shops/s1/fraud/rules").body, "");
}

TEST_F(FraudApiTest, ShopsAreIsolated) {
  ASSERT_EQ(Send("POST", "/v1/shops/s1/orders/o1/risk", Order("o1", kT0, 10, "c1").dump()).status,
            200);
  ASSERT_EQ(Send("PUT", "/v1/shops/s1/fraud/rules", "block if amount > 1").status, 200);
  EXPECT_EQ(Send("GET", "/v1/shops/s2/orders/o1/risk", "", kToken2).status, 404);
  auto r = Send("POST", "/v1/shops/s2/orders/o1/risk", Order("o1", kT0, 10, "c1").dump(), kToken2);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(json::parse(r.body)["rules_fired"].empty());
}

// A label becomes visible to features only once its order is older than the
// label delay (7 days): rules can read the features, so they show it.
TEST_F(FraudApiTest, LabelsWaitForTheDelay) {
  ASSERT_EQ(Send("PUT", "/v1/shops/s1/fraud/rules",
                 "review if customer_known_frauds_30d >= 1").status, 200);
  ASSERT_EQ(Send("POST", "/v1/shops/s1/orders/o1/risk", Order("o1", kT0, 10, "c1").dump()).status,
            200);
  ASSERT_EQ(Send("POST", "/v1/shops/s1/orders/o1/label", R"({"fraud": true})").status, 200);
  struct Case {
    int64_t at;
    bool fires;
  };
  const Case cases[] = {{kT0 + 1 * kDay, false}, {kT0 + 6 * kDay, false}, {kT0 + 8 * kDay, true}};
  int n = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.at);
    const std::string id = "later" + std::to_string(n++);
    auto r = Send("POST", "/v1/shops/s1/orders/" + id + "/risk", Order(id, c.at, 10, "c1").dump());
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(json::parse(r.body)["rules_fired"].size(), c.fires ? 1u : 0u) << r.body;
  }
}

TEST(FraudApiNoModel, AnswersUnavailableUntilAModelExists) {
  testing::TempDir dir;
  FakeClock clock(kT0 * 1000);
  api::EngineConfig config;
  config.data_dir = dir.path();
  config.listen = "127.0.0.1:0";
  config.threads = 1;
  config.sync = false;
  config.shops.push_back({"s1", kToken1, ""});
  auto engine = api::Engine::Start(config, &clock);
  ASSERT_TRUE(engine.ok()) << engine.status();
  ASSERT_TRUE((*engine)->WaitReady(10'000));
  HttpClient client((*engine)->port());
  json order = {{"id", "o1"}, {"created_at", kT0}, {"total_price", 3}};
  auto r = client.Send("POST", "/v1/shops/s1/orders/o1/risk", order.dump(), kToken1);
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_THAT(r.body, HasSubstr("no fraud model"));
  // The order was recorded: it can be labelled.
  EXPECT_EQ(client.Send("POST", "/v1/shops/s1/orders/o1/label", R"({"fraud": false})", kToken1)
                .status,
            200);
  // Retraining needs both classes among settled orders.
  auto retrain = client.Send("POST", "/v1/shops/s1/fraud/retrain", "", kToken1);
  EXPECT_EQ(retrain.status, 400) << retrain.body;
}

TEST(FraudApiConfig, RejectsAMissingModelFile) {
  testing::TempDir dir;
  FakeClock clock(kT0 * 1000);
  api::EngineConfig config;
  config.data_dir = dir.path();
  config.listen = "127.0.0.1:0";
  config.fraud_model = dir.path() + "/missing.model";
  EXPECT_FALSE(api::Engine::Start(config, &clock).ok());
}

}  // namespace
}  // namespace storepilot
