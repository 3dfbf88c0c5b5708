// The API service driven directly (no sockets): every route, every error.
#include "api/service.h"

#include <filesystem>
#include <future>
#include <random>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace storepilot::api {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;

constexpr char kAdmin[] = "admin-token-for-tests";

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() /
           ("sp_service_test_" + std::to_string(rd()) + std::to_string(rd()));
    store::EventLogOptions o;
    o.dir = dir_.string();
    o.partitions = 4;
    o.sync = false;
    auto log = store::EventLog::Open(o, {&shops_, &catalog_, &stats_}, &clock_, &metrics_);
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = std::move(*log);
    ServiceDeps deps{log_.get(), &shops_, &stats_, &catalog_, &metrics_, &clock_, kAdmin};
    service_ = std::make_unique<ApiService>(deps);
    ASSERT_TRUE(log_->WaitReady(5000));
  }
  void TearDown() override {
    log_->Shutdown();
    std::filesystem::remove_all(dir_);
  }

  HttpResponse Call(const std::string& method, const std::string& target,
                    const std::string& body = "", const std::string& token = "",
                    const std::string& content_type = "application/json",
                    const std::string& request_id = "") {
    HttpRequest req;
    req.method = method;
    req.target = target;
    req.body = body;
    req.headers.emplace_back("content-type", content_type);
    if (!token.empty()) req.headers.emplace_back("authorization", "Bearer " + token);
    if (!request_id.empty()) req.headers.emplace_back("x-request-id", request_id);
    std::promise<HttpResponse> p;
    auto f = p.get_future();
    service_->Handle(std::move(req), [&p](HttpResponse r) { p.set_value(std::move(r)); });
    return f.get();
  }

  // Creates a shop through the admin API and returns its token.
  std::string CreateShop(const std::string& shop) {
    HttpResponse r = Call("POST", "/v1/admin/shops", json{{"shop", shop}}.dump(), kAdmin);
    EXPECT_EQ(r.status, 201) << r.body;
    return json::parse(r.body)["api_token"];
  }

  static std::string ErrorCode(const HttpResponse& r) {
    return json::parse(r.body)["error"]["code"];
  }

  FakeClock clock_{1795773600000000};  // 2026-11-27T10:00:00Z
  observe::MetricsRegistry metrics_;
  ingest::ShopRegistry shops_;
  ingest::ShopStats stats_;
  catalog::Catalog catalog_;
  std::unique_ptr<store::EventLog> log_;
  std::unique_ptr<ApiService> service_;
  std::filesystem::path dir_;
};

TEST_F(ServiceTest, HealthReadyMetricsAndRequestIds) {
  HttpResponse h = Call("GET", "/healthz");
  EXPECT_EQ(h.status, 200);
  ASSERT_FALSE(h.headers.empty());
  EXPECT_EQ(h.headers.back().first, "X-Request-Id");
  EXPECT_FALSE(h.headers.back().second.empty());
  EXPECT_EQ(Call("GET", "/readyz").status, 200);
  HttpResponse given = Call("GET", "/healthz", "", "", "", "trace-123");
  EXPECT_EQ(given.headers.back().second, "trace-123");
  HttpResponse m = Call("GET", "/metrics");
  EXPECT_EQ(m.content_type, "text/plain; version=0.0.4");
  EXPECT_THAT(m.body, HasSubstr("storepilot_http_requests_total{route=\"/healthz\""));
  EXPECT_EQ(Call("GET", "/nope").status, 404);
  EXPECT_EQ(Call("DELETE", "/healthz").status, 405);
}

TEST_F(ServiceTest, AdminCreatesShops) {
  EXPECT_EQ(Call("POST", "/v1/admin/shops", R"({"shop":"a"})").status, 401);
  EXPECT_EQ(Call("POST", "/v1/admin/shops", R"({"shop":"a"})", "wrong").status, 401);
  HttpResponse created = Call("POST", "/v1/admin/shops",
                              R"({"shop":"demo-store.myshopify.com"})", kAdmin);
  ASSERT_EQ(created.status, 201) << created.body;
  json body = json::parse(created.body);
  EXPECT_EQ(body["shop"], "demo-store.myshopify.com");
  EXPECT_THAT(body["api_token"].get<std::string>(), HasSubstr("spt_"));
  EXPECT_FALSE(body["webhook_secret"].get<std::string>().empty());
  EXPECT_EQ(Call("POST", "/v1/admin/shops", R"({"shop":"demo-store.myshopify.com"})", kAdmin)
                .status,
            409);
  // A shop token is not an admin token.
  EXPECT_EQ(Call("POST", "/v1/admin/shops", R"({"shop":"b"})", body["api_token"]).status,
            403);
  EXPECT_EQ(Call("POST", "/v1/admin/shops", "{", kAdmin).status, 400);
  EXPECT_EQ(Call("POST", "/v1/admin/shops", R"({"shop":"Bad Name"})", kAdmin).status, 400);
  HttpResponse list = Call("GET", "/v1/admin/shops", "", kAdmin);
  EXPECT_EQ(json::parse(list.body)["shops"], json::array({"demo-store.myshopify.com"}));
}

TEST_F(ServiceTest, EventsAreAuthorizedValidatedAndIdempotent) {
  std::string a = CreateShop("shop-a");
  std::string b = CreateShop("shop-b");
  const std::string events = R"([
    {"event_id":"e-1","type":"view","ts":"2026-11-27T09:00:00Z","session_id":"s1","user_id":"u1","product_id":"p1"},
    {"event_id":"e-2","type":"search","ts":1795770000000,"session_id":"s2","query":"lamp"}])";
  EXPECT_EQ(Call("POST", "/v1/shops/shop-a/events", events).status, 401);
  EXPECT_EQ(Call("POST", "/v1/shops/shop-a/events", events, "spt_bogus").status, 401);
  EXPECT_EQ(Call("POST", "/v1/shops/shop-a/events", events, b).status, 403);
  EXPECT_EQ(Call("POST", "/v1/shops/nope/events", events, b).status, 403);
  EXPECT_EQ(Call("POST", "/v1/shops/nope/events", events, kAdmin).status, 404);

  HttpResponse ok = Call("POST", "/v1/shops/shop-a/events", events, a);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(json::parse(ok.body), (json{{"accepted", 2}, {"duplicates", 0}}));
  HttpResponse again = Call("POST", "/v1/shops/shop-a/events", events, a);
  EXPECT_EQ(json::parse(again.body), (json{{"accepted", 0}, {"duplicates", 2}}));

  HttpResponse nd = Call("POST", "/v1/shops/shop-a/events",
                         "{\"event_id\":\"e-3\",\"type\":\"login\",\"ts\":1,\"user_id\":\"u2\"}\n",
                         a, "application/x-ndjson");
  EXPECT_EQ(json::parse(nd.body)["accepted"], 1);

  HttpResponse bad = Call("POST", "/v1/shops/shop-a/events",
                          R"([{"event_id":"e-9","type":"view","ts":1,"user_id":"u"},
                              {"event_id":"e-10","type":"login","ts":"2026-11-29T10:00:00Z","user_id":"u"}])",
                          a);
  EXPECT_EQ(bad.status, 400);
  json details = json::parse(bad.body)["error"]["details"];
  ASSERT_EQ(details.size(), 2u);
  EXPECT_EQ(details[0], (json{{"index", 0}, {"field", "product_id"},
                              {"problem", "required for this type"}}));
  EXPECT_EQ(details[1]["field"], "ts");
  EXPECT_EQ(Call("POST", "/v1/shops/shop-a/events", "[{", a).status, 400);

  HttpResponse stats = Call("GET", "/v1/shops/shop-a/stats", "", a);
  ASSERT_EQ(stats.status, 200);
  json s = json::parse(stats.body);
  EXPECT_EQ(s["events"], 3);  // nothing of the rejected batch was stored
  EXPECT_EQ(Call("GET", "/v1/shops/shop-b/stats", "", a).status, 403);
  EXPECT_EQ(json::parse(Call("GET", "/v1/shops/shop-b/stats", "", b).body)["events"], 0);
  std::string metrics = Call("GET", "/metrics").body;
  EXPECT_THAT(metrics, HasSubstr("storepilot_events_accepted_total{type=\"view\"} 1\n"));
  EXPECT_THAT(metrics, HasSubstr("storepilot_events_duplicate_total{type=\"search\"} 1\n"));
  EXPECT_THAT(metrics, HasSubstr("storepilot_events_rejected_total{type=\"login\"} 1\n"));
}

TEST_F(ServiceTest, ProductsRoundTripThroughTheLog) {
  std::string a = CreateShop("shop-a");
  const std::string lamp = R"({"title":"Desk lamp","price":39.5,"category":["Home","Lamps"]})";
  HttpResponse put = Call("PUT", "/v1/shops/shop-a/products/p1", lamp, a);
  ASSERT_EQ(put.status, 200) << put.body;
  HttpResponse get = Call("GET", "/v1/shops/shop-a/products/p1", "", a);
  ASSERT_EQ(get.status, 200);
  EXPECT_EQ(json::parse(get.body)["title"], "Desk lamp");
  EXPECT_EQ(Call("GET", "/v1/shops/shop-a/products/none", "", a).status, 404);
  EXPECT_EQ(Call("PUT", "/v1/shops/shop-a/products/p1", R"({"id":"p2","title":"x"})", a).status,
            400);
  EXPECT_EQ(Call("PUT", "/v1/shops/shop-a/products/p1", "{", a).status, 400);

  HttpResponse batch = Call("POST", "/v1/shops/shop-a/products:batch",
                            R"({"products":[{"id":"p2","title":"A"},{"id":"p3","title":"B"}]})", a);
  ASSERT_EQ(batch.status, 200) << batch.body;
  EXPECT_EQ(json::parse(Call("GET", "/v1/shops/shop-a/stats", "", a).body)["products"], 3);
  HttpResponse bad_batch = Call("POST", "/v1/shops/shop-a/products:batch",
                                R"([{"id":"p4","title":"ok"},{"id":"p5"}])", a);
  EXPECT_EQ(bad_batch.status, 400);
  EXPECT_EQ(json::parse(bad_batch.body)["error"]["details"][0]["index"], 1);
  EXPECT_EQ(Call("GET", "/v1/shops/shop-a/products/p4", "", a).status, 404);
  EXPECT_EQ(Call("POST", "/v1/shops/shop-a/products:batch", "[]", a).status, 400);

  EXPECT_EQ(Call("DELETE", "/v1/shops/shop-a/products/p1", "", a).status, 204);
  EXPECT_EQ(Call("GET", "/v1/shops/shop-a/products/p1", "", a).status, 404);
  EXPECT_EQ(Call("DELETE", "/v1/shops/shop-a/products/p1", "", a).status, 404);
}

}  // namespace
}  // namespace storepilot::api
