// The engine over real sockets: keep-alive, limits, malformed HTTP, shutdown.
#include <thread>

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

constexpr char kToken[] = "shop-token-0123456789";

std::unique_ptr<api::Engine> StartEngine(const std::string& dir, size_t max_body,
                                         const Clock* clock, int idle_timeout_ms = 60'000,
                                         int max_connections = 10'000) {
  api::EngineConfig config;
  config.idle_timeout_ms = idle_timeout_ms;
  config.max_connections = max_connections;
  config.data_dir = dir;
  config.listen = "127.0.0.1:0";
  config.threads = 2;
  config.max_body_bytes = max_body;
  config.admin_token = "admin-token-0123456789";
  config.shops.push_back({"s1", kToken, "secret"});
  auto engine = api::Engine::Start(config, clock);
  EXPECT_TRUE(engine.ok()) << engine.status();
  EXPECT_TRUE((*engine)->WaitReady(10'000));
  return std::move(*engine);
}

std::string Events(int first, int n) {
  json arr = json::array();
  for (int i = first; i < first + n; ++i) {
    arr.push_back({{"event_id", "e" + std::to_string(i)},
                   {"type", "view"},
                   {"ts", 1'700'000'000'000},
                   {"session_id", "s" + std::to_string(i % 7)},
                   {"product_id", "p" + std::to_string(i % 11)}});
  }
  return arr.dump();
}

TEST(Server, KeepAliveRequestsAndDurabilityAcrossRestart) {
  testing::TempDir dir;
  SystemClock clock;
  {
    auto engine = StartEngine(dir.path(), 1 << 20, &clock);
    HttpClient client(engine->port());
    for (int batch = 0; batch < 5; ++batch) {
      auto r = client.Send("POST", "/v1/shops/s1/events", Events(batch * 100, 100), kToken);
      ASSERT_EQ(r.status, 200) << r.body;
      EXPECT_FALSE(r.request_id.empty());
    }
    auto stats = client.Send("GET", "/v1/shops/s1/stats", "", kToken);
    EXPECT_EQ(json::parse(stats.body)["events"], 500);
  }
  auto engine = StartEngine(dir.path(), 1 << 20, &clock);
  HttpClient client(engine->port());
  auto stats = client.Send("GET", "/v1/shops/s1/stats", "", kToken);
  json s = json::parse(stats.body);
  EXPECT_EQ(s["events"], 500);
  EXPECT_EQ(s["sessions"], 7);
  auto again = client.Send("POST", "/v1/shops/s1/events", Events(0, 100), kToken);
  EXPECT_EQ(json::parse(again.body)["duplicates"], 100);
}

TEST(Server, RejectsOversizedBodiesAndMalformedHttp) {
  testing::TempDir dir;
  SystemClock clock;
  auto engine = StartEngine(dir.path(), 4096, &clock);
  HttpClient client(engine->port());
  auto big = client.Send("POST", "/v1/shops/s1/events", Events(0, 200), kToken);
  EXPECT_EQ(big.status, 413);
  EXPECT_THAT(big.body, HasSubstr("payload_too_large"));
  std::string garbage = client.SendRaw("NOT HTTP AT ALL\r\n\r\n");
  EXPECT_THAT(garbage, HasSubstr("400 Bad Request"));
  // The server is still serving.
  HttpClient after(engine->port());
  EXPECT_EQ(after.Send("GET", "/healthz").status, 200);
  auto stats = after.Send("GET", "/v1/shops/s1/stats", "", kToken);
  EXPECT_EQ(json::parse(stats.body)["events"], 0);
}

TEST(Server, ShutdownFinishesAndRefusesNewConnections) {
  testing::TempDir dir;
  SystemClock clock;
  auto engine = StartEngine(dir.path(), 1 << 20, &clock);
  uint16_t port = engine->port();
  HttpClient client(port);
  ASSERT_EQ(client.Send("POST", "/v1/shops/s1/events", Events(0, 10), kToken).status, 200);
  engine->Shutdown();
  HttpClient late(port, 1000);
  EXPECT_EQ(late.Send("GET", "/healthz").status, 0);
}

// Reads from a raw socket until the server closes it or `timeout_ms` passes;
// returns true when the server closed it.
bool ServerCloses(boost::asio::ip::tcp::socket& socket, int timeout_ms) {
  socket.non_blocking(true);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  char buf[256];
  while (std::chrono::steady_clock::now() < deadline) {
    boost::system::error_code ec;
    socket.read_some(boost::asio::buffer(buf), ec);
    if (ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

TEST(Server, IdleAndSlowClientsAreDisconnected) {
  testing::TempDir dir;
  SystemClock clock;
  auto engine = StartEngine(dir.path(), 1 << 20, &clock, /*idle_timeout_ms=*/300);
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::endpoint ep(boost::asio::ip::make_address("127.0.0.1"),
                                    engine->port());
  boost::asio::ip::tcp::socket idle(ioc);
  idle.connect(ep);
  EXPECT_TRUE(ServerCloses(idle, 5000));
  // A client that starts a request and never finishes its headers.
  boost::asio::ip::tcp::socket slow(ioc);
  slow.connect(ep);
  boost::asio::write(slow, boost::asio::buffer(std::string("GET /healthz HTTP/1.1\r\nHo")));
  EXPECT_TRUE(ServerCloses(slow, 5000));
  HttpClient fine(engine->port());
  EXPECT_EQ(fine.Send("GET", "/healthz").status, 200);
}

TEST(Server, ConnectionsOverTheCapAreClosed) {
  testing::TempDir dir;
  SystemClock clock;
  auto engine = StartEngine(dir.path(), 1 << 20, &clock, 60'000, /*max_connections=*/2);
  HttpClient a(engine->port()), b(engine->port());
  ASSERT_EQ(a.Send("GET", "/healthz").status, 200);
  ASSERT_EQ(b.Send("GET", "/healthz").status, 200);
  HttpClient c(engine->port(), 2000);
  EXPECT_EQ(c.Send("GET", "/healthz").status, 0);
  auto metrics = a.Send("GET", "/metrics");
  EXPECT_THAT(metrics.body, HasSubstr("storepilot_http_connections_refused_total 1"));
}

}  // namespace
}  // namespace storepilot
