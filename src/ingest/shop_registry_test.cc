#include "ingest/shop_registry.h"

#include "common/crypto.h"
#include "gtest/gtest.h"
#include "ingest/event.h"
#include "ingest/shop_stats.h"

namespace storepilot::ingest {
namespace {

TEST(ShopRegistry, ValidatesNames) {
  for (const char* good : {"demo-store.myshopify.com", "a", "shop_1"}) {
    EXPECT_TRUE(ShopRegistry::ValidateShopName(good).ok()) << good;
  }
  for (const char* bad : {"", "UPPER", ".dot", "has space", "a/b", "-x"}) {
    EXPECT_FALSE(ShopRegistry::ValidateShopName(bad).ok()) << bad;
  }
}

TEST(ShopRegistry, CreatesFromLogAndChecksTokens) {
  ShopRegistry registry;
  ShopInfo info{"s1", Sha256Hex("secret-token"), "whsec", 5};
  std::string payload = ShopRegistry::EncodeCreate(info);
  store::LogRecord r;
  r.type = store::RecordType::kShopCreate;
  r.shop = "s1";
  r.payload = payload;
  registry.Apply(r);
  ASSERT_TRUE(registry.Exists("s1"));
  EXPECT_EQ(registry.Find("s1")->webhook_secret, "whsec");
  EXPECT_TRUE(registry.CheckToken("s1", "secret-token"));
  EXPECT_FALSE(registry.CheckToken("s1", "secret-tokem"));
  EXPECT_FALSE(registry.CheckToken("s2", "secret-token"));
  EXPECT_EQ(registry.ShopForToken("secret-token"), "s1");
  EXPECT_EQ(registry.ShopForToken("nope"), std::nullopt);
  // A second creation of the same shop does not replace the first.
  ShopInfo other{"s1", Sha256Hex("other"), "x", 6};
  payload = ShopRegistry::EncodeCreate(other);
  r.payload = payload;
  registry.Apply(r);
  EXPECT_TRUE(registry.CheckToken("s1", "secret-token"));
  // A record whose payload names another shop than its key is ignored.
  ShopInfo forged{"s3", Sha256Hex("t"), "x", 6};
  payload = ShopRegistry::EncodeCreate(forged);
  r.payload = payload;
  registry.Apply(r);
  EXPECT_FALSE(registry.Exists("s3"));
}

TEST(ShopRegistry, ConfigShops) {
  ShopRegistry registry;
  registry.AddFromConfig("c1", "tok", "sec");
  EXPECT_TRUE(registry.CheckToken("c1", "tok"));
  EXPECT_EQ(registry.List(), std::vector<std::string>{"c1"});
}

TEST(ShopStats, CountsDistinctSessionsAndUsers) {
  ShopStats stats;
  auto apply = [&](const std::string& shop, const std::string& session,
                   const std::string& user) {
    Event e;
    e.event_id = "x";
    e.session_id = session;
    e.user_id = user;
    std::string buf;
    EncodeEvent(e, &buf);
    store::LogRecord r;
    r.type = store::RecordType::kEvent;
    r.shop = shop;
    r.payload = buf;
    stats.Apply(r);
  };
  apply("a", "s1", "u1");
  apply("a", "s1", "");
  apply("a", "s2", "u1");
  apply("b", "s1", "u2");
  EXPECT_EQ(stats.Sessions("a"), 2u);
  EXPECT_EQ(stats.Users("a"), 1u);
  EXPECT_EQ(stats.Events("a"), 3u);
  EXPECT_EQ(stats.Sessions("b"), 1u);
  EXPECT_EQ(stats.Users("zzz"), 0u);
}

}  // namespace
}  // namespace storepilot::ingest
