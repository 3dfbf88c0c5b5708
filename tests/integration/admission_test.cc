// Admission control over real sockets: shedding at the request's head (429 /
// 503, Retry-After, the JSON error, the connection kept), webhooks never
// shed, the class and degrade flag handed to handlers, and the decide and
// customer-value APIs of a running engine.
#include <atomic>
#include <map>
#include <thread>

#include "api/admission_http.h"
#include "api/engine.h"
#include "api/http_server.h"
#include "boost/asio/connect.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/write.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"
#include "gtest/gtest.h"
#include "http_client.h"
#include "nlohmann/json.hpp"
#include "overload/priority_executor.h"
#include "temp_dir.h"

namespace storepilot {
namespace {

using json = nlohmann::json;
namespace beast = boost::beast;
namespace http = beast::http;

struct Reply {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;
};

// One keep-alive connection sending requests with arbitrary headers.
class RawClient {
 public:
  explicit RawClient(uint16_t port) : stream_(ioc_) {
    boost::asio::ip::tcp::endpoint ep(boost::asio::ip::make_address("127.0.0.1"), port);
    stream_.connect(ep);
  }
  Reply Send(const std::string& method, const std::string& target,
             std::map<std::string, std::string> headers = {}, const std::string& body = "") {
    http::request<http::string_body> req(http::string_to_verb(method), target, 11);
    req.set(http::field::host, "127.0.0.1");
    for (auto& [k, v] : headers) req.set(k, v);
    req.body() = body;
    req.keep_alive(true);
    req.prepare_payload();
    stream_.expires_after(std::chrono::seconds(10));
    http::write(stream_, req);
    return Read();
  }
  // Raw bytes, as given (pipelined requests, a head without its body).
  void Write(const std::string& bytes) {
    stream_.expires_after(std::chrono::seconds(10));
    boost::asio::write(stream_, boost::asio::buffer(bytes));
  }
  // The next response.
  Reply Read() {
    stream_.expires_after(std::chrono::seconds(10));
    http::response<http::string_body> res;
    http::read(stream_, buffer_, res);
    Reply r;
    r.status = res.result_int();
    r.body = res.body();
    for (const auto& f : res) r.headers[std::string(f.name_string())] = std::string(f.value());
    return r;
  }

 private:
  boost::asio::io_context ioc_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
};

// Drives `a` (on `clock`) into overload: each window after the first sheds a
// further 20% of the (evenly mixed) arrivals. The clock is left inside the
// last window, so the level stays put while the test sends requests.
void Overload(overload::AdmissionController& a, FakeClock& clock, int windows) {
  for (int w = 0; w < windows; ++w) {
    clock.AdvanceMicros(50'000);
    a.OnQueueDelay(100'000);
    for (int c = 0; c < overload::kNumClasses; ++c) {
      for (int i = 0; i < 25; ++i) {
        a.Admit({static_cast<overload::RequestClass>(c), false},
                {"s", "", "x" + std::to_string(i)}, nullptr);
      }
    }
  }
}

class ShedServer : public ::testing::Test {
 protected:
  void SetUp() override {
    overload::AdmissionOptions o;
    o.max_level = overload::kNumPriorities;  // so that critical can be shed too
    admission_ = std::make_unique<overload::AdmissionController>(o, &clock_, nullptr, &metrics_);
    api::HttpServerOptions options;
    options.port = 0;
    options.admission = api::MakeAdmissionHook(admission_.get());
    server_ = std::make_unique<api::HttpServer>(
        options,
        [this](api::HttpRequest&& req, api::Responder respond) {
          handled_.fetch_add(1);
          api::HttpResponse r;
          r.body = json{{"class", req.priority_class},
                        {"degrade", req.degrade},
                        {"body_bytes", req.body.size()}}
                       .dump();
          respond(std::move(r));
        },
        &metrics_);
    ASSERT_TRUE(server_->Start().ok());
  }
  void TearDown() override { server_->Shutdown(); }

  FakeClock clock_{1'000'000};
  observe::MetricsRegistry metrics_;
  std::unique_ptr<overload::AdmissionController> admission_;
  std::unique_ptr<api::HttpServer> server_;
  std::atomic<int> handled_{0};
};

TEST_F(ShedServer, AdmitsEverythingWhenCalmAndTellsTheHandlerTheClass) {
  RawClient client(server_->port());
  Reply r = client.Send("GET", "/v1/shops/s/products/p1");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(json::parse(r.body)["class"], "normal");
  EXPECT_EQ(json::parse(r.body)["degrade"], false);
  r = client.Send("POST", "/v1/shops/s/events", {{"X-Storepilot-Priority", "critical"}}, "[]");
  EXPECT_EQ(json::parse(r.body)["class"], "critical");
  EXPECT_EQ(admission_->Snapshot().inflight, 0);  // slots released with the answers
}

TEST_F(ShedServer, ShedsLowAtTheHeadAndKeepsTheConnection) {
  Overload(*admission_, clock_, 4);  // 60% shed: low, normal and a little high
  ASSERT_GT(admission_->Snapshot().level, overload::kClassBand * 2);
  ASSERT_LT(admission_->Snapshot().level, overload::kClassBand * 3);
  RawClient client(server_->port());
  const int before = handled_.load();
  Reply low = client.Send("POST", "/v1/shops/s/events", {{"X-Request-Id", "req-1"}},
                          std::string(5000, '['));  // not JSON: never parsed
  EXPECT_EQ(low.status, 429);
  EXPECT_EQ(low.headers["Retry-After"], "5");
  EXPECT_EQ(low.headers["X-Request-Id"], "req-1");
  json err = json::parse(low.body);
  EXPECT_EQ(err["error"]["code"], "resource_exhausted");
  EXPECT_EQ(err["error"]["details"][0]["class"], "low");
  Reply normal = client.Send("GET", "/v1/shops/s/products/p1");  // same connection
  EXPECT_EQ(normal.status, 429);
  EXPECT_EQ(handled_.load(), before);  // the handler never saw them
  Reply critical =
      client.Send("POST", "/v1/shops/s/events", {{"X-Storepilot-Priority", "critical"}}, "[1]");
  ASSERT_EQ(critical.status, 200);
  EXPECT_EQ(json::parse(critical.body)["body_bytes"], 3);
  EXPECT_GT(metrics_.GetCounter("storepilot_admission_requests_total", "",
                                {{"class", "low"}, {"result", "shed"}})
                ->Value(),
            0);
}

TEST_F(ShedServer, CriticalShedGets503AndWebhooksAreNeverShed) {
  Overload(*admission_, clock_, 30);  // everything the controller saw is shed
  ASSERT_GE(admission_->Snapshot().level, overload::kClassBand * 3 + 8);
  RawClient client(server_->port());
  Reply critical = client.Send("GET", "/v1/shops/s/checkout/x");
  EXPECT_EQ(critical.status, 503);
  EXPECT_EQ(json::parse(critical.body)["error"]["code"], "unavailable");
  EXPECT_EQ(critical.headers["Retry-After"], "1");
  for (int i = 0; i < 50; ++i) {
    Reply hook = client.Send(
        "POST", "/webhooks/shopify",
        {{"X-Storepilot-Priority", "low"}, {"X-Shopify-Topic", "orders/create"}}, R"({"id": 1})");
    ASSERT_EQ(hook.status, 200) << hook.body;
    EXPECT_EQ(json::parse(hook.body)["class"], "critical");
  }
  EXPECT_EQ(client.Send("GET", "/healthz").status, 200);
}

std::string PostEvents(const std::string& body, const std::string& priority = "") {
  return "POST /v1/shops/s/events HTTP/1.1\r\nHost: x\r\n" +
         (priority.empty() ? "" : "X-Storepilot-Priority: " + priority + "\r\n") +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

TEST_F(ShedServer, ShedBodyArrivingAfterItsHeadIsDroppedAndTheConnectionKept) {
  Overload(*admission_, clock_, 4);
  RawClient client(server_->port());
  const std::string request = PostEvents(std::string(3000, 'x'));
  const size_t head = request.find("\r\n\r\n") + 4;
  client.Write(request.substr(0, head));  // the head alone: decided before the body
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  client.Write(request.substr(head));
  Reply shed = client.Read();
  EXPECT_EQ(shed.status, 429);
  EXPECT_EQ(shed.headers["Retry-After"], "5");
  client.Write(PostEvents("[1]", "critical"));
  Reply next = client.Read();
  ASSERT_EQ(next.status, 200);
  EXPECT_EQ(json::parse(next.body)["body_bytes"], 3);
}

TEST_F(ShedServer, PipelinedShedRequestsAreAnsweredInOrder) {
  Overload(*admission_, clock_, 4);
  const int before = handled_.load();
  RawClient client(server_->port());
  // Three requests in one write: a shed body-less GET, a shed POST whose body
  // is already buffered, and an admitted critical POST.
  client.Write("GET /v1/shops/s/stats HTTP/1.1\r\nHost: x\r\nX-Request-Id: a\r\n\r\n" +
               PostEvents(std::string(200, '[')) + PostEvents("[22]", "critical"));
  Reply first = client.Read();
  EXPECT_EQ(first.status, 429);
  EXPECT_EQ(first.headers["X-Request-Id"], "a");
  EXPECT_EQ(first.headers["Content-Length"], std::to_string(first.body.size()));
  EXPECT_EQ(json::parse(first.body)["error"]["details"][0]["class"], "low");
  EXPECT_EQ(client.Read().status, 429);
  Reply third = client.Read();
  ASSERT_EQ(third.status, 200);
  EXPECT_EQ(json::parse(third.body)["body_bytes"], 4);
  EXPECT_EQ(handled_.load(), before + 1);  // only the admitted one reached the handler
}

TEST_F(ShedServer, ManyShedRequestsOnOneConnection) {
  Overload(*admission_, clock_, 4);
  RawClient client(server_->port());
  for (int i = 0; i < 200; ++i) {
    ASSERT_EQ(client.Send("POST", "/v1/shops/s/events", {}, std::string(i * 37, '[')).status, 429)
        << i;
  }
  EXPECT_EQ(client.Send("GET", "/healthz").status, 200);
}

TEST_F(ShedServer, LargeShedBodyClosesTheConnection) {
  Overload(*admission_, clock_, 30);
  RawClient client(server_->port());
  Reply big = client.Send("POST", "/v1/shops/s/events", {}, std::string(2 << 20, 'x'));
  EXPECT_EQ(big.status, 429);
  EXPECT_EQ(big.headers["Connection"], "close");
}

// Admission with the priority queue: normal and low requests wait for a
// worker of an overload::PriorityExecutor (started by the test when it wants
// them to run), critical ones are answered on the HTTP threads at once.
class QueuedServer : public ::testing::Test {
 protected:
  void SetUp() override {
    overload::AdmissionOptions o;
    admission_ = std::make_unique<overload::AdmissionController>(o, &clock_, nullptr, &metrics_);
    overload::PriorityExecutorOptions q;
    q.threads = 1;
    q.max_queue_delay_us = 100'000;
    queue_ = std::make_unique<overload::PriorityExecutor>(q, &clock_, &metrics_);
    api::HttpServerOptions options;
    options.port = 0;
    options.admission = api::MakeAdmissionHook(admission_.get(), /*queue_heavy=*/true);
    options.schedule = [this](int priority, std::function<void(bool)> task) {
      queue_->Submit(priority, std::move(task));
    };
    server_ = std::make_unique<api::HttpServer>(
        options,
        [this](api::HttpRequest&& req, api::Responder respond) {
          handled_.fetch_add(1);
          api::HttpResponse r;
          r.body = json{{"class", req.priority_class}}.dump();
          respond(std::move(r));
        },
        &metrics_);
    ASSERT_TRUE(server_->Start().ok());
  }
  void TearDown() override {
    server_->Shutdown(1000);
    queue_->Stop();
  }
  // Waits until `n` requests are queued (the HTTP threads work concurrently).
  void WaitQueued(size_t n) {
    for (int i = 0; i < 500 && queue_->queued() < n; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    ASSERT_EQ(queue_->queued(), n);
  }

  FakeClock clock_{1'000'000};
  observe::MetricsRegistry metrics_;
  std::unique_ptr<overload::AdmissionController> admission_;
  std::unique_ptr<overload::PriorityExecutor> queue_;
  std::unique_ptr<api::HttpServer> server_;
  std::atomic<int> handled_{0};
};

TEST_F(QueuedServer, CriticalIsAnsweredAtOnceWhileNormalWaitsForAWorker) {
  RawClient normal(server_->port());
  normal.Write("GET /v1/shops/s/recommendations?user_id=u HTTP/1.1\r\nHost: x\r\n\r\n");
  WaitQueued(1);
  EXPECT_EQ(handled_.load(), 0);
  RawClient checkout(server_->port());
  Reply c = checkout.Send("POST", "/v1/shops/s/checkout", {}, "{}");
  ASSERT_EQ(c.status, 200);  // answered on the HTTP thread, past the queued request
  EXPECT_EQ(json::parse(c.body)["class"], "critical");
  EXPECT_EQ(handled_.load(), 1);
  queue_->Start();
  Reply n = normal.Read();
  ASSERT_EQ(n.status, 200);
  EXPECT_EQ(json::parse(n.body)["class"], "normal");
  EXPECT_EQ(handled_.load(), 2);
  EXPECT_EQ(admission_->Snapshot().inflight, 0);
}

TEST_F(QueuedServer, RequestThatWaitedTooLongIsAnswered429WithoutRunning) {
  RawClient low(server_->port());
  low.Write("GET /v1/shops/s/stats HTTP/1.1\r\nHost: x\r\n\r\n");
  WaitQueued(1);
  clock_.AdvanceMicros(150'000);  // past the queue's 100 ms
  queue_->Start();
  Reply r = low.Read();
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.headers["Retry-After"], "5");
  EXPECT_EQ(json::parse(r.body)["error"]["details"][0]["reason"], "queue");
  EXPECT_EQ(handled_.load(), 0);
  // The connection stays usable, and the next request runs.
  Reply again = low.Send("GET", "/v1/shops/s/stats");
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(handled_.load(), 1);
  EXPECT_EQ(admission_->Snapshot().inflight, 0);
}

constexpr char kToken[] = "shop-token-0123456789";
constexpr char kAdmin[] = "admin-token-0123456789";

class EngineAdmission : public ::testing::Test {
 protected:
  void SetUp() override {
    api::EngineConfig config;
    config.data_dir = dir_.path();
    config.listen = "127.0.0.1:0";
    config.threads = 2;
    config.sync = false;
    config.admin_token = kAdmin;
    config.admission.enabled = true;
    config.shops.push_back({"s1", kToken, "secret"});
    config.shops.push_back({"s2", "other-token-0123456789", "secret"});
    auto engine = api::Engine::Start(config, &clock_);
    ASSERT_TRUE(engine.ok()) << engine.status();
    engine_ = std::move(*engine);
    ASSERT_TRUE(engine_->WaitReady(10'000));
  }
  testing::TempDir dir_;
  FakeClock clock_{1'800'000'000'000'000};
  std::unique_ptr<api::Engine> engine_;
};

TEST_F(EngineAdmission, DecideApi) {
  testing::HttpClient client(engine_->port());
  const std::string ok =
      R"({"service":"checkout","class":"high","customer_id":"c1","session_id":"s"})";
  EXPECT_EQ(client.Send("POST", "/v1/admission/decide", ok).status, 401);
  auto r = client.Send("POST", "/v1/admission/decide", ok, kAdmin);
  ASSERT_EQ(r.status, 200) << r.body;
  json d = json::parse(r.body);
  EXPECT_EQ(d["decision"], "admit");
  EXPECT_EQ(d["class"], "high");
  EXPECT_EQ(d["service"], "checkout");
  EXPECT_EQ(d["level"], 0);
  EXPECT_EQ(d["user_priority"], 2);  // identified, no purchases yet
  struct Bad {
    const char* body;
    const char* field;
  } bad[] = {{R"({"class":"high"})", "service"},
             {R"({"service":"x","class":"vip"})", "class"},
             {R"({"service":"x","class":"low","customer_id":5})", "customer_id"}};
  for (const Bad& b : bad) {
    SCOPED_TRACE(b.body);
    auto e = client.Send("POST", "/v1/admission/decide", b.body, kAdmin);
    ASSERT_EQ(e.status, 400);
    EXPECT_EQ(json::parse(e.body)["error"]["details"][0]["field"], b.field);
  }
  EXPECT_EQ(client.Send("POST", "/v1/admission/decide", "[1", kAdmin).status, 400);
  // A shop token decides for its own shop only.
  const std::string own = R"({"service":"web","class":"low","shop":"s1"})";
  EXPECT_EQ(client.Send("POST", "/v1/admission/decide", own, kToken).status, 200);
  const std::string other = R"({"service":"web","class":"low","shop":"s2"})";
  EXPECT_EQ(client.Send("POST", "/v1/admission/decide", other, kToken).status, 403);
  EXPECT_EQ(client.Send("POST", "/v1/admission/decide", R"({"service":"w","class":"low"})",
                        kToken)
                .status,
            403);
}

TEST_F(EngineAdmission, CustomerValueLearnsFromPurchases) {
  testing::HttpClient client(engine_->port());
  json events = json::array();
  for (int i = 0; i < 5; ++i) {
    events.push_back({{"event_id", "p" + std::to_string(i)},
                      {"type", "purchase"},
                      {"ts", 1'790'000'000'000 + i},
                      {"user_id", "big"},
                      {"order_id", "o" + std::to_string(i)},
                      {"product_id", "p"},
                      {"quantity", 2},
                      {"price", 50.0}});
  }
  events.push_back({{"event_id", "q"},
                    {"type", "purchase"},
                    {"ts", 1'780'000'000'000},
                    {"user_id", "small"},
                    {"order_id", "o9"},
                    {"product_id", "p"},
                    {"quantity", 1},
                    {"price", 5.0}});
  ASSERT_EQ(client.Send("POST", "/v1/shops/s1/events", events.dump(), kToken).status, 200);
  json big;
  for (int i = 0; i < 200; ++i) {  // applied asynchronously
    auto r = client.Send("GET", "/v1/shops/s1/customers/big/value", "", kToken);
    ASSERT_EQ(r.status, 200) << r.body;
    big = json::parse(r.body);
    if (big["orders"] == 5) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(big["known"], true);
  EXPECT_DOUBLE_EQ(big["monetary"].get<double>(), 500.0);
  json small =
      json::parse(client.Send("GET", "/v1/shops/s1/customers/small/value", "", kToken).body);
  EXPECT_GT(big["score"].get<double>(), small["score"].get<double>());
  EXPECT_GT(big["user_priority"].get<int>(), small["user_priority"].get<int>());
  EXPECT_EQ(client.Send("GET", "/v1/shops/s2/customers/big/value", "", kToken).status, 403);
  // The decide API ranks the customer by that value.
  auto d = client.Send("POST", "/v1/admission/decide",
                       R"({"service":"web","class":"normal","shop":"s1","customer_id":"big"})",
                       kToken);
  EXPECT_EQ(json::parse(d.body)["user_priority"], big["user_priority"]);
}

}  // namespace
}  // namespace storepilot
