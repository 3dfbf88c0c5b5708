#include "overload/customer_value.h"

#include <string>

#include "gtest/gtest.h"
#include "ingest/event.h"
#include "overload/customer_value_sink.h"

namespace storepilot::overload {
namespace {

constexpr int64_t kDay = 86'400'000;

TEST(CustomerValue, RanksByRecencyFrequencyMonetary) {
  CustomerValueModel m;
  // 50 one-off small buyers long ago, a regular big spender, a recent one-off.
  for (int i = 0; i < 50; ++i) m.ObservePurchase("s", "c" + std::to_string(i), i * kDay, 10);
  for (int i = 0; i < 12; ++i) m.ObservePurchase("s", "vip", (60 + i) * kDay, 300);
  m.ObservePurchase("s", "new", 80 * kDay, 15);
  CustomerValue vip = m.Value("s", "vip"), fresh = m.Value("s", "new"), old = m.Value("s", "c0");
  EXPECT_TRUE(vip.known);
  EXPECT_EQ(vip.orders, 12u);
  EXPECT_DOUBLE_EQ(vip.monetary, 3600);
  EXPECT_GT(vip.score, fresh.score);
  EXPECT_GT(fresh.score, old.score);
  EXPECT_EQ(vip.frequency, 5);
  EXPECT_EQ(old.recency, 1);
  EXPECT_FALSE(m.Value("s", "nobody").known);
  EXPECT_FALSE(m.Value("other-shop", "vip").known);  // per shop
  Identity v{"s", "vip", ""}, o{"s", "c0", ""}, anon{"s", "", ""}, logged{"s", "x", ""};
  EXPECT_GT(m.UserPriority(v), m.UserPriority(o));
  EXPECT_EQ(m.UserPriority(logged), 2);
  EXPECT_EQ(m.UserPriority(anon), 0);
  EXPECT_LE(m.UserPriority(v), kMaxUserPriority);
}

TEST(CustomerValue, ForgetsACustomerTheirSessionsOrAShop) {
  CustomerValueModel m;
  m.ObservePurchase("s", "ada", kDay, 120);
  m.ObservePurchase("s", "bob", kDay, 30);
  m.ObservePurchase("t", "ada", kDay, 50);
  m.ObserveCart("s", "cart-ada", 3);
  m.ObserveCart("s", "cart-bob", 1);
  ASSERT_EQ(m.customers(), 3u);
  EXPECT_TRUE(m.Forget("s", "ada", {"cart-ada"}));
  EXPECT_FALSE(m.Value("s", "ada").known);
  EXPECT_EQ(m.UserPriority({"s", "ada", "cart-ada"}), m.UserPriority({"s", "nobody", ""}));
  EXPECT_EQ(m.Session("s", "cart-ada").cart_items, 0);
  EXPECT_TRUE(m.Value("s", "bob").known);
  EXPECT_TRUE(m.Value("t", "ada").known);  // another shop's customer
  EXPECT_EQ(m.customers(), 2u);
  EXPECT_FALSE(m.Forget("s", "ada", {"cart-ada"}));
  m.ForgetShop("s");
  EXPECT_FALSE(m.Value("s", "bob").known);
  EXPECT_EQ(m.Session("s", "cart-bob").cart_items, 0);
  EXPECT_EQ(m.customers(), 1u);
  EXPECT_EQ(m.sessions(), 0u);
}

TEST(CustomerValue, AnonymousSessionSignals) {
  CustomerValueModel m;
  Identity s{"s", "", "sess"};
  EXPECT_EQ(m.UserPriority(s), 0);
  m.ObserveCart("s", "sess", 1);
  EXPECT_EQ(m.UserPriority(s), 1);
  m.ObserveCart("s", "sess", 2);
  EXPECT_EQ(m.UserPriority(s), 2);
  m.ObserveCart("s", "sess", -10);
  EXPECT_EQ(m.Session("s", "sess").cart_items, 0);
  m.ObserveCheckout("s", "sess");
  EXPECT_EQ(m.UserPriority(s), 4);
  m.ObserveOrderPlaced("s", "sess");
  EXPECT_EQ(m.UserPriority(s), 0);
}

TEST(CustomerValue, MemoryIsBounded) {
  CustomerValueOptions o;
  o.max_customers = 100;
  o.max_sessions = 50;
  o.refit_every = 10;
  CustomerValueModel m(o);
  for (int i = 0; i < 1000; ++i) {
    m.ObservePurchase("s", "c" + std::to_string(i), i, 1);
    m.ObserveCart("s", "s" + std::to_string(i), 1);
  }
  EXPECT_LE(m.customers(), 101u);
  EXPECT_LE(m.sessions(), 50u);
  EXPECT_TRUE(m.Value("s", "c999").known);  // the most recent are kept
  EXPECT_EQ(m.Session("s", "s999").cart_items, 1);
}

TEST(CustomerValueSink, LearnsFromEvents) {
  CustomerValueModel m;
  CustomerValueSink sink(&m);
  auto apply = [&](ingest::Event e) {
    std::string payload;
    ingest::EncodeEvent(e, &payload);
    sink.Apply({0, 1, store::RecordType::kEvent, "shop", payload});
  };
  ingest::Event purchase;
  purchase.type = ingest::EventType::kPurchase;
  purchase.user_id = "u1";
  purchase.session_id = "s1";
  purchase.ts_ms = 1000;
  purchase.items = {{"p1", 2, 10.0}, {"p2", 1, 5.5}};
  apply(purchase);
  EXPECT_DOUBLE_EQ(m.Value("shop", "u1").monetary, 25.5);
  ingest::Event single = purchase;
  single.items.clear();
  single.quantity = 3;
  single.price = 2.0;
  apply(single);
  EXPECT_DOUBLE_EQ(m.Value("shop", "u1").monetary, 31.5);
  EXPECT_EQ(m.Value("shop", "u1").orders, 2u);
  ingest::Event cart;
  cart.type = ingest::EventType::kAddToCart;
  cart.session_id = "s2";
  cart.quantity = 2;
  apply(cart);
  EXPECT_EQ(m.Session("shop", "s2").cart_items, 2);
  ingest::Event checkout;
  checkout.type = ingest::EventType::kCheckout;
  checkout.session_id = "s2";
  apply(checkout);
  EXPECT_TRUE(m.Session("shop", "s2").checkout_started);
  sink.Apply({0, 2, store::RecordType::kEvent, "shop", "garbage"});  // skipped
  sink.Apply({0, 3, store::RecordType::kProductDelete, "shop", "p1"});
  EXPECT_EQ(m.customers(), 1u);
}

}  // namespace
}  // namespace storepilot::overload
