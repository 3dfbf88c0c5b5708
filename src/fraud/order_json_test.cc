#include "fraud/order_json.h"

#include <cmath>
#include <functional>

#include "gtest/gtest.h"

namespace storepilot::fraud {
namespace {

using nlohmann::json;

json FullOrder() {
  return json::parse(R"({
    "id": 1001, "created_at": "2026-11-27T10:00:00Z", "customer_id": 77,
    "email": "A@B.C", "total_price": "123.45", "total_discounts": 5.0,
    "line_items": [{"product_id": "p1", "quantity": 2, "price": 10.5}],
    "billing_address": {"country_code": "us"},
    "shipping_address": {"country_code": "FR", "city": "Paris", "zip": "75001",
                         "address1": " 1 Rue de Rivoli ", "latitude": 48.86, "longitude": 2.35},
    "browser_ip": "1.2.3.4", "ip_country": "de",
    "client_details": {"user_agent": "x", "device_id": "d9"},
    "payment": {"card_fingerprint": "fp1", "attempts": 3},
    "customer_orders_count": 4, "unknown_field": [1, 2]})");
}

TEST(OrderFromJson, MapsTheContractFields) {
  auto o = OrderFromJson(FullOrder());
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->order_id, "1001");
  EXPECT_EQ(o->time_ms, 1'795'773'600'000);
  EXPECT_DOUBLE_EQ(o->amount, 123.45);
  EXPECT_EQ(o->customer_id, "77");
  EXPECT_EQ(o->email, "a@b.c");
  EXPECT_EQ(o->billing_country, "US");
  EXPECT_EQ(o->shipping_country, "FR");
  EXPECT_EQ(o->ip_country, "DE");
  EXPECT_EQ(o->shipping_address, "1 rue de rivoli|75001|paris|fr");
  EXPECT_DOUBLE_EQ(o->shipping_lat, 48.86);
  EXPECT_EQ(o->ip, "1.2.3.4");
  EXPECT_EQ(o->device_id, "d9");
  EXPECT_EQ(o->card_fingerprint, "fp1");
  EXPECT_EQ(o->payment_attempts, 2);
  EXPECT_DOUBLE_EQ(o->discount_amount, 5.0);
  EXPECT_EQ(o->customer_orders_count, 4);
}

TEST(OrderFromJson, MinimalOrderLeavesTheRestUnknown) {
  auto o = OrderFromJson(
      {{"id", "a"}, {"created_at", 1'700'000'000'000}, {"total_price", 0}, {"email", nullptr}});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_TRUE(o->customer_id.empty());
  EXPECT_TRUE(std::isnan(o->discount_amount));
  EXPECT_TRUE(std::isnan(o->shipping_lat));
  EXPECT_EQ(o->payment_attempts, -1);
  EXPECT_EQ(o->customer_orders_count, -1);
}

TEST(OrderFromJson, DiscountCodesSumWhenNoTotal) {
  json j = {{"id", "a"}, {"created_at", 1'700'000'000'000}, {"total_price", 10},
            {"discount_codes", {{{"code", "BF"}, {"amount", 2}}, {{"code", "X"}, {"amount", "1.5"}}}}};
  auto o = OrderFromJson(j);
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_DOUBLE_EQ(o->discount_amount, 3.5);
}

TEST(OrderFromJson, RejectsBadInputNamingTheField) {
  struct Case {
    const char* name;
    std::function<void(json&)> edit;
    const char* field;
  };
  const Case cases[] = {
      {"missing id", [](json& j) { j.erase("id"); }, "id"},
      {"id object", [](json& j) { j["id"] = json::object(); }, "id"},
      {"missing created_at", [](json& j) { j.erase("created_at"); }, "created_at"},
      {"bad created_at", [](json& j) { j["created_at"] = "yesterday"; }, "created_at"},
      {"missing price", [](json& j) { j.erase("total_price"); }, "total_price"},
      {"price text", [](json& j) { j["total_price"] = "lots"; }, "total_price"},
      {"negative price", [](json& j) { j["total_price"] = -1; }, "amount"},
      {"email number", [](json& j) { j["email"] = 5; }, "email"},
      {"address string", [](json& j) { j["shipping_address"] = "x"; }, "shipping_address"},
      {"attempts zero", [](json& j) { j["payment"]["attempts"] = 0; }, "payment.attempts"},
      {"codes object", [](json& j) { j.erase("total_discounts"); j["discount_codes"] = 1; },
       "discount_codes"},
      {"count negative", [](json& j) { j["customer_orders_count"] = -2; },
       "customer_orders_count"},
      {"count fractional", [](json& j) { j["customer_orders_count"] = 2.5; },
       "customer_orders_count"},
      {"count string", [](json& j) { j["customer_orders_count"] = "4"; },
       "customer_orders_count"},
      {"too old", [](json& j) { j["created_at"] = 5; }, "order time"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    json j = FullOrder();
    c.edit(j);
    auto o = OrderFromJson(j);
    ASSERT_FALSE(o.ok());
    EXPECT_EQ(o.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(o.status().message().find(c.field), std::string::npos) << o.status();
  }
  EXPECT_FALSE(OrderFromJson(json::array()).ok());
  // The canonical order (ingest/order.cc) stores counts as doubles.
  json j = FullOrder();
  j["customer_orders_count"] = 4.0;
  auto o = OrderFromJson(j);
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->customer_orders_count, 4);
}

}  // namespace
}  // namespace storepilot::fraud
