#include "recommend/engine.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace storepilot::recommend {
namespace {

constexpr int64_t kMinute = 60 * 1000;
constexpr int64_t kStart = 1'700'000'000'000;

class EngineTest : public ::testing::Test {
 protected:
  EngineTest() : clock_(kStart * 1000), engine_(&clock_) {
    for (const char* id : {"tent", "stove", "lamp", "rod", "reel", "bait", "soap"}) {
      Product p;
      p.id = id;
      p.category = std::string(id) == "rod" || std::string(id) == "reel" ? "fishing" : "camping";
      p.brand = "b";
      p.repeatable = std::string(id) == "soap";
      EXPECT_TRUE(engine_.UpsertProduct(p).ok());
    }
  }
  void View(const std::string& session, const std::string& product,
            EventType type = EventType::kView, const std::string& user = "") {
    now_ += kMinute;
    clock_.SetMicros(now_ * 1000);
    Event e;
    e.type = type;
    e.session_id = session;
    e.user_id = user;
    e.product_id = product;
    e.time_ms = now_;
    ASSERT_TRUE(engine_.Observe(e).ok());
  }
  // Many past sessions: campers look at tent -> stove -> lamp, anglers at
  // rod -> reel -> bait; then time moves past the session timeout.
  void History() {
    for (int i = 0; i < 6; ++i) {
      for (const char* p : {"tent", "stove", "lamp"}) View("camp" + std::to_string(i), p);
      for (const char* p : {"rod", "reel", "bait"}) View("fish" + std::to_string(i), p);
    }
    now_ += 2 * 60 * kMinute;
    View("later", "soap");
  }
  std::vector<std::string> Ids(const RecommendResponse& r) {
    std::vector<std::string> out;
    for (const auto& i : r.items) out.push_back(i.product_id);
    return out;
  }
  RecommendResponse Get(RecommendRequest request) {
    auto r = engine_.Recommend(request);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : RecommendResponse{};
  }

  int64_t now_ = kStart;
  FakeClock clock_;
  RecommendEngine engine_;
};

TEST_F(EngineTest, ColdShopperStillGetsAList) {
  RecommendRequest request;
  request.n = 3;
  RecommendResponse r = Get(request);
  EXPECT_EQ(r.items.size(), 3u);
}

TEST_F(EngineTest, SessionLastViewsChangeTheAnswer) {
  History();
  View("me", "tent");
  RecommendRequest request;
  request.session_id = "me";
  request.n = 1;
  RecommendResponse camping = Get(request);
  ASSERT_EQ(camping.items.size(), 1u);
  EXPECT_EQ(camping.items[0].product_id, "stove");
  View("me", "rod");
  View("me", "reel");
  RecommendResponse fishing = Get(request);
  ASSERT_EQ(fishing.items.size(), 1u);
  EXPECT_EQ(fishing.items[0].product_id, "bait");
  EXPECT_NE(fishing.items[0].reason.type, ReasonType::kPopular);
}

TEST_F(EngineTest, ProductPlacementUsesViewedTogetherWithAReason) {
  History();
  RecommendRequest request;
  request.placement = Placement::kProduct;
  request.product_id = "rod";
  request.n = 2;
  RecommendResponse r = Get(request);
  ASSERT_EQ(r.items.size(), 2u);
  EXPECT_EQ(r.items[0].product_id, "reel");
  EXPECT_EQ(r.items[0].reason.type, ReasonType::kViewedTogether);
  EXPECT_EQ(r.items[0].reason.product_id, "rod");
  for (const auto& item : r.items) EXPECT_NE(item.product_id, "rod");
}

TEST_F(EngineTest, CartAndPurchasesAreExcluded) {
  History();
  View("me", "tent", EventType::kAddToCart);
  View("me", "stove", EventType::kPurchase);
  View("me", "soap", EventType::kPurchase);
  RecommendRequest request;
  request.placement = Placement::kCart;
  request.session_id = "me";
  request.n = 7;
  std::vector<std::string> ids = Ids(Get(request));
  EXPECT_EQ(std::count(ids.begin(), ids.end(), "tent"), 0);
  EXPECT_EQ(std::count(ids.begin(), ids.end(), "stove"), 0);
  EXPECT_EQ(std::count(ids.begin(), ids.end(), "soap"), 1);  // repeatable
}

TEST_F(EngineTest, MerchandisingAndCalendar) {
  History();
  MerchandisingRules rules;
  rules.pinned = {"soap"};
  rules.hidden = {"stove"};
  ASSERT_TRUE(engine_.SetMerchandising(rules).ok());
  CalendarEntry summer{"Summer sale", now_ - kMinute, now_ + 60 * kMinute, {"bait"}, {}, 10.0};
  ASSERT_TRUE(engine_.SetCalendar({summer}).ok());
  RecommendRequest request;
  request.n = 3;
  RecommendResponse r = Get(request);
  std::vector<std::string> ids = Ids(r);
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_EQ(ids[0], "soap");
  EXPECT_EQ(r.items[0].reason.type, ReasonType::kPinned);
  EXPECT_EQ(ids[1], "bait");
  EXPECT_EQ(std::count(ids.begin(), ids.end(), "stove"), 0);
}

TEST_F(EngineTest, BadInput) {
  RecommendRequest request;
  request.n = 0;
  EXPECT_EQ(engine_.Recommend(request).status().code(), absl::StatusCode::kInvalidArgument);
  request.n = 5;
  request.placement = Placement::kProduct;
  EXPECT_EQ(engine_.Recommend(request).status().code(), absl::StatusCode::kInvalidArgument);
  request.product_id = "no-such-product";
  EXPECT_EQ(engine_.Recommend(request).status().code(), absl::StatusCode::kNotFound);
  Event e;
  e.session_id = "s";
  EXPECT_EQ(engine_.Observe(e).code(), absl::StatusCode::kInvalidArgument);
  e.product_id = "tent";
  e.session_id.clear();
  EXPECT_EQ(engine_.Observe(e).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(engine_.UpsertProduct(Product{}).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(engine_.SetMerchandising({{}, {}, -1, 0}).code(),
            absl::StatusCode::kInvalidArgument);
  CalendarEntry backwards{"x", 10, 5, {}, {}, 0.5};
  EXPECT_EQ(engine_.SetCalendar({backwards}).code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(EngineTest, RetrainNeedsDataThenGatesOnValidation) {
  EXPECT_EQ(engine_.RetrainUserModel().status().code(),
            absl::StatusCode::kFailedPrecondition);
  for (int u = 0; u < 8; ++u) {
    const std::string user = "u" + std::to_string(u);
    const bool camper = u % 2 == 0;
    for (const char* p : camper ? std::vector<const char*>{"tent", "stove", "lamp"}
                                : std::vector<const char*>{"rod", "reel", "bait"}) {
      View("s" + user, p, EventType::kView, user);
    }
  }
  auto first = engine_.RetrainUserModel();
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(first->replaced);
  EXPECT_EQ(first->serving_ndcg, -1);
  EXPECT_GT(first->candidate_ndcg, 0);
  // Nothing new since: no held-out event the serving model has not seen.
  EXPECT_EQ(engine_.RetrainUserModel().status().code(),
            absl::StatusCode::kFailedPrecondition);
  // New activity of enough users: validated on their newest items only.
  for (int u = 8; u < 8 + 24; ++u) {
    const std::string user = "u" + std::to_string(u);
    for (const char* p : u % 2 == 0 ? std::vector<const char*>{"tent", "stove", "lamp"}
                                    : std::vector<const char*>{"rod", "reel", "bait"}) {
      View("s" + user, p, EventType::kView, user);
    }
  }
  auto second = engine_.RetrainUserModel();
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->validation_users, 24);
  EXPECT_GE(second->serving_ndcg, 0);
  EXPECT_EQ(second->replaced, second->candidate_ndcg >= second->serving_ndcg);
  // A known user now gets the sequential model's pick.
  RecommendRequest request;
  request.user_id = "u1";
  request.n = 3;
  RecommendResponse r = Get(request);
  ASSERT_FALSE(r.items.empty());
  EXPECT_NE(r.model.find("sequential"), std::string::npos);
}

TEST_F(EngineTest, ForgottenShopperIsAnsweredAsAnUnknownOne) {
  History();
  View("s-ada", "tent", EventType::kView, "ada");
  View("s-ada", "stove", EventType::kAddToCart, "ada");
  View("", "rod", EventType::kView, "ada");  // keyed "u:ada"
  View("s-bob", "reel", EventType::kView, "bob");
  RecommendRequest ada;
  ada.user_id = "ada";
  RecommendRequest nobody;
  nobody.user_id = "nobody";
  ASSERT_NE(Get(ada).model, Get(nobody).model);
  auto held = engine_.ExportShopper("ada", {"cart-token"});
  EXPECT_EQ(held.recent_items, (std::vector<std::string>{"rod", "stove", "tent"}));
  EXPECT_EQ(held.cart, std::vector<std::string>{"stove"});
  EXPECT_EQ(held.sessions, (std::vector<std::string>{"(by user)", "s-ada"}));
  EXPECT_FALSE(engine_.RecentProducts("ada", "", 5).empty());

  EXPECT_TRUE(engine_.ForgetShopper("ada", {"cart-token"}));
  EXPECT_TRUE(engine_.ExportShopper("ada", {}).empty());
  EXPECT_TRUE(engine_.RecentProducts("ada", "", 5).empty());
  EXPECT_TRUE(engine_.RecentProducts("", "s-ada", 5).empty());
  EXPECT_EQ(Get(ada).model, Get(nobody).model);
  EXPECT_EQ(Ids(Get(ada)), Ids(Get(nobody)));
  EXPECT_FALSE(engine_.ForgetShopper("ada", {}));  // nothing left
  // Bob and the aggregates stay: his session still drives his answer.
  EXPECT_EQ(engine_.RecentProducts("", "s-bob", 5), std::vector<std::string>{"reel"});
  RecommendRequest item;
  item.placement = Placement::kProduct;
  item.product_id = "tent";
  EXPECT_EQ(Get(item).items.front().product_id, "stove");

  engine_.ForgetAllShoppers();
  EXPECT_TRUE(engine_.RecentProducts("", "s-bob", 5).empty());
  EXPECT_FALSE(Get(nobody).items.empty());  // the catalog stays
}

TEST(ReasonNames, RoundTripPlacementsAndDescribe) {
  Placement p;
  EXPECT_TRUE(ParsePlacement("cart", &p));
  EXPECT_EQ(p, Placement::kCart);
  EXPECT_FALSE(ParsePlacement("nowhere", &p));
  EXPECT_EQ(ReasonTypeName(ReasonType::kViewedTogether), "viewed_together");
  EXPECT_EQ(DescribeReason({ReasonType::kSimilarItem, "tent", ""}), "Similar to tent");
}

}  // namespace
}  // namespace storepilot::recommend
