#include "overload/admission.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace storepilot::overload {
namespace {

Classification Of(RequestClass c) { return {c, false}; }

class AdmissionTest : public ::testing::Test {
 protected:
  AdmissionOptions Options() {
    AdmissionOptions o;
    o.limit.initial_limit = 1000;
    o.limit.max_limit = 1000;
    o.target_queue_delay_us = 5'000;
    return o;
  }
  // One window of the mixed workload (5/15/50/30 per 100) with `delay_us`
  // of queueing delay; returns the admitted count per class.
  std::map<RequestClass, int> Window(AdmissionController& a, int64_t delay_us) {
    std::map<RequestClass, int> admitted;
    // The delay closes the previous window; this window stays open until
    // the next call, so a test can probe the level the windows left.
    clock_.AdvanceMicros(50'000);
    a.OnQueueDelay(delay_us);
    const int mix[kNumClasses] = {5, 15, 50, 30};
    for (int c = 0; c < kNumClasses; ++c) {
      for (int i = 0; i < mix[c]; ++i) {
        std::unique_ptr<AdmissionController::Ticket> t;
        Identity who{"s", "", "sess" + std::to_string(i)};
        if (a.Admit(Of(static_cast<RequestClass>(c)), who, &t).admit) {
          ++admitted[static_cast<RequestClass>(c)];
        }
      }
    }
    return admitted;
  }
  // A server that serves `capacity` requests per window: what it admits
  // beyond that queues, 1 ms of queueing delay per request over.
  std::map<RequestClass, int> Simulate(AdmissionController& a, int windows, int capacity) {
    std::map<RequestClass, int> admitted;
    for (int w = 0; w < windows; ++w) {
      admitted = Window(a, delay_us_);
      int total = 0;
      for (auto& [c, n] : admitted) total += n;
      delay_us_ = std::max(0, total - capacity) * 1000;
    }
    return admitted;
  }
  FakeClock clock_{1'000'000};
  int64_t delay_us_ = 0;  // of the simulated server's last window
};

TEST(CompoundPriority, ClassDominatesUser) {
  EXPECT_GT(CompoundPriority(RequestClass::kHigh, 0, "a"),
            CompoundPriority(RequestClass::kNormal, kMaxUserPriority, "b"));
  EXPECT_GT(CompoundPriority(RequestClass::kNormal, 3, "a"),
            CompoundPriority(RequestClass::kNormal, 2, "b"));
  EXPECT_LT(CompoundPriority(RequestClass::kCritical, kMaxUserPriority, "zz"), kNumPriorities);
  EXPECT_GE(CompoundPriority(RequestClass::kLow, 0, ""), 0);
  EXPECT_EQ(CompoundPriority(RequestClass::kLow, 99, "x"),
            CompoundPriority(RequestClass::kLow, kMaxUserPriority, "x"));
}

TEST_F(AdmissionTest, ShedsFromTheBottomAndRecovers) {
  observe::MetricsRegistry metrics;
  AdmissionController a(Options(), &clock_, nullptr, &metrics);
  auto admitted = Simulate(a, 5, 200);  // capacity to spare
  EXPECT_EQ(a.Snapshot().level, 0);
  EXPECT_EQ(admitted[RequestClass::kLow], 30);
  // 100 offered per window, 40 served: the level rises until the load fits,
  // shedding low first; critical and high keep being served.
  int critical = 0, high = 0, low = 0, total = 0, windows = 0;
  Simulate(a, 40, 40);
  for (int w = 0; w < 40; ++w) {
    admitted = Simulate(a, 1, 40);
    critical += admitted[RequestClass::kCritical];
    high += admitted[RequestClass::kHigh];
    low += admitted[RequestClass::kLow];
    for (auto& [c, n] : admitted) total += n;
    ++windows;
  }
  EXPECT_EQ(critical, 5 * windows);
  EXPECT_EQ(high, 15 * windows);
  EXPECT_EQ(low, 0);
  EXPECT_GE(a.Snapshot().level, kClassBand);
  EXPECT_LT(a.Snapshot().level, 2 * kClassBand);
  EXPECT_NEAR(total / static_cast<double>(windows), 42, 10);  // the load fits the capacity
  EXPECT_GT(metrics.GetCounter("storepilot_admission_requests_total", "",
                               {{"class", "low"}, {"result", "shed"}})
                ->Value(),
            0);
  EXPECT_EQ(metrics.GetCounter("storepilot_admission_requests_total", "",
                               {{"class", "critical"}, {"result", "shed"}})
                ->Value(),
            0);
  EXPECT_EQ(metrics.GetGauge("storepilot_admission_level", "")->Value(), a.Snapshot().level);
  // Capacity is back: the level falls to 0 and everything is admitted.
  Simulate(a, 200, 200);
  EXPECT_EQ(a.Snapshot().level, 0);
  EXPECT_EQ(Window(a, 0)[RequestClass::kLow], 30);
}

TEST_F(AdmissionTest, CriticalIsShedLast) {
  AdmissionOptions o = Options();
  o.max_level = kNumPriorities;  // let the level reach critical too
  AdmissionController a(o, &clock_, nullptr, nullptr);
  std::map<RequestClass, int> last;
  int64_t first_shed[kNumClasses] = {-1, -1, -1, -1};
  for (int w = 0; w < 80; ++w) {
    last = Window(a, 200'000);  // a hopeless overload
    for (int c = 0; c < kNumClasses; ++c) {
      const int mix[kNumClasses] = {5, 15, 50, 30};
      if (first_shed[c] < 0 && last[static_cast<RequestClass>(c)] < mix[c]) first_shed[c] = w;
    }
  }
  ASSERT_GE(first_shed[3], 0);
  EXPECT_LE(first_shed[3], first_shed[2]);
  EXPECT_LE(first_shed[2], first_shed[1]);
  EXPECT_LE(first_shed[1], first_shed[0]);
  EXPECT_GT(first_shed[0], first_shed[3]);
}

TEST_F(AdmissionTest, ByDefaultTheLevelStopsBelowCritical) {
  AdmissionController a(Options(), &clock_, nullptr, nullptr);
  std::map<RequestClass, int> last;
  for (int w = 0; w < 80; ++w) last = Window(a, 500'000);  // delay from outside
  EXPECT_EQ(a.Snapshot().level, 3 * kClassBand);
  EXPECT_EQ(last[RequestClass::kCritical], 5);
  EXPECT_EQ(last[RequestClass::kHigh], 0);
}

TEST_F(AdmissionTest, WebhooksAreNeverShed) {
  AdmissionOptions o = Options();
  o.max_level = kNumPriorities;
  AdmissionController a(o, &clock_, nullptr, nullptr);
  for (int w = 0; w < 80; ++w) Window(a, 500'000);
  EXPECT_GT(a.Snapshot().level, 3 * kClassBand);  // even critical is being shed
  Classification webhook = Classify("POST", "/webhooks/shopify", "low");
  for (int i = 0; i < 100; ++i) {
    std::unique_ptr<AdmissionController::Ticket> t;
    Decision d = a.Admit(webhook, {}, &t);
    EXPECT_TRUE(d.admit);
    EXPECT_EQ(d.reason, Decision::Reason::kExempt);
  }
}

TEST_F(AdmissionTest, ValuableCustomersFirstWithinAClass) {
  CustomerValueModel values;
  for (int i = 0; i < 20; ++i) values.ObservePurchase("s", "vip", 1000 + i, 500);
  for (int i = 0; i < 40; ++i) values.ObservePurchase("s", "c" + std::to_string(i), i, 5);
  AdmissionController a(Options(), &clock_, &values, nullptr);
  // Only normal traffic, 20 from the vip and 20 anonymous per window, room
  // for 25: the anonymous are shed, the vip is served.
  int vip_admitted = 0, anon_admitted = 0;
  int64_t delay = 0;
  for (int w = 0; w < 60; ++w) {
    a.OnQueueDelay(delay);
    int total = 0;
    for (int i = 0; i < 20; ++i) {
      std::unique_ptr<AdmissionController::Ticket> t;
      bool vip = a.Admit(Of(RequestClass::kNormal), {"s", "vip", ""}, &t).admit;
      t.reset();
      bool anon =
          a.Admit(Of(RequestClass::kNormal), {"s", "", "x" + std::to_string(i)}, &t).admit;
      total += vip + anon;
      if (w >= 40) {
        vip_admitted += vip;
        anon_admitted += anon;
      }
    }
    delay = std::max(0, total - 25) * 5000;
    clock_.AdvanceMicros(50'000);
  }
  EXPECT_GT(values.UserPriority({"s", "vip", ""}), values.UserPriority({"s", "c0", ""}));
  EXPECT_EQ(vip_admitted, 20 * 20);
  EXPECT_LT(anon_admitted, 20 * 20 / 2);
}

TEST_F(AdmissionTest, AnIdleServerIsNotOverloaded) {
  AdmissionController a(Options(), &clock_, nullptr, nullptr);
  for (int w = 0; w < 20; ++w) {
    clock_.AdvanceMicros(50'000);
    a.OnQueueDelay(500'000);  // the machine is busy, the server is not
    std::unique_ptr<AdmissionController::Ticket> t;
    EXPECT_TRUE(a.Admit(Of(RequestClass::kLow), {}, &t).admit);
  }
  EXPECT_EQ(a.Snapshot().level, 0);
}

// CoDel's test: only a queue that delays every probe of a window is a
// standing queue. Probes delayed now and then (a burst, the process being
// descheduled) shed nothing; the same delay on every probe does.
TEST_F(AdmissionTest, OnlyAStandingQueueIsOverload) {
  AdmissionController spiky(Options(), &clock_, nullptr, nullptr);
  AdmissionController standing(Options(), &clock_, nullptr, nullptr);
  for (int w = 0; w < 10; ++w) {
    for (int probe = 0; probe < 10; ++probe) {
      clock_.AdvanceMicros(5'000);
      spiky.OnQueueDelay(probe % 3 == 0 ? 0 : 50'000);
      standing.OnQueueDelay(50'000);
    }
    for (int i = 0; i < 20; ++i) {
      for (AdmissionController* a : {&spiky, &standing}) {
        std::unique_ptr<AdmissionController::Ticket> t;
        a->Admit(Of(RequestClass::kLow), {"s", "", "x" + std::to_string(i)}, &t);
      }
    }
  }
  EXPECT_EQ(spiky.Snapshot().level, 0);
  EXPECT_EQ(spiky.Snapshot().queue_delay_us, 0);
  EXPECT_GT(standing.Snapshot().level, 0);
  EXPECT_EQ(standing.Snapshot().queue_delay_us, 50'000);
}

// Queued work that expires means more was admitted than the workers can
// serve in time, even when the work that did start waited little (the most
// valuable requests go first): the level rises on expiries alone, and not
// for an occasional one.
TEST_F(AdmissionTest, ExpiringQueuedWorkIsOverload) {
  AdmissionController rare(Options(), &clock_, nullptr, nullptr);
  AdmissionController many(Options(), &clock_, nullptr, nullptr);
  for (int w = 0; w < 10; ++w) {
    Window(rare, 0);
    Window(many, 0);
    rare.OnQueueExpired(RequestClass::kLow);  // 1 of 100 arrivals: at the threshold
    for (int i = 0; i < 10; ++i) many.OnQueueExpired(RequestClass::kNormal);
  }
  clock_.AdvanceMicros(50'000);
  rare.OnQueueDelay(0);
  many.OnQueueDelay(0);
  EXPECT_EQ(rare.Snapshot().level, 0);
  EXPECT_GT(many.Snapshot().level, 0);
  EXPECT_EQ(many.Snapshot().queue_delay_us, 0);
}

TEST_F(AdmissionTest, LimitRefusesByClassShareOfItsOwnAndMoreImportantWork) {
  AdmissionOptions o = Options();
  o.limit.initial_limit = 10;
  o.limit.min_limit = 10;
  AdmissionController a(o, &clock_, nullptr, nullptr);
  std::vector<std::unique_ptr<AdmissionController::Ticket>> held;
  auto admit = [&](RequestClass c) {
    held.emplace_back();
    return a.Admit(Of(c), {}, &held.back());
  };
  for (int i = 0; i < 8; ++i) EXPECT_TRUE(admit(RequestClass::kLow).admit);
  Decision low = admit(RequestClass::kLow);  // low may fill 80% of 10
  EXPECT_FALSE(low.admit);
  EXPECT_EQ(low.reason, Decision::Reason::kLimit);
  EXPECT_EQ(low.retry_after_s, 5);
  // The 8 low requests do not count against normal (90% of the limit, of
  // critical, high and normal in flight), nor normal against high (100%),
  // nor anything below against critical (200%).
  for (int i = 0; i < 9; ++i) EXPECT_TRUE(admit(RequestClass::kNormal).admit) << i;
  EXPECT_FALSE(admit(RequestClass::kNormal).admit);
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(admit(RequestClass::kHigh).admit) << i;
  EXPECT_FALSE(admit(RequestClass::kHigh).admit);
  for (int i = 0; i < 20; ++i) EXPECT_TRUE(admit(RequestClass::kCritical).admit) << i;
  EXPECT_FALSE(admit(RequestClass::kCritical).admit);
  // More important work does count against less important: with critical
  // requests in flight, neither a high nor a normal request gets a slot.
  EXPECT_FALSE(admit(RequestClass::kHigh).admit);
  EXPECT_FALSE(admit(RequestClass::kNormal).admit);
  EXPECT_EQ(a.Snapshot().inflight, 8 + 9 + 10 + 20);
  held.clear();  // tickets release their slots
  EXPECT_EQ(a.Snapshot().inflight, 0);
  EXPECT_TRUE(admit(RequestClass::kLow).admit);
}

TEST_F(AdmissionTest, DegradesTheNextToBeShed) {
  AdmissionController a(Options(), &clock_, nullptr, nullptr);
  std::unique_ptr<AdmissionController::Ticket> t;
  EXPECT_FALSE(a.Admit(Of(RequestClass::kLow), {}, &t).degrade);  // calm: nothing degrades
  for (int w = 0; w < 3; ++w) Window(a, 30'000);  // 40% shed: all low, some normal
  const int level = a.Snapshot().level;
  ASSERT_GT(level, kClassBand);
  ASSERT_LT(level, 2 * kClassBand);
  for (int i = 0; i < 20; ++i) {
    SCOPED_TRACE(i);
    Identity who{"s", "", "u" + std::to_string(i)};
    Decision high = a.Admit(Of(RequestClass::kHigh), who, &t);
    EXPECT_TRUE(high.admit);
    EXPECT_EQ(high.degrade, high.priority < level + kClassBand);
    Decision normal = a.Admit(Of(RequestClass::kNormal), who, &t);
    EXPECT_EQ(normal.admit, normal.priority >= level);
    if (normal.admit) {
      EXPECT_TRUE(normal.degrade);
    }
    EXPECT_FALSE(a.Admit(Of(RequestClass::kLow), who, &t).admit);
    EXPECT_FALSE(a.Admit(Of(RequestClass::kCritical), who, &t).degrade);
  }
}

TEST_F(AdmissionTest, DisabledAdmitsEverything) {
  AdmissionOptions o = Options();
  o.enabled = false;
  observe::MetricsRegistry metrics;
  AdmissionController a(o, &clock_, nullptr, &metrics);
  for (int w = 0; w < 40; ++w) {
    auto admitted = Window(a, 500'000);
    EXPECT_EQ(admitted[RequestClass::kLow], 30);
  }
  EXPECT_EQ(a.Snapshot().inflight, 0);
  EXPECT_EQ(metrics.GetCounter("storepilot_admission_requests_total", "",
                               {{"class", "low"}, {"result", "admitted"}})
                ->Value(),
            40 * 30);
}

TEST_F(AdmissionTest, ExternalDecisionsUseTheLevel) {
  AdmissionController a(Options(), &clock_, nullptr, nullptr);
  EXPECT_TRUE(a.DecideExternal(Of(RequestClass::kLow), {}).admit);
  for (int w = 0; w < 3; ++w) Window(a, 40'000);
  Decision low = a.DecideExternal(Of(RequestClass::kLow), {});
  EXPECT_FALSE(low.admit);
  EXPECT_EQ(low.reason, Decision::Reason::kLevel);
  EXPECT_TRUE(a.DecideExternal(Of(RequestClass::kCritical), {}).admit);
  EXPECT_EQ(a.Snapshot().inflight, 0);  // decisions hold no slot
}

}  // namespace
}  // namespace storepilot::overload
