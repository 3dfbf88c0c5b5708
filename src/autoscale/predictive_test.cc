#include "autoscale/predictive.h"

#include <cmath>
#include <vector>

#include "autoscale/fleet.h"
#include "autoscale/hpa_policy.h"
#include "gtest/gtest.h"

namespace storepilot::autoscale {
namespace {

constexpr int kDay = 1440;

// A daily cycle (100..500 requests/minute) with seeded noise and, when
// `surge_minute` >= 0, a 4x surge for an hour at that minute of every day.
std::vector<double> Traffic(int days, int surge_minute) {
  std::vector<double> d;
  uint32_t x = 7;
  for (int t = 0; t < days * kDay; ++t) {
    x = x * 1664525u + 1013904223u;
    double noise = ((x >> 8) % 1000) / 1000.0 - 0.5;  // [-0.5, 0.5)
    double base = 300 - 200 * std::cos(2 * M_PI * (t % kDay) / kDay);
    int m = t % kDay;
    if (surge_minute >= 0 && m >= surge_minute && m < surge_minute + 60) {
      base *= 4;
    }
    d.push_back(std::round(base * (1 + 0.1 * noise)));
  }
  return d;
}

FleetConfig Fleet() { return FleetConfig{20, 10, 1, 1000}; }

std::vector<int> Plan(const std::vector<double>& demand,
                      const PredictiveOptions& options) {
  PredictivePolicy policy(Fleet(), options);
  auto run = SimulateFleet(demand, Fleet(), policy, 0);
  EXPECT_TRUE(run.ok()) << run.status();
  return run.ok() ? run->desired : std::vector<int>{};
}

TEST(Predictive, PrefixGivesTheSamePlanWhateverTheFuture) {
  std::vector<double> full = Traffic(4, 700);
  const size_t cut = 3 * kDay + 333;
  std::vector<double> prefix(full.begin(), full.begin() + cut);
  std::vector<double> other = prefix;  // a wildly different future
  for (int i = 0; i < 500; ++i) other.push_back(50000);
  for (double share : {0.0, 0.35}) {  // without and with a violation budget
    SCOPED_TRACE(share);
    PredictiveOptions o;
    o.violation_share = share;
    std::vector<int> a = Plan(full, o);
    std::vector<int> b = Plan(prefix, o);
    std::vector<int> c = Plan(other, o);
    ASSERT_EQ(b.size(), cut);
    for (size_t t = 0; t < cut; ++t) {
      ASSERT_EQ(a[t], b[t]) << "t=" << t;
      ASSERT_EQ(a[t], c[t]) << "t=" << t;
    }
  }
}

// The violation budget's shadow HPA runs with the simulator's fleet rules:
// its violation minutes are those of the HPA simulated on the same demand,
// and the policy's own count is the simulator's.
TEST(Predictive, ViolationBudgetShadowsTheHpaOfTheSimulator) {
  std::vector<double> d = Traffic(3, 700);
  PredictiveOptions o;
  o.violation_share = 0.35;
  PredictivePolicy policy(Fleet(), o);
  auto run = SimulateFleet(d, Fleet(), policy, 0);
  HpaFleetPolicy hpa(Fleet(), o.shadow_target_utilization);
  auto reference = SimulateFleet(d, Fleet(), hpa, 0);
  ASSERT_TRUE(run.ok() && reference.ok());
  const auto& e = policy.explanation();
  EXPECT_GT(reference->summary.violation_minutes, 0);
  EXPECT_EQ(e.shadow_violations, reference->summary.violation_minutes);
  EXPECT_EQ(e.own_violations, run->summary.violation_minutes);
}

// Daily surges the forecast cannot see coming: the HPA at 0.7, with 43%
// headroom, misses fewer minutes than the plain policy, so the budget raises
// the scale-up forecast and the violation minutes fall; off, nothing moves.
TEST(Predictive, ViolationBudgetRaisesTheScaleUpWhenOverBudget) {
  std::vector<double> d = Traffic(4, 700);
  auto run_with = [&](double share, PredictivePolicy::Explanation* e) {
    PredictiveOptions o;
    o.violation_share = share;
    PredictivePolicy policy(Fleet(), o);
    auto run = SimulateFleet(d, Fleet(), policy, kDay);
    EXPECT_TRUE(run.ok());
    *e = policy.explanation();
    return run.ok() ? run->summary : FleetSummary{};
  };
  PredictivePolicy::Explanation off_e, on_e;
  FleetSummary off = run_with(0, &off_e);
  FleetSummary on = run_with(0.35, &on_e);
  EXPECT_EQ(off_e.boost, 0);
  EXPECT_EQ(off_e.shadow_violations, 0);  // no shadow when off
  EXPECT_GT(on_e.boost, 0);
  EXPECT_LT(on.violation_minutes, off.violation_minutes);
  EXPECT_GT(on.pod_minutes, off.pod_minutes);
}

// Never below the reactive floor: the pods demand(t) needs are kept, or
// started when missing.
TEST(Predictive, NeverBelowTheReactiveFloor) {
  std::vector<double> d = Traffic(3, 600);
  PredictivePolicy policy(Fleet(), PredictiveOptions{});
  auto run = SimulateFleet(d, Fleet(), policy, 0);
  ASSERT_TRUE(run.ok());
  for (size_t t = 1; t < d.size(); ++t) {
    ASSERT_GE(run->desired[t], PodsNeeded(d[t], Fleet())) << "t=" << t;
  }
}

// Asymmetric decision: pods are started for the forecast of minute t+1+S
// (at scale_up_quantile) and kept up to the window's plan (at quantile).
TEST(Predictive, StartsPodsForTheLastMinuteAndKeepsThemForTheWindow) {
  std::vector<double> d = Traffic(3, -1);
  PredictiveOptions o;
  o.scale_up_quantile = 0.6;  // far below `quantile`: the two plans differ
  PredictivePolicy policy(Fleet(), o);
  const double c = Fleet().capacity_per_pod;
  auto pods = [&](double demand) { return static_cast<int>(std::ceil(demand / c)); };
  int checked_up = 0, checked_keep = 0;
  for (int t = 0; t < static_cast<int>(d.size()); ++t) {
    bool probe = t > 2 * kDay && t % 29 == 0;
    // Probes: an empty fleet must scale up, a large one must scale down.
    FleetState st{t, d[t], probe ? (t % 2 ? 0 : 1000) : 1000, 0};
    int desired = policy.Decide(st);
    if (!probe) continue;
    const auto& e = policy.explanation();
    int up = std::max(pods(e.scale_up_demand), e.reactive_floor);
    int keep = std::max(pods(e.planned_demand), e.reactive_floor);
    ASSERT_LE(up, keep) << "t=" << t;
    if (st.ready == 0) {
      EXPECT_EQ(desired, up) << "t=" << t;
      checked_up += up < keep;
    } else {
      EXPECT_EQ(desired, keep) << "t=" << t;
      checked_keep += up < keep;
    }
  }
  // Enough probes where the two plans differ.
  EXPECT_GT(checked_up, 5);
  EXPECT_GT(checked_keep, 5);
}

TEST(Predictive, CoversTheDailyCycleCloseToPerfectForesight) {
  std::vector<double> d = Traffic(5, -1);
  PredictivePolicy policy(Fleet(), PredictiveOptions{});
  auto run = SimulateFleet(d, Fleet(), policy, 2 * kDay);
  PlannedPolicy perfect(PerfectForesightPlan(d, Fleet()));
  auto best = SimulateFleet(d, Fleet(), perfect, 2 * kDay);
  ASSERT_TRUE(run.ok() && best.ok());
  // Planned for the 0.97 quantile: misses stay under 3% of the minutes.
  EXPECT_LT(run->summary.violation_minutes, run->summary.minutes * 3 / 100);
  EXPECT_LT(run->summary.pod_minutes, 1.15 * best->summary.pod_minutes);
}

// Surges at 11:40 every day: the calendar lists them, without uplifts.
TEST(Predictive, CalendarPrewarmsKnownSurges) {
  const int surge = 700;
  std::vector<double> d = Traffic(4, surge);
  PredictiveOptions with;
  with.start_seconds = 1700000000 - 1700000000 % 86400;
  for (int day = 0; day < 4; ++day) {
    int64_t start = with.start_seconds + (day * kDay + surge) * 60;
    with.calendar.push_back({"surge", start, start + 3600, 0});
  }
  PredictiveOptions without = with;
  without.calendar.clear();
  // Violation minutes inside the surges of the scored days.
  auto surge_violations = [&](const PredictiveOptions& o) {
    PredictivePolicy policy(Fleet(), o);
    auto run = SimulateFleet(d, Fleet(), policy, kDay);
    EXPECT_TRUE(run.ok());
    int64_t n = 0;
    for (int day = 1; day < 4; ++day) {
      for (int t = day * kDay + surge; t < day * kDay + surge + 60; ++t) {
        n += d[t] > run->ready[t] * Fleet().capacity_per_pod;
      }
    }
    return n;
  };
  int64_t blind = surge_violations(without);
  int64_t warned = surge_violations(with);
  // Without the calendar each surge start costs most of a start-up window.
  EXPECT_GE(blind, 3 * 8);
  EXPECT_LE(warned * 4, blind) << "blind " << blind << " warned " << warned;

  // A configured uplift pre-warms even the first surge.
  std::vector<double> one(d.begin(), d.begin() + kDay);
  PredictiveOptions configured = with;
  for (CalendarEvent& e : configured.calendar) e.uplift = 4.5;
  PredictivePolicy policy(Fleet(), configured);
  auto run = SimulateFleet(one, Fleet(), policy, 0);
  ASSERT_TRUE(run.ok());
  EXPECT_GE(run->ready[surge], PodsNeeded(d[surge], Fleet()));
}

TEST(Predictive, ValidateRejectsBadOptions) {
  PredictiveOptions o;
  EXPECT_TRUE(ValidatePredictiveOptions(o).ok());
  o.quantile = 1;
  EXPECT_FALSE(ValidatePredictiveOptions(o).ok());
  o = PredictiveOptions{};
  o.scale_up_quantile = 0;
  EXPECT_FALSE(ValidatePredictiveOptions(o).ok());
  o = PredictiveOptions{};
  o.refit_minutes = 0;
  EXPECT_FALSE(ValidatePredictiveOptions(o).ok());
  o = PredictiveOptions{};
  o.level_alphas = {0.1, 0};
  EXPECT_FALSE(ValidatePredictiveOptions(o).ok());
  o.level_alphas.clear();
  EXPECT_FALSE(ValidatePredictiveOptions(o).ok());
  o = PredictiveOptions{};
  o.margin_rate = 0;
  EXPECT_FALSE(ValidatePredictiveOptions(o).ok());
  o = PredictiveOptions{};
  o.default_event_uplift = -1;
  EXPECT_FALSE(ValidatePredictiveOptions(o).ok());
  o = PredictiveOptions{};
  o.violation_share = -0.1;
  EXPECT_FALSE(ValidatePredictiveOptions(o).ok());
  o = PredictiveOptions{};
  o.shadow_target_utilization = 0;
  EXPECT_FALSE(ValidatePredictiveOptions(o).ok());
  o = PredictiveOptions{};
  o.max_boost = -1;
  EXPECT_FALSE(ValidatePredictiveOptions(o).ok());
}

}  // namespace
}  // namespace storepilot::autoscale
