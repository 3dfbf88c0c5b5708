#include "ingest/shopify_translator.h"

#include "common/crypto.h"
#include "gtest/gtest.h"
#include "ingest/testdata/shopify_payloads.h"

namespace storepilot::ingest {
namespace {

using json = nlohmann::json;
constexpr char kShop[] = "northwind";

class CapturingSink : public store::RecordSink {
 public:
  void Apply(const store::LogRecord& record) override {
    ASSERT_EQ(record.type, store::RecordType::kEvent);
    auto e = DecodeEvent(record.payload);
    ASSERT_TRUE(e.ok());
    events.push_back(*e);
  }
  std::vector<Event> events;
};

// Takes the events decoded; Apply (the encoded record) must then never be
// called for a derived event.
class DecodedSink : public EventSink {
 public:
  void Apply(const store::LogRecord& record) override { ++encoded_records; }
  void ApplyEvent(const store::LogRecord& record, const Event& event) override {
    EXPECT_EQ(record.type, store::RecordType::kEvent);
    EXPECT_EQ(record.shop, kShop);
    seqs.push_back(record.seq);
    events.push_back(event);
  }
  int encoded_records = 0;
  std::vector<uint64_t> seqs;
  std::vector<Event> events;
};

class TranslatorTest : public ::testing::Test {
 protected:
  TranslatorTest() {
    shops_.AddFromConfig(kShop, "northwind-api-token-0123", "whsec_northwind");
    ShopifyTranslatorDeps deps{&orders_, &catalog_, &shops_, &metrics_, &clock_, {&sink_, &decoded_sink_}};
    translator_ = std::make_unique<ShopifyTranslator>(std::move(deps));
  }

  void Deliver(const std::string& topic, const std::string& body,
               const std::string& triggered_at = "") {
    ShopifyDelivery d{topic, "northwind.myshopify.com", "wh-" + std::to_string(seq_), "",
                      triggered_at, "2025-10", body};
    const std::string payload = EncodeDelivery(d);
    store::LogRecord rec;
    rec.seq = ++seq_;
    rec.type = store::RecordType::kWebhook;
    rec.shop = kShop;
    rec.payload = payload;
    translator_->Apply(rec);
  }

  ShopRegistry shops_;
  OrderStore orders_;
  catalog::Catalog catalog_;
  observe::MetricsRegistry metrics_;
  FakeClock clock_{1'795'000'000'000'000};
  CapturingSink sink_;
  DecodedSink decoded_sink_;
  std::unique_ptr<ShopifyTranslator> translator_;
  uint64_t seq_ = 0;
};

// An EventSink gets exactly the events a sink of encoded records decodes.
TEST_F(TranslatorTest, EventSinksGetTheSameEventsDecoded) {
  Deliver("orders/create", testdata::kOrderCreate);
  Deliver("orders/create", testdata::kOtherOrder);
  Deliver("carts/create", testdata::kCartCreate);
  Deliver("carts/update", testdata::kCartUpdate);
  Deliver("checkouts/create", testdata::kCheckoutCreate);
  ASSERT_GE(sink_.events.size(), 5u);
  EXPECT_EQ(decoded_sink_.events, sink_.events);
  EXPECT_EQ(decoded_sink_.encoded_records, 0);
  EXPECT_EQ(decoded_sink_.seqs.front(), 1u);
  EXPECT_EQ(decoded_sink_.seqs.back(), 5u);
}

TEST_F(TranslatorTest, OrderBecomesCanonicalOrderWithHashedPersonalData) {
  std::vector<json> told;
  orders_.AddListener([&](std::string_view shop, const json& o) {
    EXPECT_EQ(shop, kShop);
    told.push_back(o);
  });
  Deliver("orders/create", testdata::kOrderCreate);
  auto order = orders_.Get(kShop, "5550001001");
  ASSERT_TRUE(order);
  ASSERT_EQ(told.size(), 1u);
  EXPECT_EQ(told[0], *order);
  EXPECT_EQ((*order)["customer_id"], "7001234567");
  EXPECT_DOUBLE_EQ((*order)["total_price"].get<double>(), 150.92);
  EXPECT_EQ((*order)["created_at"], "2026-11-27T15:00:00.000Z");
  EXPECT_EQ((*order)["line_items"].size(), 2u);
  EXPECT_EQ((*order)["line_items"][0]["product_id"], "8001");
  EXPECT_DOUBLE_EQ((*order)["line_items"][0]["price"].get<double>(), 49.5);
  EXPECT_EQ((*order)["billing_address"]["province_code"], "NY");
  EXPECT_EQ((*order)["discount_codes"][0]["code"], "BF10");
  EXPECT_EQ((*order)["client_details"]["accept_language"], "en-US,en;q=0.9");
  EXPECT_EQ((*order)["customer_orders_count"], 3);
  const std::string hash = translator_->hasher().HashEmail(kShop, "ada.lovelace@example.org");
  EXPECT_EQ((*order)["email"], hash + "@example.org");
  EXPECT_EQ((*order)["browser_ip"], translator_->hasher().Hash(kShop, "203.0.113.77"));
  const std::string dump = order->dump();
  for (const char* secret : {"ada.lovelace", "Ada.Lovelace", "203.0.113.77", "+1555"}) {
    EXPECT_EQ(dump.find(secret), std::string::npos) << secret;
  }
  // One purchase event per line item.
  ASSERT_EQ(sink_.events.size(), 2u);
  EXPECT_EQ(sink_.events[0].type, EventType::kPurchase);
  EXPECT_EQ(sink_.events[0].product_id, "8001");
  EXPECT_EQ(sink_.events[0].quantity, 2);
  EXPECT_EQ(sink_.events[0].user_id, "7001234567");
  EXPECT_EQ(sink_.events[0].session_id, "c1-9f8e7d6c5b4a");
  EXPECT_EQ(sink_.events[1].product_id, "8002");
  EXPECT_EQ(sink_.events[1].order_id, "5550001001");
}

TEST_F(TranslatorTest, HashIsKeyedPerShop) {
  shops_.AddFromConfig("other", "other-api-token-01234567", "whsec_other");
  EXPECT_NE(translator_->hasher().HashEmail(kShop, "a@b.c"),
            translator_->hasher().HashEmail("other", "a@b.c"));
  EXPECT_EQ(translator_->hasher().HashEmail(kShop, " A@B.c "),
            translator_->hasher().HashEmail(kShop, "a@b.c"));
}

TEST_F(TranslatorTest, OrderUpdatesAreOrderedAndEmitNoNewPurchases) {
  Deliver("orders/create", testdata::kOrderCreate);
  json updated = json::parse(testdata::kOrderCreate);
  updated["updated_at"] = "2026-11-27T16:00:00Z";
  updated["financial_status"] = "partially_paid";
  Deliver("orders/updated", updated.dump());
  json older = json::parse(testdata::kOrderCreate);
  older["updated_at"] = "2026-11-27T15:30:00Z";
  older["financial_status"] = "pending";
  Deliver("orders/updated", older.dump());
  EXPECT_EQ((*orders_.Get(kShop, "5550001001"))["financial_status"], "partially_paid");
  json cancelled = updated;
  cancelled["updated_at"] = "2026-11-27T17:00:00Z";
  cancelled["cancelled_at"] = "2026-11-27T17:00:00Z";
  Deliver("orders/cancelled", cancelled.dump());
  EXPECT_EQ((*orders_.Get(kShop, "5550001001"))["cancelled_at"], "2026-11-27T17:00:00.000Z");
  EXPECT_EQ(sink_.events.size(), 2u);
}

TEST_F(TranslatorTest, RefundUpdatesTheOrderOnce) {
  Deliver("orders/create", testdata::kOrderCreate);
  Deliver("refunds/create", testdata::kRefundCreate);
  Deliver("refunds/create", testdata::kRefundCreate);
  auto order = orders_.Get(kShop, "5550001001");
  EXPECT_DOUBLE_EQ((*order)["refunded_amount"].get<double>(), 40.0);
  EXPECT_EQ((*order)["financial_status"], "partially_refunded");
  EXPECT_EQ((*order)["updated_at"], "2026-11-29T12:00:00.000Z");
}

TEST_F(TranslatorTest, ProductsMapVariantsAndIgnoreOlderVersions) {
  Deliver("products/create", testdata::kProductV1);
  auto p = catalog_.Get(kShop, "8001");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->title, "Linen Shirt");
  EXPECT_EQ(p->brand, "Northwind");
  EXPECT_EQ(p->product_type, "Shirts");
  EXPECT_DOUBLE_EQ(p->price, 49.5);
  EXPECT_EQ(p->inventory, 14);
  EXPECT_EQ(p->tags, (std::vector<std::string>{"summer", "linen", "bestseller"}));
  EXPECT_EQ(p->image_url, "https://cdn.shopify.com/s/files/linen-shirt.jpg");
  EXPECT_EQ(p->attributes["variant_count"], 2);
  EXPECT_EQ(p->attributes["skus"], "LS-M-W,LS-L-W");

  Deliver("products/update", testdata::kProductV2);
  Deliver("products/update", testdata::kProductOld);  // late and older: ignored
  p = catalog_.Get(kShop, "8001");
  EXPECT_EQ(p->title, "Linen Shirt (Relaxed)");
  EXPECT_DOUBLE_EQ(p->price, 39.5);
  EXPECT_EQ(p->inventory, 12);

  Deliver("inventory_levels/update", testdata::kInventoryLevel);  // variant 9002 -> 0
  p = catalog_.Get(kShop, "8001");
  EXPECT_EQ(p->inventory, 8);
  EXPECT_TRUE(p->in_stock);
  EXPECT_EQ(p->title, "Linen Shirt (Relaxed)");

  Deliver("products/delete", R"({"id": 8001})", "2026-11-30T00:00:00Z");
  EXPECT_FALSE(catalog_.Get(kShop, "8001"));
  Deliver("products/update", testdata::kProductV2);  // older than the deletion
  EXPECT_FALSE(catalog_.Get(kShop, "8001"));
}

TEST_F(TranslatorTest, CartsEmitLineItemDiffs) {
  Deliver("carts/create", testdata::kCartCreate);
  Deliver("carts/update", testdata::kCartUpdate);
  Deliver("carts/update", testdata::kCartCreate);  // older: ignored
  ASSERT_EQ(sink_.events.size(), 3u);
  EXPECT_EQ(sink_.events[0].type, EventType::kAddToCart);
  EXPECT_EQ(sink_.events[0].product_id, "8001");
  EXPECT_EQ(sink_.events[1].product_id, "8001");
  EXPECT_EQ(sink_.events[1].quantity, 1);
  EXPECT_EQ(sink_.events[2].product_id, "8002");
  json smaller = json::parse(testdata::kCartUpdate);
  smaller["updated_at"] = "2026-11-27T09:56:00Z";
  smaller["line_items"].erase(1);
  Deliver("carts/update", smaller.dump());
  ASSERT_EQ(sink_.events.size(), 4u);
  EXPECT_EQ(sink_.events[3].type, EventType::kRemoveFromCart);
  EXPECT_EQ(sink_.events[3].product_id, "8002");
  EXPECT_EQ(sink_.events[3].session_id, "c1-9f8e7d6c5b4a");

  Deliver("checkouts/create", testdata::kCheckoutCreate);  // re-adds the tote
  ASSERT_EQ(sink_.events.size(), 6u);
  EXPECT_EQ(sink_.events[4].type, EventType::kAddToCart);
  EXPECT_EQ(sink_.events[5].type, EventType::kCheckout);
  EXPECT_EQ(sink_.events[5].items.size(), 2u);
  EXPECT_EQ(sink_.events[5].user_id, "7001234567");
  Deliver("checkouts/update", testdata::kCheckoutCreate);
  EXPECT_EQ(sink_.events.size(), 6u);
}

TEST_F(TranslatorTest, CustomerProfilesHoldOnlyAHash) {
  Deliver("customers/update", testdata::kCustomerUpdate);
  json older = json::parse(testdata::kCustomerUpdate);
  older["updated_at"] = "2026-01-01T00:00:00Z";
  older["orders_count"] = 1;
  Deliver("customers/update", older.dump());
  auto c = translator_->Customer(kShop, "7001234567");
  ASSERT_TRUE(c);
  EXPECT_EQ((*c)["orders_count"], 3);
  EXPECT_DOUBLE_EQ((*c)["total_spent"].get<double>(), 420.5);
  EXPECT_EQ((*c)["tags"], json::array({"vip", "newsletter"}));
  EXPECT_EQ((*c)["email_hash"], translator_->hasher().HashEmail(kShop, "ada.lovelace@example.org"));
  EXPECT_EQ(c->dump().find("lovelace"), std::string::npos);
}

TEST_F(TranslatorTest, UnknownTopicsAreCountedAndUninstallStopsUpdates) {
  Deliver("fulfillment_events/create", R"({"id": 1})");
  EXPECT_NE(metrics_.RenderText().find("storepilot_shopify_unknown_topic_total 1"),
            std::string::npos);
  Deliver("orders/create", "not json");
  EXPECT_EQ(orders_.Count(kShop), 0u);
  Deliver("app/uninstalled", R"({"id": 954889, "domain": "northwind.myshopify.com"})");
  EXPECT_TRUE(translator_->Uninstalled(kShop));
  Deliver("orders/create", testdata::kOrderCreate);
  EXPECT_EQ(orders_.Count(kShop), 0u);
  EXPECT_NE(metrics_.RenderText().find("result=\"ignored_uninstalled\""), std::string::npos);
}

TEST(ShopifyDelivery, RoundTripsAndDeduplicatesOnEventId) {
  ShopifyDelivery d{"orders/create", "x.myshopify.com", "wh-1", "ev-1", "2026-11-27T10:00:00Z",
                    "2025-10", std::string("{\"a\":1}\0\xff", 9)};
  auto back = DecodeDelivery(EncodeDelivery(d));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->body, d.body);
  EXPECT_EQ(back->triggered_at, d.triggered_at);
  EXPECT_EQ(DeliveryDedupKey(d), "shopify-event:orders/create:ev-1");
  d.event_id.clear();
  EXPECT_EQ(DeliveryDedupKey(d), "shopify-webhook:wh-1");
  EXPECT_FALSE(DecodeDelivery("").ok());
  EXPECT_FALSE(DecodeDelivery(std::string("\x01\x05or", 4)).ok());
}

TEST(ShopifyDelivery, ResolvesShopDomainsAndVerifiesHmac) {
  ShopRegistry shops;
  shops.AddFromConfig("northwind", "northwind-api-token-0123", "s1");
  shops.AddFromConfig("acme.myshopify.com", "acme-api-token-01234567", "s2");
  EXPECT_EQ(ResolveShopDomain(shops, "Northwind.myshopify.com")->shop, "northwind");
  EXPECT_EQ(ResolveShopDomain(shops, "acme.myshopify.com")->shop, "acme.myshopify.com");
  EXPECT_FALSE(ResolveShopDomain(shops, "evil.myshopify.com"));
  EXPECT_FALSE(ResolveShopDomain(shops, ""));
  const std::string body = testdata::kOrderCreate;
  const std::string sig = HmacSha256Base64("s1", body);
  std::string altered = body;
  altered[100] ^= 1;
  ShopifyHmacVerifier verifier;
  for (int pass = 0; pass < 2; ++pass) {  // keys prepared on the first, reused on the second
    SCOPED_TRACE(pass);
    EXPECT_TRUE(verifier.Verify("s1", body, sig));
    EXPECT_FALSE(verifier.Verify("s1", altered, sig));
    EXPECT_FALSE(verifier.Verify("s2", body, sig));
    EXPECT_TRUE(verifier.Verify("s2", body, HmacSha256Base64("s2", body)));
    EXPECT_FALSE(verifier.Verify("", body, HmacSha256Base64("", body)));
    EXPECT_FALSE(verifier.Verify("s1", body, ""));
    EXPECT_FALSE(verifier.Verify("s1", body, sig.substr(1)));
  }
}

}  // namespace
}  // namespace storepilot::ingest
