#include "autoscale/planner.h"

#include <cmath>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace storepilot::autoscale {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kMinute = 60'000;
constexpr int64_t kT0 = 1'700'000'040'000;  // a minute boundary

ServiceSpec Checkout() {
  ServiceSpec s;
  s.name = "checkout";
  s.k8s_namespace = "shop";
  s.capacity_per_pod = 100;
  s.startup_minutes = 3;
  s.min_replicas = 2;
  s.max_replicas = 50;
  return s;
}

TEST(ServiceSpec, RejectsBadFields) {
  struct Case {
    const char* what;
    void (*edit)(ServiceSpec&);
  };
  const Case cases[] = {
      {"empty name", [](ServiceSpec& s) { s.name = ""; }},
      {"slash in name", [](ServiceSpec& s) { s.name = "a/b"; }},
      {"empty namespace", [](ServiceSpec& s) { s.k8s_namespace = ""; }},
      {"negative capacity", [](ServiceSpec& s) { s.capacity_per_pod = -1; }},
      {"learned without slo", [](ServiceSpec& s) { s.capacity_per_pod = 0; }},
      {"negative startup", [](ServiceSpec& s) { s.startup_minutes = -1; }},
      {"min above max", [](ServiceSpec& s) { s.min_replicas = 60; }},
      {"max zero", [](ServiceSpec& s) { s.min_replicas = 0, s.max_replicas = 0; }},
      {"utilisation 0", [](ServiceSpec& s) { s.target_utilization = 0; }},
      {"quantile 1", [](ServiceSpec& s) { s.quantile = 1; }},
  };
  EXPECT_TRUE(ValidateServiceSpec(Checkout()).ok());
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    ServiceSpec s = Checkout();
    c.edit(s);
    EXPECT_EQ(ValidateServiceSpec(s).code(), absl::StatusCode::kInvalidArgument);
  }
}

TEST(Planner, RejectsDuplicatesAndUnknownServices) {
  FakeClock clock(kT0 * 1000);
  EXPECT_FALSE(Planner::Create({Checkout(), Checkout()}, {}, &clock, nullptr).ok());
  auto planner = Planner::Create({Checkout()}, {}, &clock, nullptr);
  ASSERT_TRUE(planner.ok());
  Planner& p = **planner;
  EXPECT_EQ(p.AddRequests("cart", kT0, 1).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(p.ObserveReplicas("cart", kT0, 1).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(p.Plan("cart").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(p.AddRequests("checkout", kT0, -1).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(p.AddRequests("checkout", kT0, NAN).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(p.AddRequests("checkout", kT0 + 5 * kMinute, 1).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(p.ObserveReplicas("checkout", kT0, -1).code(), absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(p.AddRequests("checkout", kT0, 10).ok());
  clock.AdvanceMicros(kMinute * 1000);
  p.Tick();
  // The minute is decided: a late count cannot change it any more.
  EXPECT_EQ(p.AddRequests("checkout", kT0, 10).code(), absl::StatusCode::kFailedPrecondition);
}

TEST(Planner, NoDataUntilTheFirstCount) {
  FakeClock clock(kT0 * 1000);
  auto planner = Planner::Create({Checkout()}, {}, &clock, nullptr);
  ASSERT_TRUE(planner.ok());
  clock.AdvanceMicros(10 * kMinute * 1000);
  auto plan = (*planner)->Plan("checkout");
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->desired_replicas, 0);
  EXPECT_EQ(plan->reason_code, "no-data");
  EXPECT_EQ(plan->last_decision_ms, 0);
}

TEST(Planner, HpaFallbackThenPredictiveWithMetrics) {
  FakeClock clock(kT0 * 1000);
  observe::MetricsRegistry metrics;
  PlannerOptions options;
  options.min_history_minutes = 30;
  auto planner = Planner::Create({Checkout()}, options, &clock, &metrics);
  ASSERT_TRUE(planner.ok());
  Planner& p = **planner;
  // 1,000 requests a minute on 10 ready pods of 100: utilisation 1.0 > 0.7.
  for (int m = 0; m < 5; ++m) {
    ASSERT_TRUE(p.AddRequests("checkout", kT0 + m * kMinute + 5'000, 1000).ok());
    ASSERT_TRUE(p.ObserveReplicas("checkout", kT0 + m * kMinute, 10).ok());
    clock.AdvanceMicros(kMinute * 1000);
    p.Tick();
  }
  auto plan = p.Plan("checkout");
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->policy, "hpa");
  EXPECT_EQ(plan->history_minutes, 5);
  // ceil(1000 / (0.7 × 100)) = 15, the HPA's answer.
  EXPECT_EQ(plan->desired_replicas, 15);
  EXPECT_EQ(plan->current_replicas, 10);
  EXPECT_THAT(plan->reason, HasSubstr("hpa fallback (5 of 30"));
  EXPECT_EQ(plan->last_decision_ms, kT0 + 5 * kMinute);

  for (int m = 5; m < 40; ++m) {
    ASSERT_TRUE(p.AddRequests("checkout", kT0 + m * kMinute, 1000).ok());
    ASSERT_TRUE(p.ObserveReplicas("checkout", kT0 + m * kMinute, 12).ok());
    clock.AdvanceMicros(kMinute * 1000);
  }
  plan = p.Plan("checkout");  // catches up the 35 minutes
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->policy, "predictive");
  EXPECT_EQ(plan->history_minutes, 40);
  // Steady 1,000/min needs 10 pods; the plan covers at least that and the
  // forecast band sits around the steady rate.
  EXPECT_GE(plan->desired_replicas, 10);
  EXPECT_LE(plan->desired_replicas, 20);
  EXPECT_NEAR(plan->forecast_p50, 1000, 100);
  EXPECT_GE(plan->forecast_upper, plan->forecast_p50);
  EXPECT_THAT(plan->reason, HasSubstr("pods of 100 requests/min"));

  const std::string text = metrics.RenderText();
  EXPECT_THAT(text, HasSubstr(absl::StrCat("storepilot_autoscale_desired_replicas{service=\"checkout\"} ",
                                           plan->desired_replicas)));
  EXPECT_THAT(text, HasSubstr("storepilot_autoscale_current_replicas{service=\"checkout\"} 12"));
  EXPECT_THAT(text,
              HasSubstr("storepilot_autoscale_actual_requests_per_minute{service=\"checkout\"} 1000"));
  EXPECT_THAT(text, HasSubstr("storepilot_autoscale_decisions_total{service=\"checkout\",reason=\"hpa\"} 29"));
}

TEST(Planner, FollowsARampAhead) {
  FakeClock clock(kT0 * 1000);
  PlannerOptions options;
  options.min_history_minutes = 1;
  auto planner = Planner::Create({Checkout()}, options, &clock, nullptr);
  ASSERT_TRUE(planner.ok());
  Planner& p = **planner;
  int before = 0;
  for (int m = 0; m < 300; ++m) {
    // Flat for three hours, then +2% a minute.
    const double demand = m < 180 ? 500 : 500 * std::pow(1.02, m - 180);
    ASSERT_TRUE(p.AddRequests("checkout", kT0 + m * kMinute, demand).ok());
    clock.AdvanceMicros(kMinute * 1000);
    p.Tick();
    if (m == 179) before = p.Plan("checkout")->desired_replicas;
  }
  auto plan = p.Plan("checkout");
  ASSERT_TRUE(plan.ok());
  EXPECT_LE(before, 10);
  // At minute 299 the demand is 500 × 1.02^119 ≈ 5,300: at least 53 pods
  // needed, clamped to the 50 of max_replicas.
  EXPECT_EQ(plan->desired_replicas, 50);
}

TEST(Planner, SpreadsCounterDeltasOverTheirMinutes) {
  FakeClock clock((kT0 + 3 * kMinute) * 1000);
  PlannerOptions options;
  auto planner = Planner::Create({Checkout()}, options, &clock, nullptr);
  ASSERT_TRUE(planner.ok());
  Planner& p = **planner;
  // 300 requests between 0:30 and 2:00 after kT0: 100, 200 per minute.
  ASSERT_TRUE(p.AddRequestsOver("checkout", kT0 + 30'000, kT0 + 2 * kMinute, 300).ok());
  clock.SetMicros((kT0 + kMinute) * 1000);
  EXPECT_DOUBLE_EQ(p.Plan("checkout")->last_minute_requests, 100);
  clock.SetMicros((kT0 + 2 * kMinute) * 1000);
  EXPECT_DOUBLE_EQ(p.Plan("checkout")->last_minute_requests, 200);
}

TEST(Planner, CounterSamplesBecomeMinuteCounts) {
  FakeClock clock((kT0 + 10 * kMinute) * 1000);
  auto planner = Planner::Create({Checkout()}, {}, &clock, nullptr);
  ASSERT_TRUE(planner.ok());
  Planner& p = **planner;
  std::vector<std::pair<int64_t, double>> sunk;
  p.SetCountSink([&](const std::string& service, int64_t minute_ms, double count) {
    EXPECT_EQ(service, "checkout");
    sunk.emplace_back(minute_ms, count);
  });
  EXPECT_EQ(*p.AddCounterSample("checkout", kT0, 5000), 0);  // the baseline
  EXPECT_EQ(*p.AddCounterSample("checkout", kT0 + 2 * kMinute, 5600), 600);
  // The counter restarted (a pod restart): 90 since the restart.
  EXPECT_EQ(*p.AddCounterSample("checkout", kT0 + 3 * kMinute, 90), 90);
  EXPECT_EQ(p.AddCounterSample("checkout", kT0 + 3 * kMinute, 100).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(p.AddCounterSample("checkout", kT0 + 4 * kMinute, -1).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(p.AddCounterSample("cart", kT0, 1).status().code(), absl::StatusCode::kNotFound);
  const std::vector<std::pair<int64_t, double>> want = {
      {kT0, 300}, {kT0 + kMinute, 300}, {kT0 + 2 * kMinute, 90}};
  EXPECT_EQ(sunk, want);
  clock.SetMicros((kT0 + 2 * kMinute) * 1000);
  EXPECT_DOUBLE_EQ(p.Plan("checkout")->last_minute_requests, 300);
}

TEST(Planner, CatchUpIsBounded) {
  FakeClock clock(kT0 * 1000);
  PlannerOptions options;
  options.max_catch_up_minutes = 100;
  auto planner = Planner::Create({Checkout()}, options, &clock, nullptr);
  ASSERT_TRUE(planner.ok());
  ASSERT_TRUE((*planner)->AddRequests("checkout", kT0, 10).ok());
  clock.AdvanceMicros(10'000 * kMinute * 1000);
  EXPECT_EQ((*planner)->Plan("checkout")->history_minutes, 100);
}

TEST(Planner, LearnsCapacityFromMinutesWithinTheSlo) {
  FakeClock clock(kT0 * 1000);
  ServiceSpec spec = Checkout();
  spec.capacity_per_pod = 0;
  spec.slo_ms = 200;
  auto planner = Planner::Create({spec}, {}, &clock, nullptr);
  ASSERT_TRUE(planner.ok());
  Planner& p = **planner;
  for (int m = 0; m < 14; ++m) {
    const int64_t t = kT0 + m * kMinute;
    // Odd minutes are slow (over the SLO) at a higher rate: not evidence.
    const bool slow = m % 2 == 1;
    ASSERT_TRUE(p.AddRequests("checkout", t, slow ? 900 : 300 + 10 * m).ok());
    ASSERT_TRUE(p.ObserveReplicas("checkout", t, 4, slow ? 450.0 : 120.0).ok());
    clock.AdvanceMicros(kMinute * 1000);
    p.Tick();
    if (m == 10) {
      auto plan = p.Plan("checkout");
      EXPECT_EQ(plan->reason_code, "learning");
      EXPECT_EQ(plan->capacity_per_pod, 0);
      EXPECT_THAT(plan->reason, HasSubstr("6 of 10 minutes"));
    }
  }
  for (int m = 14; m < 20; ++m) {
    const int64_t t = kT0 + m * kMinute;
    ASSERT_TRUE(p.AddRequests("checkout", t, 300 + 10 * m).ok());
    ASSERT_TRUE(p.ObserveReplicas("checkout", t, 4, 120.0).ok());
    clock.AdvanceMicros(kMinute * 1000);
  }
  auto plan = p.Plan("checkout");
  ASSERT_TRUE(plan.ok());
  // The tenth fast minute is m = 16; the best of them: 460 requests on 4 pods.
  EXPECT_DOUBLE_EQ(plan->capacity_per_pod, 460.0 / 4);
  EXPECT_EQ(plan->history_minutes, 20);  // the learning minutes were replayed
  EXPECT_EQ(plan->policy, "hpa");
}

}  // namespace
}  // namespace storepilot::autoscale
