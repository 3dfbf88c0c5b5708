#include "overload/priority.h"

#include "gtest/gtest.h"

namespace storepilot::overload {
namespace {

TEST(Classify, RoutesAndHeader) {
  struct Case {
    const char* method;
    const char* path;
    const char* header;
    RequestClass want;
    bool exempt;
  } cases[] = {
      {"POST", "/webhooks/shopify", "", RequestClass::kCritical, true},
      {"POST", "/webhooks/shopify", "low", RequestClass::kCritical, true},
      {"GET", "/healthz", "", RequestClass::kCritical, true},
      {"POST", "/v1/shops/s/orders/o1/risk", "", RequestClass::kCritical, false},
      {"POST", "/v1/shops/s/checkout", "", RequestClass::kCritical, false},
      {"POST", "/v1/admission/decide", "", RequestClass::kCritical, false},
      {"POST", "/v1/shops/s/cart/items", "", RequestClass::kHigh, false},
      {"POST", "/v1/admin/shops", "", RequestClass::kHigh, false},
      {"GET", "/v1/shops/s/products/p1", "", RequestClass::kNormal, false},
      {"GET", "/v1/shops/s/search", "", RequestClass::kNormal, false},
      {"GET", "/v1/shops/s/recommendations", "", RequestClass::kNormal, false},
      {"POST", "/v1/shops/s/events", "", RequestClass::kLow, false},
      {"POST", "/v1/shops/s/events", "Critical", RequestClass::kCritical, false},
      {"POST", "/v1/shops/s/events", " high ", RequestClass::kHigh, false},
      {"POST", "/v1/shops/s/events", "urgent", RequestClass::kLow, false},
      {"POST", "/v1/shops/s/products:batch", "", RequestClass::kLow, false},
      {"GET", "/v1/shops/s/stats", "", RequestClass::kLow, false},
      {"GET", "/metrics", "", RequestClass::kCritical, true},
      {"GET", "/v1/shops/s/products/p1", "low", RequestClass::kLow, false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.method) + " " + c.path + " [" + c.header + "]");
    Classification got = Classify(c.method, c.path, c.header);
    EXPECT_EQ(got.cls, c.want);
    EXPECT_EQ(got.exempt, c.exempt);
  }
}

TEST(ParseClass, NamesRoundTrip) {
  for (int c = 0; c < kNumClasses; ++c) {
    auto cls = static_cast<RequestClass>(c);
    EXPECT_EQ(ParseClass(ClassName(cls)), cls);
  }
  EXPECT_EQ(ParseClass(""), std::nullopt);
  EXPECT_EQ(ParseClass("lowest"), std::nullopt);
}

TEST(ExtractIdentity, HeadersWinOverQuery) {
  Identity a = ExtractIdentity("/v1/shops/my%2Dshop/recommendations?user_id=u%201&session_id=s9",
                               "", "");
  EXPECT_EQ(a.shop, "my-shop");
  EXPECT_EQ(a.customer_id, "u 1");
  EXPECT_EQ(a.session_id, "s9");
  Identity b = ExtractIdentity("/v1/shops/x/products/p?customer_id=c2", "hdr-c", "hdr-s");
  EXPECT_EQ(b.customer_id, "hdr-c");
  EXPECT_EQ(b.session_id, "hdr-s");
  Identity c = ExtractIdentity("/healthz", "", "");
  EXPECT_EQ(c.shop, "");
  EXPECT_EQ(c.customer_id, "");
  Identity d = ExtractIdentity("/v1/shops/x/p?customer_id=c%2", "", "");
  EXPECT_EQ(d.customer_id, "c%2");  // malformed escape kept as is
}

}  // namespace
}  // namespace storepilot::overload
