// The merchandising document, online-quality counting and the catalog ->
// engine product mappings, without sockets.
#include "api/merchandising_doc.h"
#include "api/serving_quality.h"
#include "api/shop_engines.h"
#include "common/clock.h"
#include "gtest/gtest.h"

namespace storepilot::api {
namespace {

TEST(MerchandisingDoc, AppliesToBothEngines) {
  auto doc = ParseMerchandisingDoc(
      R"({"pinned": ["a", "b"], "hidden": ["x"], "max_per_brand": 2,
          "rules": [{"query": "lamp", "hides": ["y"]}]})");
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_EQ(doc->recommend.pinned, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(doc->recommend.hidden, std::vector<std::string>{"x"});
  EXPECT_EQ(doc->recommend.max_per_brand, 2);
  ASSERT_EQ(doc->search.size(), 3u);  // the query rule, global hide, global pins
  EXPECT_TRUE(doc->search[1].AppliesTo("anything", 0));
  EXPECT_EQ(doc->search[1].hides, std::vector<std::string>{"x"});
  EXPECT_TRUE(doc->search[2].AppliesTo("", 0));
  EXPECT_FALSE(doc->search[2].AppliesTo("lamp", 0));
  EXPECT_EQ(doc->search[2].pins[1], (std::pair<std::string, size_t>{"b", 2}));
  // The canonical form parses to the same document.
  auto again = ParseMerchandisingDoc(doc->canonical_json);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->canonical_json, doc->canonical_json);
  EXPECT_TRUE(ParseMerchandisingDoc("{}").ok());
}

TEST(MerchandisingDoc, RejectsBadInput) {
  for (const char* bad : {"", "[]", "{", R"({"pinned": "a"})", R"({"pinned": [1]})",
                          R"({"hidden": [""]})", R"({"max_per_brand": -1})",
                          R"({"max_per_category": 1.5})", R"({"rules": {}})",
                          R"({"rules": [{"match": "exact"}]})",
                          R"({"rules": [{"query": 5}]})"}) {
    SCOPED_TRACE(bad);
    auto doc = ParseMerchandisingDoc(bad);
    EXPECT_EQ(doc.status().code(), absl::StatusCode::kInvalidArgument);
  }
}

TEST(ServingQuality, CountsOutcomesOfKnownRequests) {
  ServingQuality q(/*max_remembered=*/2);
  q.Served("r1", "recommendations", "home", "m1");
  q.Served("r2", "recommendations", "home", "m1");
  q.Served("r3", "search", "search", "bm25f");
  EXPECT_FALSE(q.Record("r1", Outcome::kClick));  // forgotten: only 2 kept
  EXPECT_TRUE(q.Record("r2", Outcome::kImpression));
  EXPECT_TRUE(q.Record("r2", Outcome::kClick));
  EXPECT_TRUE(q.Record("r3", Outcome::kPurchase));
  EXPECT_FALSE(q.Record("nope", Outcome::kClick));
  auto rows = q.Rows("recommendations");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].served, 2u);
  EXPECT_EQ(rows[0].impressions, 1u);
  EXPECT_EQ(rows[0].clicks, 1u);
  EXPECT_EQ(q.Rows("").size(), 2u);
  EXPECT_EQ(q.Rows("search")[0].purchases, 1u);
}

TEST(ShopEngines, MapsCatalogProducts) {
  catalog::Product p;
  p.id = "p1";
  p.title = "Oak lamp";
  p.brand = "Lumo";
  p.category = {"Home", "Lighting", "Lamps"};
  p.attributes = {{"color", "oak"}, {"sizes", {"S", "M"}}, {"watts", 40}};
  p.in_stock = false;
  p.repeatable = true;
  recommend::Product r = ToRecommendProduct(p);
  EXPECT_EQ(r.category, "Lamps");
  EXPECT_FALSE(r.in_stock);
  EXPECT_TRUE(r.repeatable);
  search::Product s = ToSearchProduct(p, 7);
  EXPECT_EQ(s.category, p.category);
  EXPECT_EQ(s.popularity, 7);
  EXPECT_EQ(s.attributes.size(), 4u);  // color, two sizes, watts
}

// The retrain schedule: every shop once per interval on the clock, sooner
// again after an attempt skipped for lack of data; outcomes in metrics.
TEST(ShopEngines, RetrainsOnScheduleBehindTheGate) {
  FakeClock clock(1'800'000'000'000'000);
  catalog::Catalog catalog;
  observe::MetricsRegistry metrics;
  ShopEnginesOptions options;
  options.retrain_interval_ms = 3600 * 1000;
  ShopEngines engines(&clock, &catalog, &metrics, options);
  EXPECT_EQ(engines.RetrainDue(), 0);  // no shop yet
  recommend::RecommendEngine* rec = (*engines.ForShop("s"))->recommend.get();
  EXPECT_EQ(engines.RetrainDue(), 1);  // a new shop: due at once, but no data
  EXPECT_NE(metrics.RenderText().find("result=\"skipped\""), std::string::npos);
  for (int u = 0; u < 6; ++u) {
    for (const char* p : {"a", "b", "c", "d"}) {
      recommend::Event e;
      e.type = recommend::EventType::kView;
      e.user_id = "u" + std::to_string(u);
      e.session_id = "s" + std::to_string(u);
      e.product_id = p;
      e.time_ms = clock.NowMillis();
      ASSERT_TRUE(rec->Observe(e).ok());
    }
  }
  EXPECT_EQ(engines.RetrainDue(), 0);  // retried after 5 minutes, not at once
  clock.AdvanceMicros(int64_t{1000} * 5 * 60 * 1000);
  EXPECT_EQ(engines.RetrainDue(), 1);
  EXPECT_NE(metrics.RenderText().find("result=\"replaced\""), std::string::npos);
  clock.AdvanceMicros(int64_t{1000} * 30 * 60 * 1000);
  EXPECT_EQ(engines.RetrainDue(), 0);  // within the interval
  clock.AdvanceMicros(int64_t{1000} * 30 * 60 * 1000);
  EXPECT_EQ(engines.RetrainDue(), 1);
  auto again = engines.Retrain("s");  // nothing new since: the model is kept
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace storepilot::api
