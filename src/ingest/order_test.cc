#include "ingest/order.h"

#include "common/crypto.h"
#include "gtest/gtest.h"

namespace storepilot::ingest {
namespace {

using json = nlohmann::json;

TEST(CanonicalOrder, AcceptsTheStorepilotSchema) {
  ShopRegistry shops;
  shops.AddFromConfig("s", "s-api-token-0123456789", "secret");
  PiiHasher hasher(&shops);
  json in = {{"id", 1001},
             {"created_at", 1795773600000},
             {"total_price", 123.45},
             {"customer_id", "c1"},
             {"line_items", {{{"product_id", "p1"}, {"quantity", 2}, {"price", 10.5}}}},
             {"payment", {{"card_fingerprint", "fp"}, {"attempts", 2}}},
             {"cart_token", "ct"}};
  auto out = CanonicalOrder(in, "s", hasher);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ((*out)["id"], "1001");
  EXPECT_EQ((*out)["created_at"], "2026-11-27T10:00:00.000Z");
  EXPECT_EQ((*out)["payment"]["attempts"], 2);
  EXPECT_EQ(OrderVersionMillis(*out), 1795773600000);
}

// Stored hashes must not change: the keyed hash is HMAC-SHA256 under the
// shop's derived key, in lower-case hex, whatever way it is computed.
TEST(PiiHasher, IsHmacSha256UnderTheShopsDerivedKey) {
  ShopRegistry shops;
  shops.AddFromConfig("s", "s-api-token-0123456789", "secret");
  PiiHasher hasher(&shops);
  const std::string key = HmacSha256Hex("secret", "storepilot-pii-v1:s");
  for (const std::string& value :
       {std::string(), std::string("203.0.113.7"), std::string(200, 'x')}) {
    SCOPED_TRACE(value);
    EXPECT_EQ(hasher.Hash("s", value), HmacSha256Hex(key, value));
    EXPECT_EQ(hasher.Hash("s", value), hasher.Hash("s", value));  // cached key
  }
  EXPECT_EQ(hasher.HashEmail("s", " Ada@Example.ORG "), HmacSha256Hex(key, "ada@example.org"));
  // A shop that does not exist: a key from the empty secret, not cached.
  EXPECT_EQ(hasher.Hash("nobody", "v"),
            HmacSha256Hex(HmacSha256Hex("", "storepilot-pii-v1:nobody"), "v"));
}

TEST(CanonicalOrder, RejectsBadFields) {
  ShopRegistry shops;
  PiiHasher hasher(&shops);
  const json base = {{"id", "1"}, {"created_at", "2026-11-27T10:00:00Z"}, {"total_price", 1}};
  struct Case {
    const char* field;
    json value;  // null: remove the field
  };
  for (const Case& c : std::vector<Case>{{"id", nullptr},
                                         {"id", ""},
                                         {"id", json::array()},
                                         {"created_at", nullptr},
                                         {"created_at", "yesterday"},
                                         {"updated_at", true},
                                         {"total_price", nullptr},
                                         {"total_price", "abc"},
                                         {"line_items", "x"},
                                         {"line_items", {{{"quantity", -1}}}},
                                         {"line_items", {{{"price", "x"}}}},
                                         {"billing_address", 3},
                                         {"shipping_address", {{"latitude", "north"}}},
                                         {"discount_codes", {1}}}) {
    SCOPED_TRACE(std::string(c.field) + "=" + c.value.dump());
    json in = base;
    if (c.value.is_null()) {
      in.erase(c.field);
    } else {
      in[c.field] = c.value;
    }
    auto out = CanonicalOrder(in, "s", hasher);
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(out.status().message().find(c.field), std::string::npos);
  }
  EXPECT_FALSE(CanonicalOrder(json::array(), "s", hasher).ok());
}

TEST(OrderStore, KeepsTheNewestVersionAndFindsByCustomer) {
  OrderStore store;
  int told = 0;
  store.AddListener([&](std::string_view, const json&) { ++told; });
  json v1 = {{"id", "1"}, {"updated_at", "2026-11-27T10:00:00.000Z"}, {"customer_id", "c"},
             {"email", "abc@x.org"}};
  json v0 = v1;
  v0["updated_at"] = "2026-11-27T09:00:00.000Z";
  bool created = false;
  EXPECT_TRUE(store.Upsert("s", v1, &created));
  EXPECT_TRUE(created);
  EXPECT_FALSE(store.Upsert("s", v0));
  EXPECT_TRUE(store.Upsert("s", v1, &created));
  EXPECT_FALSE(created);
  EXPECT_EQ(told, 2);
  EXPECT_EQ(store.Find("s", "", "abc", {}).size(), 1u);
  EXPECT_EQ(store.Find("s", "nobody", "", {"2"}).size(), 0u);
  EXPECT_EQ(store.Erase("s", "c", "", {}), std::vector<std::string>{"1"});
  EXPECT_EQ(store.Count("s"), 0u);
}

}  // namespace
}  // namespace storepilot::ingest
