// The planner's durable decisions, its calendar and its own-traffic service.
#include <cmath>
#include <string>
#include <vector>

#include "autoscale/planner.h"
#include "gtest/gtest.h"

namespace storepilot::autoscale {
namespace {

constexpr int64_t kMinute = 60'000;
constexpr int64_t kT0 = 1'700'000'040'000;  // a minute boundary

ServiceSpec Web() {
  ServiceSpec s;
  s.name = "web";
  s.capacity_per_pod = 100;
  s.startup_minutes = 3;
  s.min_replicas = 1;
  s.max_replicas = 200;
  return s;
}

// Requests of minute m: a daily-ish wave with a surge at [150, 170).
double Load(int m) {
  double base = 800 + 400 * std::sin(m / 40.0) + 37 * ((m * 7919) % 11) / 10.0;
  return m >= 150 && m < 170 ? 3 * base : base;
}

// The log as a test sees it: what the planner appended, replayable.
struct FakeLog {
  std::vector<std::string> payloads;
  void Attach(Planner& p) {
    p.SetDecisionLog([this](std::vector<store::AppendItem> items) {
      for (store::AppendItem& i : items) {
        EXPECT_EQ(i.type, store::RecordType::kAutoscaleDecision);
        payloads.push_back(std::move(i.payload));
      }
    });
  }
  void Replay(Planner& p) const {
    uint64_t seq = 0;
    for (const std::string& payload : payloads) {
      store::LogRecord r;
      r.seq = ++seq;
      r.type = store::RecordType::kAutoscaleDecision;
      r.shop = kAutoscaleShop;
      r.payload = payload;
      p.Apply(r);
    }
  }
};

// Feeds minutes [from, to) of Load (with the pushed ready replicas following
// the plan one minute late) and returns the desired replicas of each.
std::vector<int> Feed(Planner& p, FakeClock& clock, int from, int to) {
  std::vector<int> desired;
  for (int m = from; m < to; ++m) {
    clock.SetMicros((kT0 + m * kMinute + 30'000) * 1000);
    EXPECT_TRUE(p.AddRequests("web", kT0 + m * kMinute, Load(m)).ok());
    auto before = p.Plan("web");
    if (before->desired_replicas > 0) {
      EXPECT_TRUE(p.ObserveReplicas("web", kT0 + m * kMinute, before->desired_replicas).ok());
    }
    clock.SetMicros((kT0 + (m + 1) * kMinute) * 1000);
    p.Tick();
    desired.push_back(p.Plan("web")->desired_replicas);
  }
  return desired;
}

TEST(PlannerDurable, RestartReplaysDecisionsIntoTheSameState) {
  const int kRestart = 172, kEnd = 240;  // restart right after the surge
  FakeClock clock_a(0), clock_b(0);
  auto a = Planner::Create({Web()}, {}, &clock_a, nullptr);
  auto b = Planner::Create({Web()}, {}, &clock_b, nullptr);
  ASSERT_TRUE(a.ok() && b.ok());
  const std::vector<int> reference = Feed(**a, clock_a, 0, kEnd);
  FakeLog log;
  log.Attach(**b);
  Feed(**b, clock_b, 0, kRestart);
  ASSERT_EQ(log.payloads.size(), static_cast<size_t>(kRestart));
  auto before = (*b)->Plan("web");

  // The restart: a new planner fed the log before anything else.
  auto c = Planner::Create({Web()}, {}, &clock_b, nullptr);
  ASSERT_TRUE(c.ok());
  log.Attach(**c);
  log.Replay(**c);
  auto after = (*c)->Plan("web");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->desired_replicas, before->desired_replicas);
  EXPECT_EQ(after->current_replicas, before->current_replicas);
  EXPECT_EQ(after->policy, "predictive");
  EXPECT_EQ(after->reason, before->reason);
  EXPECT_DOUBLE_EQ(after->forecast_upper, before->forecast_upper);
  EXPECT_EQ(after->history_minutes, kRestart);
  EXPECT_EQ(after->last_decision_ms, before->last_decision_ms);
  ASSERT_EQ(after->history.size(), static_cast<size_t>(kRestart));
  EXPECT_EQ(after->history.back().minute_ms, kT0 + (kRestart - 1) * kMinute);
  EXPECT_EQ(after->history.back().desired, before->desired_replicas);
  EXPECT_EQ(after->history.front().policy, "hpa");

  // Its own records applied back change nothing; the scale-down after the
  // surge then goes on exactly as without the restart.
  log.Replay(**c);
  EXPECT_EQ((*c)->Plan("web")->history.size(), static_cast<size_t>(kRestart));
  const std::vector<int> continued = Feed(**c, clock_b, kRestart, kEnd);
  const std::vector<int> expected(reference.begin() + kRestart, reference.end());
  EXPECT_EQ(continued, expected);
  EXPECT_EQ(log.payloads.size(), static_cast<size_t>(kEnd));

  // Without the log the planner starts over on the hpa fallback and drops
  // the surge's pods at once: the replay is what kept them.
  FakeClock clock_d((kT0 + kRestart * kMinute) * 1000);
  auto d = Planner::Create({Web()}, {}, &clock_d, nullptr);
  ASSERT_TRUE(d.ok());
  const std::vector<int> fresh = Feed(**d, clock_d, kRestart, kEnd);
  EXPECT_NE(fresh, expected);
}

TEST(PlannerDurable, IgnoresForeignAndMalformedRecords) {
  FakeClock clock((kT0 + kMinute) * 1000);
  auto p = Planner::Create({Web()}, {}, &clock, nullptr);
  ASSERT_TRUE(p.ok());
  for (const char* payload : {"not json", "{\"service\": \"cart\", \"minute_ms\": 1}",
                              "{\"minute_ms\": 1}", "[]"}) {
    store::LogRecord r;
    r.type = store::RecordType::kAutoscaleDecision;
    r.payload = payload;
    (*p)->Apply(r);
  }
  store::LogRecord other;
  other.type = store::RecordType::kEvent;
  other.payload = "{}";
  (*p)->Apply(other);
  EXPECT_EQ((*p)->Plan("web")->reason_code, "no-data");
  EXPECT_TRUE((*p)->Plan("web")->history.empty());
}

TEST(PlannerDurable, WaitsForTheLogReplayBeforeDeciding) {
  FakeClock clock((kT0 + kMinute / 2) * 1000);
  auto p = Planner::Create({Web()}, {}, &clock, nullptr);
  ASSERT_TRUE(p.ok());
  bool ready = false;
  (*p)->SetReadyCheck([&ready] { return ready; });
  ASSERT_TRUE((*p)->AddRequests("web", kT0, 500).ok());
  clock.AdvanceMicros(5 * kMinute * 1000);
  EXPECT_EQ((*p)->Plan("web")->desired_replicas, 0);
  ready = true;
  EXPECT_EQ((*p)->Plan("web")->history_minutes, 5);  // minutes 0-4; 5 is not over
}

// Steady traffic, then an event 4x it: with the calendar the planner has
// pre-warmed before the event starts; without it, it has not.
int DesiredBeforeEvent(bool with_calendar, std::string* reason) {
  FakeClock clock(0);
  auto p = Planner::Create({Web()}, {}, &clock, nullptr);
  EXPECT_TRUE(p.ok());
  const int kEvent = 200;
  if (with_calendar) {
    (*p)->SetCalendarSource([] {
      CalendarEvent e;
      e.name = "doors";
      e.start_seconds = (kT0 + kEvent * kMinute) / 1000;
      e.end_seconds = e.start_seconds + 3600;
      e.uplift = 4;
      return std::vector<CalendarEvent>{e};
    });
  }
  int desired = 0;
  for (int m = 0; m < kEvent; ++m) {
    clock.SetMicros((kT0 + m * kMinute) * 1000);
    EXPECT_TRUE((*p)->AddRequests("web", kT0 + m * kMinute, 1000 + (m % 3) * 10).ok());
    clock.SetMicros((kT0 + (m + 1) * kMinute) * 1000);
    auto plan = (*p)->Plan("web");
    desired = plan->desired_replicas;
    *reason = plan->reason_code;
  }
  return desired;  // decided after minute kEvent - 1: the pods ready at kEvent + 3
}

TEST(PlannerCalendar, PrewarmsBeforeAKnownEvent) {
  std::string with_reason, without_reason;
  const int with = DesiredBeforeEvent(true, &with_reason);
  const int without = DesiredBeforeEvent(false, &without_reason);
  EXPECT_LE(without, 15);
  EXPECT_GE(with, 40);  // 4x the ~10-11 pods of 1,000-1,020 requests/min
  EXPECT_EQ(with_reason, "event");
  EXPECT_EQ(without_reason, "forecast");
}

TEST(PlannerSelf, CountsOwnRequestsForTheSelfService) {
  ServiceSpec self = Web();
  self.name = "storepilot";
  PlannerOptions options;
  options.self_service = "storepilot";
  FakeClock clock((kT0 + 10'000) * 1000);
  EXPECT_EQ(Planner::Create({Web()}, options, &clock, nullptr).status().code(),
            absl::StatusCode::kInvalidArgument);
  auto p = Planner::Create({Web(), self}, options, &clock, nullptr);
  ASSERT_TRUE(p.ok());
  for (int i = 0; i < 250; ++i) (*p)->CountOwnRequest(kT0 + 10'000 + i);
  clock.SetMicros((kT0 + kMinute + 5'000) * 1000);
  for (int i = 0; i < 40; ++i) (*p)->CountOwnRequest(kT0 + kMinute + i);
  auto plan = (*p)->Plan("storepilot");
  ASSERT_TRUE(plan.ok());
  EXPECT_DOUBLE_EQ(plan->last_minute_requests, 250);
  EXPECT_EQ(plan->desired_replicas, 4);  // hpa: 250 / (0.7 x 100) -> 4 pods
  EXPECT_EQ((*p)->Plan("web")->reason_code, "no-data");  // other services untouched
  clock.SetMicros((kT0 + 2 * kMinute) * 1000);
  EXPECT_DOUBLE_EQ((*p)->Plan("storepilot")->last_minute_requests, 40);

  // Without a self service nothing is counted.
  auto q = Planner::Create({self}, {}, &clock, nullptr);
  ASSERT_TRUE(q.ok());
  (*q)->CountOwnRequest(kT0 + 2 * kMinute);
  clock.SetMicros((kT0 + 4 * kMinute) * 1000);
  EXPECT_EQ((*q)->Plan("storepilot")->reason_code, "no-data");
}

}  // namespace
}  // namespace storepilot::autoscale
