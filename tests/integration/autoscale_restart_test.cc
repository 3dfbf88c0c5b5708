// The live planner across a restart (its decisions replayed from the log in
// the data directory) and storepilot planning its own API traffic.
#include <memory>
#include <string>

#include "api/engine.h"
#include "gtest/gtest.h"
#include "http_client.h"
#include "nlohmann/json.hpp"
#include "temp_dir.h"

namespace storepilot {
namespace {

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
  autoscale::ServiceSpec web;
  web.name = "web";
  web.capacity_per_pod = 100;
  web.startup_minutes = 2;
  web.min_replicas = 1;
  web.max_replicas = 50;
  autoscale::ServiceSpec self = web;
  self.name = "storepilot";
  config.autoscale.services = {web, self};
  config.autoscale.self_service = "storepilot";
  config.autoscale.tick_ms = 3'600'000;  // decisions when a GET asks
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

// Minutes [from, to) of a steady 400/min with a surge of 2000/min at
// minutes 5-6, each pushed and then decided (a GET at the next minute).
void Drive(HttpClient& client, FakeClock& clock, int from, int to) {
  for (int m = from; m < to; ++m) {
    clock.SetMicros((kT0 + m * kMinute) * 1000);
    const int requests = m == 5 || m == 6 ? 2000 : 400;
    auto r = client.Send("POST", "/v1/autoscale/services/web/metrics",
                         json({{"requests", requests}}).dump(), kAdminToken, "application/json");
    ASSERT_EQ(r.status, 200) << r.body;
    clock.SetMicros((kT0 + (m + 1) * kMinute) * 1000);
    Get(client, "/v1/autoscale/services/web");
  }
}

TEST(AutoscaleRestart, PlanAndHistorySurviveARestart) {
  // The reference: nine minutes without a restart.
  testing::TempDir reference_dir;
  FakeClock reference_clock(kT0 * 1000);
  json reference;
  {
    auto engine = Start(Config(reference_dir.path()), &reference_clock);
    ASSERT_NE(engine, nullptr);
    HttpClient client(engine->port());
    Drive(client, reference_clock, 0, 9);
    reference = Get(client, "/v1/autoscale/services/web");
  }
  // The hpa fallback's 5-minute stabilisation window still holds the surge's
  // recommendation at minute 8: more pods than 400/min needs (6 at 70/pod).
  EXPECT_GT(reference["desired_replicas"].get<int>(), 6);

  testing::TempDir dir;
  FakeClock clock(kT0 * 1000);
  json before;
  {
    auto engine = Start(Config(dir.path()), &clock);
    ASSERT_NE(engine, nullptr);
    HttpClient client(engine->port());
    Drive(client, clock, 0, 8);
    before = Get(client, "/v1/autoscale/services/web?history=5");
    EXPECT_EQ(before["history"].size(), 5u);
    EXPECT_EQ(before["history"][4]["desired_replicas"], before["desired_replicas"]);
    Get(client, "/v1/autoscale/services/web?history=x", 400);
    Get(client, "/v1/autoscale/services/web?history=100000", 400);
  }
  auto engine = Start(Config(dir.path()), &clock);
  ASSERT_NE(engine, nullptr);
  HttpClient client(engine->port());
  json after = Get(client, "/v1/autoscale/services/web?history=5");
  EXPECT_EQ(after["desired_replicas"], before["desired_replicas"]);
  EXPECT_EQ(after["history_minutes"], 8);
  EXPECT_EQ(after["reason"], before["reason"]);
  EXPECT_EQ(after["last_decision_ms"], before["last_decision_ms"]);
  EXPECT_EQ(after["history"], before["history"]);
  EXPECT_EQ(Get(client, "/v1/autoscale/services/web?history=1440")["history"].size(), 8u);

  // Minute 8 after the restart is decided as without it.
  Drive(client, clock, 8, 9);
  json next = Get(client, "/v1/autoscale/services/web");
  EXPECT_EQ(next["history_minutes"], 9);
  EXPECT_EQ(next["desired_replicas"], reference["desired_replicas"]);
  EXPECT_EQ(next["reason"], reference["reason"]);
}

TEST(AutoscaleCalendar, PlatformCalendarPrewarmsTheLivePlan) {
  testing::TempDir dir;
  FakeClock clock(kT0 * 1000);
  auto engine = Start(Config(dir.path()), &clock);
  ASSERT_NE(engine, nullptr);
  HttpClient client(engine->port());
  const int kEvent = 80;  // minute the event starts; start-up is 2 minutes
  const json calendar = {{"events",
                          {{{"name", "doors"},
                            {"start", kT0 + kEvent * kMinute},
                            {"end", kT0 + (kEvent + 60) * kMinute},
                            {"expected_uplift", 2.0}}}}};
  auto put = client.Send("PUT", "/v1/platform/calendar", calendar.dump(), kAdminToken,
                         "application/json");
  ASSERT_EQ(put.status, 200) << put.body;
  json plan;
  for (int m = 0; m < kEvent; ++m) {
    clock.SetMicros((kT0 + m * kMinute) * 1000);
    ASSERT_EQ(client.Send("POST", "/v1/autoscale/services/web/metrics",
                          json({{"requests", 1000 + 10 * (m % 3)}}).dump(), kAdminToken,
                          "application/json")
                  .status,
              200);
    clock.SetMicros((kT0 + (m + 1) * kMinute) * 1000);
    plan = Get(client, "/v1/autoscale/services/web");
    if (m == kEvent - 5) {  // before the pre-warm: ~11 pods for ~1,010 requests/min
      EXPECT_EQ(plan["policy"], "predictive");
      EXPECT_LE(plan["desired_replicas"].get<int>(), 15);
    }
  }
  // Decided after minute 79: pods ready at 82 must carry the event's 3x.
  EXPECT_EQ(plan["reason"]["code"], "event") << plan.dump();
  EXPECT_GE(plan["desired_replicas"].get<int>(), 30);
}

TEST(AutoscaleSelf, TheEngineCountsItsOwnRequests) {
  testing::TempDir dir;
  FakeClock clock((kT0 + 1'000) * 1000);
  auto engine = Start(Config(dir.path()), &clock);
  ASSERT_NE(engine, nullptr);
  HttpClient client(engine->port());
  for (int i = 0; i < 30; ++i) EXPECT_EQ(client.Send("GET", "/healthz").status, 200);
  // That GET is the 31st request of the minute; the plan is made at 1:00.
  clock.SetMicros((kT0 + kMinute) * 1000);
  json plan = Get(client, "/v1/autoscale/services/storepilot");
  EXPECT_EQ(plan["last_minute_requests"], 30);
  EXPECT_EQ(plan["history_minutes"], 1);
  EXPECT_EQ(plan["desired_replicas"], 1);
  clock.SetMicros((kT0 + 2 * kMinute) * 1000);
  // Minute 1 held one request: the GET above.
  EXPECT_EQ(Get(client, "/v1/autoscale/services/storepilot")["last_minute_requests"], 1);
  // Pushed services are not fed by the engine's own traffic.
  EXPECT_EQ(Get(client, "/v1/autoscale/services/web")["reason"]["code"], "no-data");
}

}  // namespace
}  // namespace storepilot
