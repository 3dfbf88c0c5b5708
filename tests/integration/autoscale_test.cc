// The Kubernetes side of autoscaling end to end, in a running node: metrics
// pushed over HTTP (JSON and Prometheus text), the plans served by
// GET /v1/autoscale/services and by the KEDA external scaler to a real
// generated gRPC client, and the actuator's PATCH against a fake Kubernetes
// API server.
#include <atomic>
#include <fstream>
#include <mutex>
#include <thread>

#include "api/engine.h"
#include "externalscaler.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "http_client.h"
#include "nlohmann/json.hpp"
#include "temp_dir.h"

namespace storepilot {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;
using testing::HttpClient;

constexpr char kAdminToken[] = "admin-token-0123456789";
constexpr int64_t kMinute = 60'000;
constexpr int64_t kT0 = 1'700'000'040'000;  // a minute boundary

api::EngineConfig Config(const std::string& dir) {
  api::EngineConfig config;
  config.data_dir = dir;
  config.listen = "127.0.0.1:0";
  config.threads = 2;
  config.sync = false;
  config.admin_token = kAdminToken;
  autoscale::ServiceSpec checkout;
  checkout.name = "checkout";
  checkout.k8s_namespace = "shop";
  checkout.capacity_per_pod = 100;
  checkout.startup_minutes = 3;
  checkout.min_replicas = 1;
  checkout.max_replicas = 50;
  autoscale::ServiceSpec idle = checkout;
  idle.name = "idle";
  idle.min_replicas = 0;
  config.autoscale.services = {checkout, idle};
  // Decisions are made when a GET asks (deterministic with the fake clock);
  // the actuator tests tick every 20 ms.
  config.autoscale.tick_ms = 3'600'000;
  return config;
}

std::unique_ptr<api::Engine> Start(const api::EngineConfig& config, const Clock* clock) {
  auto engine = api::Engine::Start(config, clock);
  EXPECT_TRUE(engine.ok()) << engine.status();
  if (!engine.ok()) return nullptr;
  EXPECT_TRUE((*engine)->WaitReady(10'000));
  return std::move(*engine);
}

json Get(HttpClient& client, const std::string& target, int want = 200) {
  auto r = client.Send("GET", target, "", kAdminToken);
  EXPECT_EQ(r.status, want) << target << ": " << r.body;
  return json::parse(r.body, nullptr, false);
}

TEST(AutoscaleApi, PushedMetricsBecomePlans) {
  testing::TempDir dir;
  FakeClock clock(kT0 * 1000);
  auto engine = Start(Config(dir.path()), &clock);
  ASSERT_NE(engine, nullptr);
  HttpClient client(engine->port());
  auto post = [&](const std::string& service, const std::string& body,
                  const std::string& type = "application/json",
                  const std::string& token = kAdminToken) {
    return client.Send("POST", "/v1/autoscale/services/" + service + "/metrics", body, token,
                       type);
  };

  // Errors first.
  EXPECT_EQ(post("checkout", R"({"requests": 1})", "application/json", "").status, 401);
  EXPECT_EQ(post("nope", R"({"requests": 1})").status, 404);
  EXPECT_EQ(post("checkout", "{not json").status, 400);
  EXPECT_EQ(post("checkout", R"({"ready_replicas": 3})").status, 400);
  EXPECT_EQ(post("checkout", R"({"requests": 5, "ready_replicas": -1})").status, 400);
  EXPECT_EQ(post("checkout", R"({"requests": -5})").status, 400);
  EXPECT_EQ(post("checkout", R"({"requests": 5, "time_ms": "soon"})").status, 400);
  auto bad_text = post("checkout", "http_requests_total{code=\"200\" 5\n", "text/plain");
  EXPECT_EQ(bad_text.status, 400);
  EXPECT_THAT(bad_text.body, HasSubstr("metrics line 1"));
  auto no_metric = post("checkout", "other_metric 5\n", "text/plain");
  EXPECT_EQ(no_metric.status, 400);
  EXPECT_THAT(no_metric.body, HasSubstr("http_requests_total"));
  Get(client, "/v1/autoscale/services/nope", 404);
  EXPECT_EQ(client.Send("GET", "/v1/autoscale/services", "", "").status, 401);

  // Minute 0: 600 requests on 4 ready pods (JSON).
  auto ok = post("checkout", R"({"requests": 600, "ready_replicas": 4})");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(json::parse(ok.body)["ready_replicas"], 4);
  // Minutes 1-2: a Prometheus counter over two series, sampled at 1:00 (the
  // baseline) and 3:00: 1,000 requests spread over two minutes.
  const std::string scrape1 =
      "# TYPE http_requests_total counter\n"
      "http_requests_total{code=\"200\"} 10000\nhttp_requests_total{code=\"500\"} 40 " +
      std::to_string(kT0 + kMinute) + "\nready_replicas 5\n";
  clock.SetMicros((kT0 + kMinute) * 1000);
  ASSERT_EQ(post("checkout", scrape1, "text/plain; version=0.0.4").status, 200);
  clock.SetMicros((kT0 + 3 * kMinute) * 1000);
  auto second = post("checkout",
                     "http_requests_total{code=\"200\"} 10900\n"
                     "http_requests_total{code=\"500\"} 140\nready_replicas 5\n",
                     "text/plain");
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(json::parse(second.body)["requests_counted"], 1000);

  json plan = Get(client, "/v1/autoscale/services/checkout");
  EXPECT_EQ(plan["name"], "checkout");
  EXPECT_EQ(plan["namespace"], "shop");
  EXPECT_EQ(plan["deployment"], "checkout");
  EXPECT_EQ(plan["policy"], "hpa");  // three minutes of history
  EXPECT_EQ(plan["history_minutes"], 3);
  EXPECT_EQ(plan["last_minute_requests"], 500);
  EXPECT_EQ(plan["current_replicas"], 5);
  // The three minutes are decided at 3:00 with the last pushed R = 5. Minute 0:
  // 600 on 5 pods at target 70 -> ceil(8.57) = 9. Minutes 1-2: 500 on 5 ready
  // + 4 pending pods; counting the pending ones as idle flips the direction
  // (500 / (70 × 9) < 1), so the HPA keeps 9.
  EXPECT_EQ(plan["desired_replicas"], 9);
  EXPECT_EQ(plan["reason"]["code"], "hpa");
  EXPECT_THAT(plan["reason"]["text"].get<std::string>(), HasSubstr("hpa fallback"));
  EXPECT_EQ(plan["forecast"]["window_minutes"], 4);
  EXPECT_EQ(plan["last_decision_ms"], kT0 + 3 * kMinute);

  // A gauge of the last minute's requests works as well.
  ASSERT_EQ(post("checkout", "requests_last_minute 300\n", "text/plain").status, 200);
  json list = Get(client, "/v1/autoscale/services");
  ASSERT_EQ(list["services"].size(), 2u);
  EXPECT_EQ(list["services"][1]["name"], "idle");
  EXPECT_EQ(list["services"][1]["reason"]["code"], "no-data");

  // The pushed counts also reach the traffic forecaster.
  const std::string metrics = client.Send("GET", "/metrics").body;
  EXPECT_THAT(metrics, HasSubstr("storepilot_autoscale_desired_replicas{service=\"checkout\"} 9"));
  EXPECT_THAT(metrics, HasSubstr("storepilot_autoscale_current_replicas{service=\"checkout\"} 5"));
  EXPECT_THAT(metrics, HasSubstr("storepilot_autoscale_decisions_total{service=\"checkout\","
                                 "reason=\"hpa\"} 3"));
}

// A real client generated from proto/externalscaler.proto.
class KedaClient {
 public:
  explicit KedaClient(uint16_t port)
      : stub_(externalscaler::ExternalScaler::NewStub(grpc::CreateChannel(
            "127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()))) {}
  externalscaler::ExternalScaler::Stub& stub() { return *stub_; }

  static externalscaler::ScaledObjectRef Ref(const std::string& service) {
    externalscaler::ScaledObjectRef ref;
    ref.set_name("checkout");
    ref.set_namespace_("shop");
    if (!service.empty()) (*ref.mutable_scalermetadata())["service"] = service;
    return ref;
  }
  static std::unique_ptr<grpc::ClientContext> Context() {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return ctx;
  }

 private:
  std::unique_ptr<externalscaler::ExternalScaler::Stub> stub_;
};

TEST(KedaExternalScaler, ReportsThePlanThroughGrpc) {
  testing::TempDir dir;
  FakeClock clock(kT0 * 1000);
  api::EngineConfig config = Config(dir.path());
  config.autoscale.keda_listen = "127.0.0.1:0";
  config.autoscale.keda_stream_interval_ms = 20;
  auto engine = Start(config, &clock);
  ASSERT_NE(engine, nullptr);
  ASSERT_GT(engine->keda_port(), 0);
  HttpClient http(engine->port());
  ASSERT_EQ(http.Send("POST", "/v1/autoscale/services/checkout/metrics",
                      R"({"requests": 900, "ready_replicas": 3})", kAdminToken)
                .status,
            200);
  clock.SetMicros((kT0 + kMinute) * 1000);
  const int desired = Get(http, "/v1/autoscale/services/checkout")["desired_replicas"];
  // 900 on 3 pods of 100 at target 0.7: ceil(900/70) = 13, capped by the
  // HPA's scale-up limit max(3 + 4, 2 × 3) = 7.
  ASSERT_EQ(desired, 7);

  KedaClient client(engine->keda_port());
  externalscaler::GetMetricSpecResponse spec;
  grpc::Status s = client.stub().GetMetricSpec(KedaClient::Context().get(),
                                               KedaClient::Ref("checkout"), &spec);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(spec.metricspecs_size(), 1);
  EXPECT_EQ(spec.metricspecs(0).metricname(), "storepilot-checkout");
  EXPECT_EQ(spec.metricspecs(0).targetsize(), 1);
  EXPECT_EQ(spec.metricspecs(0).targetsizefloat(), 1.0);

  externalscaler::GetMetricsRequest req;
  *req.mutable_scaledobjectref() = KedaClient::Ref("checkout");
  req.set_metricname("s0-storepilot-checkout");  // KEDA prefixes the trigger index
  externalscaler::GetMetricsResponse metrics;
  s = client.stub().GetMetrics(KedaClient::Context().get(), req, &metrics);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(metrics.metricvalues_size(), 1);
  EXPECT_EQ(metrics.metricvalues(0).metricname(), "storepilot-checkout");
  EXPECT_EQ(metrics.metricvalues(0).metricvalue(), desired);
  EXPECT_EQ(metrics.metricvalues(0).metricvaluefloat(), desired);

  externalscaler::IsActiveResponse active;
  s = client.stub().IsActive(KedaClient::Context().get(), KedaClient::Ref("checkout"), &active);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_TRUE(active.result());
  // A service with min 0 and no traffic is inactive (KEDA may scale it to 0).
  s = client.stub().IsActive(KedaClient::Context().get(), KedaClient::Ref("idle"), &active);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_FALSE(active.result());

  {
    auto ctx = KedaClient::Context();
    auto reader = client.stub().StreamIsActive(ctx.get(), KedaClient::Ref("checkout"));
    externalscaler::IsActiveResponse streamed;
    ASSERT_TRUE(reader->Read(&streamed));
    EXPECT_TRUE(streamed.result());
    ASSERT_TRUE(reader->Read(&streamed));  // the next report, 20 ms later
    ctx->TryCancel();
    while (reader->Read(&streamed)) {
    }
    EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
  }

  // Errors: no service named, an unknown service, a wrong metric name.
  s = client.stub().IsActive(KedaClient::Context().get(), KedaClient::Ref(""), &active);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  s = client.stub().GetMetricSpec(KedaClient::Context().get(), KedaClient::Ref("nope"), &spec);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  req.set_metricname("storepilot-other");
  s = client.stub().GetMetrics(KedaClient::Context().get(), req, &metrics);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  {
    auto ctx = KedaClient::Context();
    auto reader = client.stub().StreamIsActive(ctx.get(), KedaClient::Ref("nope"));
    externalscaler::IsActiveResponse streamed;
    EXPECT_FALSE(reader->Read(&streamed));
    EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::NOT_FOUND);
  }
  engine->Shutdown();
}

// A plain-HTTP stand-in for the Kubernetes API that records each request.
class FakeKubernetesApi {
 public:
  struct Request {
    std::string method, target, content_type, authorization, body;
  };

  FakeKubernetesApi() : acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    thread_ = std::thread([this] { Serve(); });
  }
  ~FakeKubernetesApi() {
    stop_ = true;
    boost::asio::ip::tcp::socket poke(io_);
    boost::system::error_code ec;
    poke.connect(acceptor_.local_endpoint(), ec);  // unblocks accept()
    thread_.join();
  }
  uint16_t port() const { return acceptor_.local_endpoint().port(); }
  std::vector<Request> requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }
  void set_status(int status) { status_ = status; }

 private:
  void Serve() {
    namespace http = boost::beast::http;
    while (!stop_) {
      boost::asio::ip::tcp::socket socket(io_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      if (ec || stop_) continue;
      boost::beast::flat_buffer buffer;
      http::request<http::string_body> req;
      http::read(socket, buffer, req, ec);
      if (ec) continue;
      {
        std::lock_guard<std::mutex> lock(mu_);
        requests_.push_back({std::string(req.method_string()), std::string(req.target()),
                             std::string(req[http::field::content_type]),
                             std::string(req[http::field::authorization]), req.body()});
      }
      http::response<http::string_body> res(static_cast<http::status>(status_.load()), 11);
      res.set(http::field::content_type, "application/json");
      res.body() = R"({"kind": "Scale"})";
      res.keep_alive(false);
      res.prepare_payload();
      http::write(socket, res, ec);
    }
  }

  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::atomic<bool> stop_{false};
  std::atomic<int> status_{200};
  std::mutex mu_;
  std::vector<Request> requests_;
  std::thread thread_;
};

// A config whose actuator is on against `api` (ticking every 20 ms).
api::EngineConfig ActuatorConfig(const testing::TempDir& dir, const FakeKubernetesApi& api,
                                 const std::string& token) {
  const std::string token_file = dir.path() + "/token";
  std::ofstream(token_file) << token;
  api::EngineConfig config = Config(dir.path() + "/data");
  config.autoscale.tick_ms = 20;
  config.autoscale.actuator.mode = api::ActuatorMode::kOn;
  config.autoscale.actuator.api_url = "http://127.0.0.1:" + std::to_string(api.port()) + "/";
  config.autoscale.actuator.token_file = token_file;
  return config;
}

// Pushes `body` for checkout at kT0 and ends that minute.
void PushOneMinute(HttpClient& http, FakeClock& clock, const std::string& body) {
  ASSERT_EQ(http.Send("POST", "/v1/autoscale/services/checkout/metrics", body, kAdminToken)
                .status,
            200);
  clock.SetMicros((kT0 + kMinute) * 1000);
}

// Polls /metrics (bounded) until it contains `needle`; returns the last text.
std::string WaitForMetric(HttpClient& http, const std::string& needle) {
  std::string metrics;
  for (int i = 0; i < 500 && metrics.find(needle) == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    metrics = http.Send("GET", "/metrics").body;
  }
  return metrics;
}

TEST(KubernetesActuator, PatchesTheScaleSubresource) {
  testing::TempDir dir;
  FakeKubernetesApi api;
  FakeClock clock(kT0 * 1000);
  auto engine = Start(ActuatorConfig(dir, api, "sa-token-123\n"), &clock);
  ASSERT_NE(engine, nullptr);
  HttpClient http(engine->port());
  PushOneMinute(http, clock, R"({"requests": 200, "ready_replicas": 2})");
  // The runner ticks every 20 ms; wait (bounded) for its PATCH.
  std::vector<FakeKubernetesApi::Request> seen;
  for (int i = 0; i < 500 && seen.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    seen = api.requests();
  }
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "PATCH");
  EXPECT_EQ(seen[0].target, "/apis/apps/v1/namespaces/shop/deployments/checkout/scale");
  EXPECT_EQ(seen[0].content_type, "application/merge-patch+json");
  EXPECT_EQ(seen[0].authorization, "Bearer sa-token-123");
  // 200 on 2 pods: ceil(200 / 70) = 3.
  EXPECT_EQ(json::parse(seen[0].body), json::parse(R"({"spec":{"replicas":3}})"));
  // Unchanged plans are not patched again.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(api.requests().size(), 1u);
  EXPECT_THAT(http.Send("GET", "/metrics").body,
              HasSubstr("storepilot_autoscale_actuations_total{service=\"checkout\","
                        "result=\"ok\"} 1"));
  engine->Shutdown();
}

TEST(KubernetesActuator, DryRunAndErrors) {
  testing::TempDir dir;
  FakeClock clock(kT0 * 1000);
  api::EngineConfig config = Config(dir.path());
  config.autoscale.tick_ms = 20;
  config.autoscale.actuator.mode = api::ActuatorMode::kDryRun;
  auto engine = Start(config, &clock);
  ASSERT_NE(engine, nullptr);
  HttpClient http(engine->port());
  PushOneMinute(http, clock, R"({"requests": 200})");
  EXPECT_THAT(WaitForMetric(http, "dry_run"), HasSubstr("storepilot_autoscale_actuations_total{service=\"checkout\","
                                 "result=\"dry_run\"} 1"));
  engine->Shutdown();

  // "on" outside a cluster without an api_url cannot start.
  api::EngineConfig on = Config(dir.path() + "/on");
  on.autoscale.actuator.mode = api::ActuatorMode::kOn;
  if (std::getenv("KUBERNETES_SERVICE_HOST") == nullptr) {
    EXPECT_EQ(api::Engine::Start(on, &clock).status().code(),
              absl::StatusCode::kFailedPrecondition);
  }
  on.autoscale.actuator.api_url = "ftp://x";
  EXPECT_EQ(api::Engine::Start(on, &clock).status().code(), absl::StatusCode::kInvalidArgument);
  api::EngineConfig bad_keda = Config(dir.path() + "/keda");
  bad_keda.autoscale.keda_listen = "nonsense";
  EXPECT_EQ(api::Engine::Start(bad_keda, &clock).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(KubernetesActuator, ApiErrorsAreRetriedNotRepeatedEveryTick) {
  testing::TempDir dir;
  FakeKubernetesApi api;
  api.set_status(403);
  FakeClock clock(kT0 * 1000);
  auto engine = Start(ActuatorConfig(dir, api, "t"), &clock);
  ASSERT_NE(engine, nullptr);
  HttpClient http(engine->port());
  PushOneMinute(http, clock, R"({"requests": 200})");
  EXPECT_THAT(WaitForMetric(http, "result=\"error\""), HasSubstr("result=\"error\"} 1"));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(api.requests().size(), 1u);  // the retry waits 30 s
  engine->Shutdown();
}

}  // namespace
}  // namespace storepilot
