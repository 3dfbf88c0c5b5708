#include "autoscale/fleet.h"

#include <vector>

#include "gtest/gtest.h"

namespace storepilot::autoscale {
namespace {

// Outputs a fixed sequence of desired values and records what it saw.
class ScriptedPolicy : public ScalingPolicy {
 public:
  explicit ScriptedPolicy(std::vector<int> script) : script_(std::move(script)) {}
  int Decide(const FleetState& s) override {
    seen.push_back(s);
    return script_[static_cast<size_t>(s.t)];
  }
  std::vector<FleetState> seen;

 private:
  std::vector<int> script_;
};

TEST(Fleet, InitialFleetCoversMinuteZero) {
  FleetConfig c{10, 2, 2, 100};
  std::vector<double> demand = {35, 0};
  ScriptedPolicy p({4, 4});
  auto run = SimulateFleet(demand, c, p, 0);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->ready[0], 4);  // max(2, ceil(35 / 10))
  ScriptedPolicy q({2, 2});
  auto low = SimulateFleet(std::vector<double>{5, 5}, c, q, 0);
  EXPECT_EQ(low->ready[0], 2);  // min replicas
}

TEST(Fleet, NewPodsAreReadyAtTPlusOnePlusS) {
  FleetConfig c{10, 2, 1, 100};
  std::vector<double> demand(8, 10);
  // At t=0 ask for 5 (from 1): pods ready at minute 0 + 1 + 2 = 3.
  ScriptedPolicy p({5, 5, 5, 5, 5, 5, 5, 5});
  auto run = SimulateFleet(demand, c, p, 0);
  ASSERT_TRUE(run.ok());
  std::vector<int> want_ready = {1, 1, 1, 5, 5, 5, 5, 5};
  std::vector<int> want_pending = {0, 4, 4, 0, 0, 0, 0, 0};
  EXPECT_EQ(run->ready, want_ready);
  EXPECT_EQ(run->pending, want_pending);
  // Cost is ready + pending: 1 + 5 + 5 + 5 * 5.
  EXPECT_EQ(run->summary.pod_minutes, 36);
  EXPECT_EQ(p.seen[1].ready, 1);
  EXPECT_EQ(p.seen[1].pending, 4);
}

TEST(Fleet, RemovalsTakePendingPodsFirstAtTPlusOne) {
  FleetConfig c{10, 3, 1, 100};
  std::vector<double> demand(6, 0);
  demand[0] = 30;  // start with 3 ready
  // t=0: +4 pending (ready at 4); t=1: down to 5 removes 2 pending;
  // t=2: down to 2 removes the last 2 pending and 1 ready, from minute 3.
  ScriptedPolicy p({7, 5, 2, 2, 2, 2});
  auto run = SimulateFleet(demand, c, p, 0);
  ASSERT_TRUE(run.ok());
  std::vector<int> want_ready = {3, 3, 3, 2, 2, 2};
  std::vector<int> want_pending = {0, 4, 2, 0, 0, 0};
  EXPECT_EQ(run->ready, want_ready);
  EXPECT_EQ(run->pending, want_pending);
}

TEST(Fleet, ZeroStartupMeansReadyNextMinute) {
  FleetConfig c{10, 0, 1, 100};
  ScriptedPolicy p({3, 3, 3});
  auto run = SimulateFleet(std::vector<double>{10, 30, 30}, c, p, 0);
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->ready, (std::vector<int>{1, 3, 3}));
  EXPECT_EQ(run->summary.violation_minutes, 0);
}

TEST(Fleet, ViolationsAndUnservedAfterWarmup) {
  FleetConfig c{10, 1, 1, 100};
  std::vector<double> demand = {10, 50, 10, 25, 40};
  ScriptedPolicy p({2, 2, 2, 2, 2});
  auto run = SimulateFleet(demand, c, p, /*warmup_minutes=*/1);
  ASSERT_TRUE(run.ok());
  // Ready: 1, 1, 2, 2, 2. Scored minutes 1..4: 50 > 10 (40 unserved),
  // 10 <= 20, 25 > 20 (5), 40 > 20 (20).
  EXPECT_EQ(run->summary.minutes, 4);
  EXPECT_EQ(run->summary.violation_minutes, 3);
  EXPECT_DOUBLE_EQ(run->summary.unserved, 65);
  EXPECT_DOUBLE_EQ(run->summary.demand, 125);
  EXPECT_DOUBLE_EQ(run->summary.unserved_percent, 52);
  EXPECT_EQ(run->summary.pod_minutes, 2 + 2 + 2 + 2);
}

TEST(Fleet, DesiredIsClampedToMinAndMax) {
  FleetConfig c{10, 0, 2, 4};
  ScriptedPolicy p({0, 99, 99});
  auto run = SimulateFleet(std::vector<double>{0, 0, 0}, c, p, 0);
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->desired, (std::vector<int>{2, 4, 4}));
}

TEST(Fleet, PerfectForesightTakesTheWindowMaximum) {
  FleetConfig c{10, 2, 1, 100};
  std::vector<double> demand = {10, 10, 10, 55, 10, 10, 10, 10, 21, 0};
  std::vector<int> plan = PerfectForesightPlan(demand, c);
  // desired(t) = max need over [t+1, t+3].
  std::vector<int> want = {6, 6, 6, 1, 1, 3, 3, 3, 1, 1};
  EXPECT_EQ(plan, want);
  PlannedPolicy p(plan);
  auto run = SimulateFleet(demand, c, p, 0);
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->summary.violation_minutes, 0);
}

TEST(Fleet, PerfectForesightHasNoViolationsOnNoise) {
  FleetConfig c{7, 5, 1, 1000};
  std::vector<double> demand;
  uint32_t x = 12345;
  for (int i = 0; i < 3000; ++i) {
    x = x * 1103515245u + 12345u;
    demand.push_back((x >> 16) % 500);
  }
  PlannedPolicy p(PerfectForesightPlan(demand, c));
  // The first S minutes have only the initial fleet: nothing started at
  // minute 0 is ready before minute S + 1.
  auto run = SimulateFleet(demand, c, p, c.startup_minutes + 1);
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->summary.violation_minutes, 0);
}

TEST(Fleet, RejectsBadInput) {
  ScriptedPolicy p({1});
  std::vector<double> one = {1};
  EXPECT_FALSE(SimulateFleet(one, FleetConfig{0, 1, 1, 2}, p, 0).ok());
  EXPECT_FALSE(SimulateFleet(one, FleetConfig{1, -1, 1, 2}, p, 0).ok());
  EXPECT_FALSE(SimulateFleet(one, FleetConfig{1, 1, 3, 2}, p, 0).ok());
  EXPECT_FALSE(SimulateFleet(one, FleetConfig{1, 1, 1, 2}, p, -1).ok());
  EXPECT_FALSE(
      SimulateFleet(std::vector<double>{}, FleetConfig{1, 1, 1, 2}, p, 0).ok());
}

TEST(Fleet, AdmissionReplayServesClassesInPriorityOrder) {
  FleetConfig c{10, 1, 1, 100};
  std::vector<double> demand = {10, 40, 40, 10};
  ScriptedPolicy p({1, 1, 1, 1});  // one pod: 10 requests a minute
  auto run = SimulateFleet(demand, c, p, 0);
  ASSERT_TRUE(run.ok());
  std::vector<double> shares = {5, 15, 50, 30};
  auto r = ReplayAdmission(demand, *run, c, shares, 0);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->violation_minutes, 2);
  ASSERT_EQ(r->classes.size(), 4u);
  // Per violation minute 40 requests: 2 critical, 6 high, 20 normal, 12 low;
  // 10 served: critical and high whole, 2 normal, no low. Without admission
  // every class gets 10/40.
  const double want[] = {4, 12, 40, 24}, admitted[] = {4, 12, 4, 0},
               fair[] = {1, 3, 10, 6};
  const int64_t whole[] = {2, 2, 0, 0};
  for (int k = 0; k < 4; ++k) {
    SCOPED_TRACE(k);
    EXPECT_DOUBLE_EQ(r->classes[k].demand, want[k]);
    EXPECT_DOUBLE_EQ(r->classes[k].served_admission, admitted[k]);
    EXPECT_DOUBLE_EQ(r->classes[k].served_fair, fair[k]);
    EXPECT_EQ(r->classes[k].minutes_whole, whole[k]);
  }
  // The warm-up is not scored.
  auto later = ReplayAdmission(demand, *run, c, shares, 2);
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->violation_minutes, 1);
  EXPECT_DOUBLE_EQ(later->classes[0].demand, 2);
  EXPECT_DOUBLE_EQ(later->classes[2].served_admission, 2);
}

TEST(Fleet, AdmissionReplayRejectsBadShares) {
  FleetConfig c{10, 1, 1, 100};
  std::vector<double> demand = {10, 40};
  ScriptedPolicy p({1, 1});
  auto run = SimulateFleet(demand, c, p, 0);
  ASSERT_TRUE(run.ok());
  EXPECT_FALSE(ReplayAdmission(demand, *run, c, std::vector<double>{1, -1}, 0).ok());
  EXPECT_FALSE(ReplayAdmission(demand, *run, c, std::vector<double>{0, 0}, 0).ok());
  EXPECT_FALSE(
      ReplayAdmission(std::vector<double>{10}, *run, c, std::vector<double>{1}, 0).ok());
}

}  // namespace
}  // namespace storepilot::autoscale
