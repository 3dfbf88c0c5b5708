#include "ingest/internal/shopify_order_decoder.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ingest/shop_registry.h"
#include "ingest/testdata/shopify_payloads.h"

namespace storepilot::ingest {
namespace {

using json = nlohmann::json;
constexpr char kShop[] = "northwind";

// What the decoder must do with a body: decode it (the shapes Shopify sends),
// leave it to the reference path, or either (inputs where the two parsers
// may type a number differently; the decoded order must then still equal
// the reference's).
enum class Want { kDecoded, kReference, kEither };

struct Case {
  const char* name;
  std::string body;
  Want want;
  std::string topic = "orders/create";
  std::string triggered_at = "2026-11-27T15:00:05Z";
};

// A small order with `extra` spliced in at its end (so a repeated key there
// wins, as in nlohmann).
std::string Order(const std::string& extra) {
  return R"({"id": 1001, "created_at": "2026-11-27T10:00:00-05:00", "total_price": "10.00",
             "line_items": [{"product_id": 8001, "quantity": 2, "price": "5.00"}])" +
         extra + "}";
}

std::vector<Case> Cases() {
  std::vector<Case> cases = {
      {"order_create", testdata::kOrderCreate, Want::kDecoded},
      {"order_create_2", testdata::kOrderCreate2, Want::kDecoded},
      {"other_order", testdata::kOtherOrder, Want::kDecoded},
      {"minimal", Order(""), Want::kDecoded},
      {"string_id", R"({"id": "A-1", "created_at": 1795000000000, "total_price": 3})",
       Want::kDecoded},
      {"id_above_int64", Order(R"(, "id": 18446744073709551615)"), Want::kDecoded},
      {"negative_id", Order(R"(, "id": -7)"), Want::kDecoded},
      {"duplicate_key_last_wins", Order(R"(, "currency": "EUR", "currency": "USD")"),
       Want::kDecoded},
      {"escaped_key_and_text", Order(R"(, "i\u0064": "x\u00e9\/y", "currency": "\u20ac")"),
       Want::kDecoded},
      {"empty_refunds", Order(R"(, "refunds": [])"), Want::kDecoded},
      {"refunds_not_array", Order(R"(, "refunds": null)"), Want::kDecoded},
      {"refunded_amount_null_and_refunds", Order(R"(, "refunded_amount": null, "refunds": [])"),
       Want::kDecoded},
      {"refunded_amount_given", Order(R"(, "refunded_amount": "2.50", "refunds": [{"id": 1}])"),
       Want::kDecoded},
      {"cancelled_from_header", Order(""), Want::kDecoded, "orders/cancelled"},
      {"cancelled_null_kept", Order(R"(, "cancelled_at": null)"), Want::kDecoded,
       "orders/cancelled"},
      {"cancelled_no_header", Order(""), Want::kDecoded, "orders/cancelled", ""},
      {"cancelled_bad_header", Order(""), Want::kReference, "orders/cancelled", "yesterday"},
      {"email_from_customer",
       Order(R"(, "email": "", "customer": {"id": "c9", "email": " Bo@Ex.ORG ", "orders_count": 4})"),
       Want::kDecoded},
      {"customer_not_object", Order(R"(, "customer": "c9", "email": "a@b.c")"), Want::kDecoded},
      {"customer_id_wins_over_nested",
       Order(R"(, "customer_id": 55, "customer": {"id": 66, "orders_count": 2.5})"),
       Want::kDecoded},
      {"customer_id_bool_then_nested", Order(R"(, "customer_id": true, "customer": {"id": 66})"),
       Want::kDecoded},
      {"ip_from_client_details",
       Order(R"(, "client_details": {"browser_ip": "10.0.0.1", "device_id": 77, "user_agent": null})"),
       Want::kDecoded},
      {"ip_not_string", Order(R"(, "browser_ip": 12, "client_details": {"browser_ip": "10.0.0.1"})"),
       Want::kDecoded},
      {"client_details_not_object", Order(R"(, "client_details": [1])"), Want::kDecoded},
      {"numbers_as_strings",
       Order(R"(, "subtotal_price": "9.5", "customer_orders_count": "3", "total_discounts": 1)"),
       Want::kDecoded},
      {"address_numbers",
       Order(R"(, "shipping_address": {"country_code": "US", "zip": 10001, "latitude": "40.1", "longitude": -73})"),
       Want::kDecoded},
      {"payment", Order(R"(, "payment": {"card_fingerprint": "fp", "attempts": 3})"),
       Want::kDecoded},
      {"payment_attempts_string", Order(R"(, "payment": {"attempts": "3"})"), Want::kDecoded},
      {"payment_not_object", Order(R"(, "payment": 3)"), Want::kDecoded},
      {"discount_codes", Order(R"(, "discount_codes": [{"code": "BF", "amount": "1.5"}, {}])"),
       Want::kDecoded},
      {"long_title", Order(R"(, "line_items": [{"title": ")" + std::string(5000, 't') + R"("}])"),
       Want::kDecoded},
      {"line_item_ids", Order(R"(, "line_items": [{"id": "x", "product_id": "p", "variant_id": 9, "sku": 12}])"),
       Want::kDecoded},
      {"epoch_times", Order(R"(, "created_at": 1795000000000, "updated_at": 1795000000001)"),
       Want::kDecoded},
      // The reference path decides these.
      {"refunds", Order(R"(, "refunds": [{"id": 1, "transactions": [{"amount": "2.00"}]}])"),
       Want::kReference},
      {"refund_ids", Order(R"(, "refund_ids": ["1"])"), Want::kReference},
      {"float_id", Order(R"(, "id": 1.5)"), Want::kReference},
      {"empty_id", Order(R"(, "id": "")"), Want::kReference},
      {"no_created_at", R"({"id": 1, "total_price": 1})", Want::kReference},
      {"bad_time", Order(R"(, "updated_at": "soon")"), Want::kReference},
      {"bad_price", Order(R"(, "total_price": "abc")"), Want::kReference},
      {"infinite_price", Order(R"(, "total_price": "inf")"), Want::kReference},
      {"float_quantity", Order(R"(, "line_items": [{"quantity": 2.0}])"), Want::kReference},
      {"negative_quantity", Order(R"(, "line_items": [{"quantity": -1}])"), Want::kReference},
      {"line_items_not_array", Order(R"(, "line_items": {})"), Want::kReference},
      {"line_item_not_object", Order(R"(, "line_items": [1])"), Want::kReference},
      {"discount_not_object", Order(R"(, "discount_codes": [1])"), Want::kReference},
      {"discounts_not_array", Order(R"(, "discount_codes": {})"), Want::kReference},
      {"address_not_object", Order(R"(, "billing_address": "x")"), Want::kReference},
      {"float_attempts", Order(R"(, "payment": {"attempts": 2.0})"), Want::kReference},
      {"float_string_field", Order(R"(, "currency": 1.0)"), Want::kReference},
      {"lone_surrogate", Order(R"(, "currency": "\udc00")"), Want::kReference},
      {"surrogate_pair", Order(R"(, "currency": "\ud83d\ude00")"), Want::kReference},
      {"bom", "\xEF\xBB\xBF" + Order(""), Want::kReference},
      {"trailing", Order("") + " x", Want::kReference},
      {"invalid_utf8", Order(", \"currency\": \"\xC3\x28\""), Want::kReference},
      {"empty", "", Want::kReference},
      {"array", "[]", Want::kReference},
      {"huge_integer", Order(R"(, "total_price": 123456789012345678901234567890)"),
       Want::kReference},
      // nlohmann reads -0 as the integer 0, simdjson as -0.0.
      {"minus_zero_price", Order(R"(, "total_price": -0)"), Want::kEither},
      {"minus_zero_float_price", Order(R"(, "total_price": -0.0)"), Want::kEither},
      {"minus_zero_id", Order(R"(, "id": -0)"), Want::kEither},
      {"minus_zero_quantity", Order(R"(, "line_items": [{"quantity": -0}])"), Want::kEither},
  };
  return cases;
}

TEST(ShopifyOrderDecoder, DecodesWhatTheReferenceBuildsOrLeavesItToIt) {
  ShopRegistry shops;
  shops.AddFromConfig(kShop, "northwind-api-token-0123", "whsec_northwind");
  PiiHasher hasher(&shops);
  ShopifyOrderDecoder decoder;
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.name);
    json body = json::parse(c.body, nullptr, false);
    absl::StatusOr<json> reference = absl::InvalidArgumentError("not a JSON object");
    if (body.is_object()) {
      reference = CanonicalShopifyOrder(body, c.topic, c.triggered_at, kShop, hasher);
    }
    std::optional<json> decoded = decoder.Decode(c.body, c.topic, c.triggered_at, kShop, hasher);
    if (c.want == Want::kDecoded) {
      ASSERT_TRUE(reference.ok()) << reference.status();
      ASSERT_TRUE(decoded.has_value());
    }
    if (c.want == Want::kReference) {
      EXPECT_FALSE(decoded.has_value());
    }
    if (decoded) {
      ASSERT_TRUE(reference.ok()) << reference.status();
      // Byte-identical where it is stored.
      EXPECT_EQ(decoded->dump(), reference->dump());
    }
  }
}

TEST(ShopifyOrderDecoder, ReusesItsBuffersAcrossBodiesOfAnySize) {
  ShopRegistry shops;
  PiiHasher hasher(&shops);
  ShopifyOrderDecoder decoder;
  const std::string big = testdata::kOrderCreate;
  for (const std::string& body : {big, Order(""), big, std::string("{"), Order("")}) {
    json parsed = json::parse(body, nullptr, false);
    std::optional<json> decoded = decoder.Decode(body, "orders/create", "", kShop, hasher);
    if (!parsed.is_object()) {
      EXPECT_FALSE(decoded.has_value());
      continue;
    }
    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ(decoded->dump(),
              CanonicalShopifyOrder(parsed, "orders/create", "", kShop, hasher)->dump());
  }
}

}  // namespace
}  // namespace storepilot::ingest
