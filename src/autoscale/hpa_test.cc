#include "autoscale/hpa.h"

#include "gtest/gtest.h"

namespace storepilot::autoscale {
namespace {

HpaSample Sample(int64_t now, int current, int ready, double total,
                 int unready = 0) {
  HpaSample s;
  s.now_seconds = now;
  s.current_replicas = current;
  s.ready_pods = ready;
  s.unready_pods = unready;
  s.metric_total = total;
  s.target_per_pod = 10;
  return s;
}

HpaConfig NoLimits() {
  HpaConfig c;
  c.min_replicas = 1;
  c.max_replicas = 1000;
  c.scale_down.stabilization_window_seconds = 0;
  return c;
}

TEST(Hpa, ToleranceKeepsReplicasWithinTenPercent) {
  struct Case {
    double per_pod;
    int want;
  } cases[] = {
      {10.9, 10},  // ratio 1.09: within 0.1
      {9.1, 10},   // 0.91: within
      {11.5, 12},  // ceil(1.15 * 10) = 12
      {8.5, 9},    // ceil(0.85 * 10) = 9
      {20, 20},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.per_pod);
    HpaController hpa(NoLimits());
    HpaDecision d = hpa.Reconcile(Sample(0, 10, 10, 10 * c.per_pod));
    EXPECT_EQ(d.desired_replicas, c.want);
  }
}

TEST(Hpa, ToleranceIsConfigurable) {
  HpaConfig c = NoLimits();
  c.tolerance = 0.2;
  HpaController hpa(c);
  EXPECT_EQ(hpa.Reconcile(Sample(0, 10, 10, 115)).desired_replicas, 10);
  EXPECT_EQ(hpa.Reconcile(Sample(60, 10, 10, 125)).desired_replicas, 13);
}

TEST(Hpa, DefaultScaleUpIsMaxOfFourPodsAndDoubling) {
  HpaConfig c = NoLimits();
  c.scale_up = DefaultScaleUpRules();
  HpaController hpa(c);
  // 2 pods at 9x the target want 18: limit max(2 + 4, 2 * 2) = 6.
  HpaDecision d = hpa.Reconcile(Sample(0, 2, 2, 180));
  EXPECT_EQ(d.raw_replicas, 18);
  EXPECT_EQ(d.desired_replicas, 6);
  EXPECT_EQ(d.reason, HpaReason::kScaleUpLimit);
  // 10 s later the 15 s period still holds the +4 event: the limit counts
  // from the 2 replicas at the period start, so no further growth.
  d = hpa.Reconcile(Sample(10, 6, 6, 180));
  EXPECT_EQ(d.desired_replicas, 6);
  // After the period: max(6 + 4, 12) = 12.
  d = hpa.Reconcile(Sample(30, 6, 6, 180));
  EXPECT_EQ(d.desired_replicas, 12);
}

TEST(Hpa, SelectPolicyMinAndDisabled) {
  HpaConfig c = NoLimits();
  c.scale_up.select_policy = HpaSelectPolicy::kMin;
  HpaController min_hpa(c);
  // min(10 + 4, 10 * 2) = 14.
  EXPECT_EQ(min_hpa.Reconcile(Sample(0, 10, 10, 1000)).desired_replicas, 14);

  c.scale_up.select_policy = HpaSelectPolicy::kDisabled;
  HpaController off(c);
  EXPECT_EQ(off.Reconcile(Sample(0, 10, 10, 1000)).desired_replicas, 10);
}

TEST(Hpa, PercentAndPodsScaleDownPolicies) {
  HpaConfig c = NoLimits();
  c.scale_down.policies = {{HpaPolicyType::kPods, 1, 60},
                           {HpaPolicyType::kPercent, 50, 60}};
  c.scale_down.select_policy = HpaSelectPolicy::kMax;  // the larger change
  HpaController hpa(c);
  // Wants 2; Pods allows 9, Percent allows int(10 * 0.5) = 5; Max picks 5.
  HpaDecision d = hpa.Reconcile(Sample(0, 10, 10, 20));
  EXPECT_EQ(d.desired_replicas, 5);
  EXPECT_EQ(d.reason, HpaReason::kScaleDownLimit);
  // 30 s later the period has removed 5 already: it started at 10, so the
  // limit is still 5 and the wish for 1 waits.
  EXPECT_EQ(hpa.Reconcile(Sample(30, 5, 5, 10)).desired_replicas, 5);

  c.scale_down.select_policy = HpaSelectPolicy::kMin;  // the smaller change
  HpaController gentle(c);
  EXPECT_EQ(gentle.Reconcile(Sample(0, 10, 10, 20)).desired_replicas, 9);
}

TEST(Hpa, ScaleUpPercentRoundsUp) {
  HpaConfig c = NoLimits();
  c.scale_up.policies = {{HpaPolicyType::kPercent, 50, 60}};
  HpaController hpa(c);
  // ceil(5 * 1.5) = 8.
  EXPECT_EQ(hpa.Reconcile(Sample(0, 5, 5, 500)).desired_replicas, 8);
}

TEST(Hpa, ScaleDownStabilisationTakesTheWindowMaximum) {
  HpaConfig c = NoLimits();
  c.scale_down = DefaultScaleDownRules();  // 300 s window
  HpaController hpa(c);
  // t=0: a fresh controller remembers 10 and sees 10 pods at target.
  EXPECT_EQ(hpa.Reconcile(Sample(0, 10, 10, 100)).desired_replicas, 10);
  // Load halves: the raw recommendation is 5, the window holds 10.
  for (int64_t t = 60; t <= 240; t += 60) {
    SCOPED_TRACE(t);
    HpaDecision d = hpa.Reconcile(Sample(t, 10, 10, 50));
    EXPECT_EQ(d.raw_replicas, 5);
    EXPECT_EQ(d.desired_replicas, 10);
  }
  // At 300 s the 10 recorded at exactly now - 300 s has left the window
  // (Kubernetes keeps samples strictly after the cutoff): scale down.
  EXPECT_EQ(hpa.Reconcile(Sample(300, 10, 10, 50)).desired_replicas, 5);
}

TEST(Hpa, StabilisationBoundsARecoveryToo) {
  HpaConfig c = NoLimits();
  c.scale_down = DefaultScaleDownRules();
  HpaController hpa(c);
  hpa.Reconcile(Sample(0, 10, 10, 100));
  hpa.Reconcile(Sample(60, 10, 10, 200));  // raw 20 (+ scale-up)
  // A dip to raw 12 a minute later is held at the window's 20.
  EXPECT_EQ(hpa.Reconcile(Sample(120, 20, 20, 120)).desired_replicas, 20);
}

TEST(Hpa, UnreadyPodsCountAsIdleOnScaleUp) {
  HpaController hpa(NoLimits());
  // 4 ready pods at 2x target, 4 starting: with the starting ones at 0 the
  // ratio is 1.0 -> keep the 8 already asked for.
  HpaDecision d = hpa.Reconcile(Sample(0, 8, 4, 80, 4));
  EXPECT_EQ(d.desired_replicas, 8);
  // At 3x: 120 / (8 * 10) = 1.5 -> ceil(1.5 * 8) = 12.
  d = hpa.Reconcile(Sample(60, 8, 4, 120, 4));
  EXPECT_EQ(d.desired_replicas, 12);
  // Below target the unready pods are ignored: ceil(0.5 * 4) = 2.
  d = hpa.Reconcile(Sample(120, 12, 4, 20, 8));
  EXPECT_EQ(d.desired_replicas, 2);
}

TEST(Hpa, MinAndMaxReplicas) {
  HpaConfig c = NoLimits();
  c.min_replicas = 3;
  c.max_replicas = 15;
  HpaController hpa(c);
  HpaDecision d = hpa.Reconcile(Sample(0, 10, 10, 1000));
  EXPECT_EQ(d.desired_replicas, 15);
  EXPECT_EQ(d.reason, HpaReason::kTooManyReplicas);
  d = hpa.Reconcile(Sample(60, 15, 15, 1));
  EXPECT_EQ(d.desired_replicas, 3);
  EXPECT_EQ(d.reason, HpaReason::kTooFewReplicas);
}

TEST(Hpa, NoReadyPodsKeepsTheScale) {
  HpaController hpa(NoLimits());
  HpaDecision d = hpa.Reconcile(Sample(0, 4, 0, 100, 4));
  EXPECT_EQ(d.desired_replicas, 4);
  EXPECT_EQ(d.reason, HpaReason::kNoMetrics);
}

TEST(Hpa, ValidateRejectsBadConfigs) {
  HpaConfig c;
  EXPECT_TRUE(ValidateHpaConfig(c).ok());
  c.max_replicas = 0;
  EXPECT_FALSE(ValidateHpaConfig(c).ok());
  c = HpaConfig{};
  c.tolerance = -1;
  EXPECT_FALSE(ValidateHpaConfig(c).ok());
  c = HpaConfig{};
  c.scale_down.stabilization_window_seconds = -5;
  EXPECT_FALSE(ValidateHpaConfig(c).ok());
  c = HpaConfig{};
  c.scale_up.policies.push_back({HpaPolicyType::kPods, 0, 15});
  EXPECT_FALSE(ValidateHpaConfig(c).ok());
}

}  // namespace
}  // namespace storepilot::autoscale
