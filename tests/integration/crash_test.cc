// Kills the server with SIGKILL at random moments while clients send events,
// at least 20 times. After the last restart every acknowledged event must be
// there, and re-sending everything ever sent must leave exactly one copy of
// each (stats.events == number of distinct ids).
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <mutex>
#include <random>
#include <thread>

#include "common/crypto.h"
#include "gtest/gtest.h"
#include "http_client.h"
#include "nlohmann/json.hpp"
#include "temp_dir.h"

extern char** environ;

namespace storepilot {
namespace {

using json = nlohmann::json;
constexpr char kToken[] = "crash-test-token-0123456789";
constexpr int kRestarts = 22;
constexpr int kBatch = 20;

class ServerProcess {
 public:
  ServerProcess(const std::string& dir) : dir_(dir) {}
  ~ServerProcess() { Kill(); }

  uint16_t Start() {
    std::string port_file = dir_ + "/port";
    std::remove(port_file.c_str());
    std::vector<std::string> args = {STOREPILOT_BIN, "serve",        "--config",
                                     dir_ + "/config.yaml", "--port-file", port_file,
                                     "--log-level",  "warn"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    EXPECT_EQ(posix_spawn(&pid_, STOREPILOT_BIN, nullptr, nullptr, argv.data(), environ), 0);
    for (int i = 0; i < 3000; ++i) {
      std::ifstream in(port_file);
      int port = 0;
      if (in >> port && port > 0) {
        testing::HttpClient probe(static_cast<uint16_t>(port), 2000);
        for (int j = 0; j < 3000; ++j) {
          if (probe.Send("GET", "/readyz").status == 200) return static_cast<uint16_t>(port);
          std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "server did not start";
    return 0;
  }

  void Kill() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }

 private:
  std::string dir_;
  pid_t pid_ = -1;
};

std::string Batch(const std::vector<int>& ids) {
  json arr = json::array();
  for (int id : ids) {
    arr.push_back({{"event_id", "crash-" + std::to_string(id)},
                   {"type", "add_to_cart"},
                   {"ts", 1'700'000'000'000 + id},
                   {"session_id", "s" + std::to_string(id % 97)},
                   {"product_id", "p" + std::to_string(id % 13)}});
  }
  return arr.dump();
}

TEST(CrashSafety, AcknowledgedEventsSurviveSigkill) {
  testing::TempDir dir;
  std::ofstream(dir.path() + "/config.yaml")
      << "listen: 127.0.0.1:0\n"
      << "data_dir: " << dir.path() << "/data\n"
      << "threads: 2\n"
      << "shops:\n  - shop: crash\n    api_token: " << kToken << "\n";
  ServerProcess server(dir.path());
  std::mt19937 rng(7);
  std::atomic<int> next_id{0};
  std::mutex mu;
  std::vector<int> acknowledged;
  int sent_batches = 0;

  for (int round = 0; round < kRestarts; ++round) {
    uint16_t port = server.Start();
    ASSERT_NE(port, 0);
    std::atomic<bool> stop{false};
    std::vector<std::thread> senders;
    for (int t = 0; t < 3; ++t) {
      senders.emplace_back([&, port] {
        testing::HttpClient client(port, 5000);
        while (!stop.load()) {
          std::vector<int> ids;
          for (int i = 0; i < kBatch; ++i) ids.push_back(next_id.fetch_add(1));
          auto r = client.Send("POST", "/v1/shops/crash/events", Batch(ids), kToken);
          std::lock_guard<std::mutex> lock(mu);
          ++sent_batches;
          if (r.status == 200) {
            acknowledged.insert(acknowledged.end(), ids.begin(), ids.end());
          } else if (r.status == 0) {
            return;  // the server is gone
          } else {
            ADD_FAILURE() << "unexpected status " << r.status << ": " << r.body;
            return;
          }
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50 + rng() % 400));
    server.Kill();
    stop.store(true);
    for (auto& t : senders) t.join();
  }

  uint16_t port = server.Start();
  ASSERT_NE(port, 0);
  testing::HttpClient client(port, 30'000);
  const int total_ids = next_id.load();
  ASSERT_GT(acknowledged.size(), 1000u) << "too little traffic to mean anything";
  // Every acknowledged event is present: re-sending them finds only duplicates.
  for (size_t i = 0; i < acknowledged.size(); i += 500) {
    std::vector<int> ids(acknowledged.begin() + i,
                         acknowledged.begin() + std::min(acknowledged.size(), i + 500));
    auto r = client.Send("POST", "/v1/shops/crash/events", Batch(ids), kToken);
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(json::parse(r.body)["accepted"], 0) << "an acknowledged event was lost";
  }
  // Re-sending everything ever sent leaves exactly one copy of each id.
  for (int i = 0; i < total_ids; i += 500) {
    std::vector<int> ids;
    for (int id = i; id < std::min(total_ids, i + 500); ++id) ids.push_back(id);
    ASSERT_EQ(client.Send("POST", "/v1/shops/crash/events", Batch(ids), kToken).status, 200);
  }
  auto stats = client.Send("GET", "/v1/shops/crash/stats", "", kToken);
  EXPECT_EQ(json::parse(stats.body)["events"], total_ids);
  std::cout << "restarts=" << kRestarts << " batches_sent=" << sent_batches
            << " acknowledged_events=" << acknowledged.size() << " distinct_ids=" << total_ids
            << "\n";
}

// Signed orders/create deliveries, SIGKILL at random moments: every
// acknowledged delivery is in the log, and after re-sending everything ever
// sent each order was translated exactly once.
constexpr char kWebhookSecret[] = "whsec_crash_0123456789";
constexpr int kWebhookRestarts = 8;

std::string OrderBody(int id) {
  return json{{"id", 900000 + id},
              {"created_at", "2026-11-27T10:00:00Z"},
              {"total_price", "30.00"},
              {"email", "buyer" + std::to_string(id) + "@example.org"},
              {"customer", {{"id", 100 + id % 50}}},
              {"line_items",
               {{{"product_id", 1 + id % 9}, {"quantity", 1}, {"price", "10.00"}},
                {{"product_id", 2 + id % 7}, {"quantity", 2}, {"price", "10.00"}}}}}
      .dump();
}

int SendDelivery(testing::HttpClient& client, int id) {
  const std::string body = OrderBody(id);
  auto r = client.Send("POST", "/webhooks/shopify", body, "", "application/json",
                       {{"X-Shopify-Topic", "orders/create"},
                        {"X-Shopify-Hmac-Sha256", HmacSha256Base64(kWebhookSecret, body)},
                        {"X-Shopify-Shop-Domain", "crash.myshopify.com"},
                        {"X-Shopify-Webhook-Id", "wh-" + std::to_string(id)},
                        {"X-Shopify-Event-Id", "ev-" + std::to_string(id)}});
  return r.status;
}

double MetricValue(const std::string& text, const std::string& series) {
  size_t at = text.find(series + " ");
  return at == std::string::npos ? -1 : std::stod(text.substr(at + series.size() + 1));
}

TEST(CrashSafety, AcknowledgedWebhooksSurviveSigkillExactlyOnce) {
  testing::TempDir dir;
  std::ofstream(dir.path() + "/config.yaml")
      << "listen: 127.0.0.1:0\n"
      << "data_dir: " << dir.path() << "/data\n"
      << "threads: 2\n"
      << "shops:\n  - shop: crash\n    api_token: " << kToken
      << "\n    webhook_secret: " << kWebhookSecret << "\n";
  ServerProcess server(dir.path());
  std::mt19937 rng(11);
  std::atomic<int> next_id{0};
  std::mutex mu;
  std::vector<int> acknowledged;
  for (int round = 0; round < kWebhookRestarts; ++round) {
    uint16_t port = server.Start();
    ASSERT_NE(port, 0);
    std::atomic<bool> stop{false};
    std::vector<std::thread> senders;
    for (int t = 0; t < 3; ++t) {
      senders.emplace_back([&, port] {
        testing::HttpClient client(port, 5000);
        while (!stop.load()) {
          const int id = next_id.fetch_add(1);
          const int status = SendDelivery(client, id);
          if (status == 0) return;  // the server is gone
          std::lock_guard<std::mutex> lock(mu);
          if (status != 200) {
            ADD_FAILURE() << "unexpected status " << status;
            return;
          }
          acknowledged.push_back(id);
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100 + rng() % 400));
    server.Kill();
    stop.store(true);
    for (auto& t : senders) t.join();
  }
  uint16_t port = server.Start();
  ASSERT_NE(port, 0);
  testing::HttpClient client(port, 30'000);
  ASSERT_GT(acknowledged.size(), 200u) << "too little traffic to mean anything";
  for (int id : acknowledged) {
    auto r = client.Send("GET", "/v1/shops/crash/orders/" + std::to_string(900000 + id), "",
                         kToken);
    if (r.status == 404) {  // the replay may still be translating
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      r = client.Send("GET", "/v1/shops/crash/orders/" + std::to_string(900000 + id), "", kToken);
    }
    ASSERT_EQ(r.status, 200) << "acknowledged delivery " << id << " was lost";
  }
  const int total = next_id.load();
  for (int id = 0; id < total; ++id) ASSERT_EQ(SendDelivery(client, id), 200);
  // Each delivery ever sent was stored and translated exactly once.
  const std::string series =
      "storepilot_shopify_translated_total{topic=\"orders\",result=\"applied\"}";
  double applied = 0;
  for (int i = 0; i < 300 && applied < total; ++i) {
    applied = MetricValue(client.Send("GET", "/metrics").body, series);
    if (applied < total) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(applied, total);
  std::string metrics = client.Send("GET", "/metrics").body;
  EXPECT_EQ(MetricValue(metrics, "storepilot_shopify_webhooks_total{result=\"duplicate\"}") +
                std::max(0.0, MetricValue(metrics,
                                          "storepilot_shopify_webhooks_total{result=\"accepted\"}")),
            total);
  std::cout << "restarts=" << kWebhookRestarts << " acknowledged_webhooks=" << acknowledged.size()
            << " distinct_deliveries=" << total << "\n";
}

}  // namespace
}  // namespace storepilot
