#include "fraud/feature_store.h"

#include <cmath>
#include <set>
#include <string>

#include "gtest/gtest.h"

namespace storepilot::fraud {
namespace {

constexpr int64_t kT0 = 1'700'000'000'000;  // Some instant, ms.

size_t Index(const std::string& name) {
  const auto& names = FeatureStore::FeatureNames();
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return i;
  }
  ADD_FAILURE() << "no feature " << name;
  return 0;
}

float Get(const std::vector<float>& f, const std::string& name) { return f[Index(name)]; }

Order MakeOrder(const std::string& id, int64_t t, double amount, const std::string& customer,
                const std::string& terminal) {
  Order o;
  o.order_id = id;
  o.time_ms = t;
  o.amount = amount;
  o.customer_id = customer;
  o.terminal_id = terminal;
  return o;
}

TEST(FeatureStore, NamesAreUniqueAndVersioned) {
  const auto& names = FeatureStore::FeatureNames();
  std::set<std::string> unique(names.begin(), names.end());
  EXPECT_EQ(unique.size(), names.size());
  EXPECT_EQ(FeatureStore::SchemaVersion(), "fs1-" + std::to_string(names.size()));
}

TEST(FeatureStore, CountsAndAmountsPerWindow) {
  FeatureStore store;
  // Orders 30 min, 5 h, 3 days and 20 days before the scored one.
  const int64_t ages[] = {30 * 60 * 1000LL, 5 * kMillisPerHour, 3 * kMillisPerDay,
                          20 * kMillisPerDay};
  const double amounts[] = {10, 20, 30, 40};
  const int64_t now = kT0 + 40 * kMillisPerDay;
  for (int i = 3; i >= 0; --i) {
    store.Observe(MakeOrder("o" + std::to_string(i), now - ages[i], amounts[i], "c1", "t1"));
  }
  const auto f = store.Compute(MakeOrder("new", now, 100, "c1", "t2"));
  EXPECT_EQ(Get(f, "customer_count_1h"), 1);
  EXPECT_EQ(Get(f, "customer_count_1d"), 2);
  EXPECT_EQ(Get(f, "customer_count_7d"), 3);
  EXPECT_EQ(Get(f, "customer_count_30d"), 4);
  EXPECT_FLOAT_EQ(Get(f, "customer_mean_amount_1d"), 15);
  EXPECT_FLOAT_EQ(Get(f, "customer_mean_amount_30d"), 25);
  EXPECT_FLOAT_EQ(Get(f, "customer_hours_since_last"), 0.5f);
  // Median of {10,20,30,40} is the upper middle, 30.
  EXPECT_FLOAT_EQ(Get(f, "customer_amount_to_median"), 100.0f / 30.0f);
  EXPECT_EQ(Get(f, "amount"), 100);
  // A terminal never seen: zero counts, unknown ratios.
  EXPECT_EQ(Get(f, "terminal_count_30d"), 0);
  EXPECT_TRUE(std::isnan(Get(f, "terminal_mean_amount_30d")));
  EXPECT_EQ(Get(f, "customer_new_terminal"), 1);
  // Entities the order does not have are missing, not zero.
  EXPECT_TRUE(std::isnan(Get(f, "email_count_1d")));
  EXPECT_TRUE(std::isnan(Get(f, "billing_shipping_mismatch")));
  const auto g = store.Compute(MakeOrder("again", now, 5, "c1", "t1"));
  EXPECT_EQ(Get(g, "customer_new_terminal"), 0);
}

TEST(FeatureStore, LabelsWaitForTheDelay) {
  FeatureStore store;  // 7-day delay.
  store.Observe(MakeOrder("bad", kT0, 50, "c1", "t1"), true);
  store.Observe(MakeOrder("good", kT0 + 1000, 50, "c2", "t1"), false);
  struct Case {
    int64_t after;
    float known_frauds;
    float risk_7d;
  };
  const Case cases[] = {
      {6 * kMillisPerDay, 0, NAN},        // Inside the delay: invisible.
      {7 * kMillisPerDay - 1, 0, NAN},    // One ms short.
      {7 * kMillisPerDay + 1000, 1, 0.5}, // Both old enough: 1 fraud of 2.
      {20 * kMillisPerDay, 1, NAN},       // Out of the 7-day risk window.
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.after);
    const auto f = store.Compute(MakeOrder("x", kT0 + c.after, 10, "c3", "t1"));
    EXPECT_EQ(Get(f, "terminal_known_frauds_30d"), c.known_frauds);
    if (std::isnan(c.risk_7d)) {
      EXPECT_TRUE(std::isnan(Get(f, "terminal_risk_7d")));
    } else {
      EXPECT_FLOAT_EQ(Get(f, "terminal_risk_7d"), c.risk_7d);
    }
  }
}

TEST(FeatureStore, NewestKnownFraudsWaitForTheDelay) {
  FeatureStore store;  // 7-day delay.
  // t1: a genuine order, then a fraud of ordinary amount for its customer
  // (median 50), then another genuine order 1 h later.
  store.Observe(MakeOrder("a", kT0, 50, "c1", "t0"));
  store.Observe(MakeOrder("g", kT0 + kMillisPerHour, 40, "c2", "t1"), false);
  store.Observe(MakeOrder("bad", kT0 + 2 * kMillisPerHour, 25, "c1", "t1"), true);
  store.Observe(MakeOrder("ok", kT0 + 3 * kMillisPerHour, 30, "c3", "t1"), false);
  auto at = [&](int64_t t) { return store.Compute(MakeOrder("x", t, 10, "c9", "t1")); };
  const int64_t known = kT0 + 2 * kMillisPerHour + 7 * kMillisPerDay;  // Fraud usable.
  {
    const auto f = at(known - 1);  // One ms short: no known fraud yet.
    EXPECT_EQ(Get(f, "terminal_known_frauds_1d"), 0);
    EXPECT_TRUE(std::isnan(Get(f, "terminal_settled_since_last_known_fraud")));
    EXPECT_TRUE(std::isnan(Get(f, "terminal_last_known_fraud_amount_ratio")));
  }
  {
    const auto f = at(known);  // The fraud is the newest settled order.
    EXPECT_EQ(Get(f, "terminal_known_frauds_1d"), 1);
    EXPECT_EQ(Get(f, "terminal_settled_since_last_known_fraud"), 0);
    EXPECT_FLOAT_EQ(Get(f, "terminal_last_known_fraud_amount_ratio"), 0.5f);  // 25 / 50
  }
  {
    const auto f = at(known + kMillisPerHour);  // "ok" has settled after it.
    EXPECT_EQ(Get(f, "terminal_settled_since_last_known_fraud"), 1);
  }
  {
    const auto f = at(known + kMillisPerDay);  // Older than the newest known day.
    EXPECT_EQ(Get(f, "terminal_known_frauds_1d"), 0);
    EXPECT_EQ(Get(f, "terminal_known_frauds_30d"), 1);
  }
}

TEST(FeatureStore, CommonPointOfPurchaseFrauds) {
  FeatureStore store;  // 7-day delay.
  // Card c1 defrauded only at t1; card c2 at t1 and, an hour later, at t2.
  store.Observe(MakeOrder("f1", kT0, 20, "c1", "t1"), true);
  store.Observe(MakeOrder("f2", kT0 + 1000, 20, "c2", "t1"), true);
  store.Observe(MakeOrder("f3", kT0 + kMillisPerHour, 20, "c2", "t2"), true);
  auto cpp = [&](int64_t t, const char* name) {
    return Get(store.Compute(MakeOrder("x", t, 10, "c9", "t1")), name);
  };
  // Before any label is usable: none.
  EXPECT_EQ(cpp(kT0 + 7 * kMillisPerDay - 1, "terminal_cpp_frauds_30d"), 0);
  // f1 and f2 usable, f3 not yet: c2 has no other known fraud, both count.
  EXPECT_EQ(cpp(kT0 + 7 * kMillisPerDay + 1000, "terminal_cpp_frauds_30d"), 2);
  // Once f3 is usable, c2's fraud at t1 is a stolen card's, not the terminal's.
  EXPECT_EQ(cpp(kT0 + 7 * kMillisPerDay + kMillisPerHour, "terminal_cpp_frauds_30d"), 1);
  EXPECT_EQ(cpp(kT0 + 7 * kMillisPerDay + kMillisPerHour, "terminal_cpp_frauds_7d"), 1);
  // Out of the 7 known days, still in the 30.
  EXPECT_EQ(cpp(kT0 + 15 * kMillisPerDay, "terminal_cpp_frauds_7d"), 0);
  EXPECT_EQ(cpp(kT0 + 15 * kMillisPerDay, "terminal_cpp_frauds_30d"), 1);
  // An order without a terminal has none of these features.
  Order no_terminal = MakeOrder("y", kT0 + 8 * kMillisPerDay, 10, "c9", "");
  EXPECT_TRUE(std::isnan(Get(store.Compute(no_terminal), "terminal_cpp_frauds_30d")));
}

TEST(FeatureStore, LateLabelsMarkTheCardToo) {
  FeatureStore store;
  const Order at_t1 = MakeOrder("o1", kT0, 20, "c1", "t1");
  const Order at_t2 = MakeOrder("o2", kT0 + 1000, 20, "c1", "t2");
  store.Observe(at_t1);
  store.Observe(at_t2);
  EXPECT_EQ(store.AddLabel(at_t1, true, kT0 + 8 * kMillisPerDay), 2);
  const Order x = MakeOrder("x", kT0 + 9 * kMillisPerDay, 1, "c9", "t1");
  EXPECT_EQ(Get(store.Compute(x), "terminal_cpp_frauds_30d"), 1);
  // The same card's other fraud, reported late too: no longer isolated.
  store.AddLabel(at_t2, true, kT0 + 8 * kMillisPerDay);
  EXPECT_EQ(Get(store.Compute(x), "terminal_cpp_frauds_30d"), 0);
  // Withdrawn (a chargeback reversed): isolated again.
  store.AddLabel(at_t2, false, kT0 + 8 * kMillisPerDay);
  EXPECT_EQ(Get(store.Compute(x), "terminal_cpp_frauds_30d"), 1);
  // A forgotten customer's order leaves the terminal's aggregate unlinked.
  store.Forget(at_t1);
  EXPECT_EQ(Get(store.Compute(x), "terminal_cpp_frauds_30d"), 0);
  EXPECT_EQ(Get(store.Compute(x), "terminal_known_frauds_30d"), 1);
}

TEST(FeatureStore, LateLabelsCountFromTheirArrival) {
  FeatureStore store;
  const Order order = MakeOrder("o1", kT0, 50, "c1", "t1");
  store.Observe(order);
  EXPECT_EQ(store.AddLabel(order, true, kT0 + 10 * kMillisPerDay), 2);  // customer + terminal
  auto at = [&](int64_t after) {
    return Get(store.Compute(MakeOrder("x", kT0 + after, 1, "c9", "t1")),
               "terminal_known_frauds_30d");
  };
  EXPECT_EQ(at(9 * kMillisPerDay), 0);  // Old enough, but not arrived yet.
  EXPECT_EQ(at(10 * kMillisPerDay), 1);
  EXPECT_EQ(store.AddLabel(MakeOrder("unknown", kT0, 1, "zz", "zz"), true, kT0), 0);
}

TEST(FeatureStore, MemoryIsBoundedPerKey) {
  FeatureStoreOptions options;
  options.max_events_per_key = 16;
  FeatureStore store(options);
  for (int i = 0; i < 1000; ++i) {
    store.Observe(MakeOrder(std::to_string(i), kT0 + i * 1000, 1, "c1", "t1"));
  }
  const auto f = store.Compute(MakeOrder("x", kT0 + 1000 * 1000, 1, "c1", "t1"));
  EXPECT_EQ(Get(f, "customer_count_1d"), 16);
  const auto memory = store.Memory();
  EXPECT_EQ(memory.tracked_keys, 3u);  // customer, terminal, (customer, terminal)
  EXPECT_LT(memory.BytesPerKey(), 1024);
}

TEST(FeatureStore, ForgetsStateOlderThanRetention) {
  FeatureStore store;
  store.Observe(MakeOrder("old", kT0, 1, "c1", "t1"));
  store.Observe(MakeOrder("new", kT0 + 60 * kMillisPerDay, 1, "c2", "t2"));
  EXPECT_EQ(store.Memory().tracked_keys, 3u);
  const auto f = store.Compute(MakeOrder("x", kT0 + 60 * kMillisPerDay, 1, "c1", "t1"));
  EXPECT_EQ(Get(f, "customer_count_30d"), 0);
}

TEST(FeatureStore, OrderLevelFeatures) {
  FeatureStore store;
  Order o = MakeOrder("o", 0, 80, "c", "t");  // 1970-01-01 00:00, a Thursday.
  o.billing_country = "FR";
  o.shipping_country = "DE";
  o.ip_country = "DE";
  o.ip_lat = 48.8566;
  o.ip_lon = 2.3522;  // Paris
  o.shipping_lat = 52.52;
  o.shipping_lon = 13.405;  // Berlin
  o.discount_amount = 20;
  o.payment_attempts = 2;
  const auto f = store.Compute(o);
  EXPECT_EQ(Get(f, "billing_shipping_mismatch"), 1);
  EXPECT_EQ(Get(f, "ip_shipping_mismatch"), 0);
  EXPECT_NEAR(Get(f, "ip_shipping_km"), 878, 5);
  EXPECT_FLOAT_EQ(Get(f, "discount_ratio"), 0.2f);
  EXPECT_EQ(Get(f, "payment_attempts"), 2);
  EXPECT_EQ(Get(f, "day_of_week"), 3);
  EXPECT_EQ(Get(f, "is_night"), 1);
}

}  // namespace
}  // namespace storepilot::fraud
