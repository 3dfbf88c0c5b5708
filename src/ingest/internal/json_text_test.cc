#include "ingest/internal/json_text.h"

#include <cstring>
#include <limits>
#include <random>
#include <string>

#include "gtest/gtest.h"
#include "ingest/internal/shopify_order_decoder.h"
#include "ingest/shop_registry.h"
#include "ingest/testdata/shopify_payloads.h"

namespace storepilot::ingest {
namespace {

using json = nlohmann::json;

constexpr char kControls[] = "nul\0 x\x01 y\x1f z\x7f";

void ExpectSameAsDump(const json& j) {
  SCOPED_TRACE(j.dump());
  EXPECT_EQ(CompactJson(j), j.dump());
}

TEST(CompactJson, EqualsDumpOnScalarsAndContainers) {
  for (const json& j : {
           json(nullptr), json(true), json(false), json(0), json(-1), json(int64_t{-9223372036854775807 - 1}),
           json(std::numeric_limits<uint64_t>::max()), json(0.0), json(-0.0), json(1.0), json(0.1),
           json(10.5), json(1e21), json(1e-7), json(123456789012345680.0), json(-2.5e-300),
           json(std::numeric_limits<double>::quiet_NaN()), json(std::numeric_limits<double>::infinity()),
           json(std::numeric_limits<double>::denorm_min()), json(std::numeric_limits<double>::max()),
           json(""), json("plain"), json("quote\" back\\ slash/ tab\t nl\n cr\r ff\f bs\b"),
           json(std::string(kControls, sizeof kControls - 1)), json::object(), json::array(),
           json::parse(R"({"b": [1, 2.5, {"c": null}], "a": {"": "", "e\"k": [[]]}, "z": {}})"),
       }) {
    ExpectSameAsDump(j);
  }
}

TEST(CompactJson, EqualsDumpOnRandomDoubles) {
  std::mt19937_64 rng(3);
  for (int i = 0; i < 20000; ++i) {
    double d;
    const uint64_t bits = rng();
    std::memcpy(&d, &bits, sizeof d);
    ASSERT_EQ(CompactJson(json(d)), json(d).dump()) << bits;
    const double money = static_cast<double>(rng() % 10000000) / 100.0;
    ASSERT_EQ(CompactJson(json(money)), json(money).dump()) << money;
  }
}

TEST(CompactJson, NonAsciiIsLeftToDump) {
  ExpectSameAsDump(json("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
  ExpectSameAsDump(json::parse(R"({"title": "Th\u00e9 vert", "k\u00e9y": 1})"));
  // Invalid UTF-8 (a title cut inside a character): both throw.
  const json cut = json{{"title", std::string("caf\xc3")}};
  EXPECT_THROW(cut.dump(), json::type_error);
  EXPECT_THROW(CompactJson(cut), json::type_error);
}

TEST(CompactJson, EqualsDumpOnCanonicalOrders) {
  ShopRegistry shops;
  shops.AddFromConfig("northwind", "northwind-token-0123456789", "whsec_northwind");
  PiiHasher hasher(&shops);
  for (const char* body : {testdata::kOrderCreate, testdata::kOrderCreate2, testdata::kOtherOrder}) {
    auto order = CanonicalShopifyOrder(json::parse(body), "orders/create", "", "northwind", hasher);
    ASSERT_TRUE(order.ok()) << order.status();
    ExpectSameAsDump(*order);
    ExpectSameAsDump(json::parse(body));
  }
}

}  // namespace
}  // namespace storepilot::ingest
