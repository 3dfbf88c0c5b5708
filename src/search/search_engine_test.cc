#include "search/search_engine.h"

#include <atomic>
#include <memory>
#include <thread>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace storepilot::search {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

Product MakeProduct(std::string id, std::string title, std::string brand,
                    std::vector<std::string> category, std::string type,
                    std::string color, double price, double popularity = 0,
                    bool in_stock = true) {
  Product p;
  p.id = std::move(id);
  p.title = std::move(title);
  p.brand = std::move(brand);
  p.category = std::move(category);
  p.product_type = std::move(type);
  if (!color.empty()) p.attributes = {{"color", color}};
  p.price = price;
  p.popularity = popularity;
  p.in_stock = in_stock;
  return p;
}

Product Titled(std::string id, std::string title) {
  Product p;
  p.id = std::move(id);
  p.title = std::move(title);
  return p;
}

Affinities BrandAffinity(std::string brand) {
  Affinities affinities;
  affinities.brands = {{std::move(brand), 1.0f}};
  return affinities;
}

class SearchEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = *SearchEngine::Create(SearchEngineOptions(), &clock_);
    const std::vector<Product> catalog = {
        MakeProduct("1", "Oak Desk Lamp", "Acme", {"Lighting", "Lamps", "Desk Lamps"},
                    "Desk Lamps", "brown", 40, 10),
        MakeProduct("2", "Brass Desk Lamp", "Globex", {"Lighting", "Lamps", "Desk Lamps"},
                    "Desk Lamps", "gold", 80, 50),
        MakeProduct("3", "Floor Lamp with Linen Shade", "Acme",
                    {"Lighting", "Lamps", "Floor Lamps"}, "Floor Lamps", "white", 120, 5,
                    /*in_stock=*/false),
        MakeProduct("4", "Velvet Sofa Bed", "Initech", {"Furniture", "Sofas"},
                    "Sofa Beds", "blue", 600),
        MakeProduct("5", "Leather Sofa", "Globex", {"Furniture", "Sofas"}, "Sofas",
                    "brown", 900),
        MakeProduct("6", "Walnut Writing Desk", "Acme", {"Furniture", "Office", "Desks"},
                    "Desks", "brown", 300),
        MakeProduct("7", "Bookcase with Doors", "Initech",
                    {"Furniture", "Storage", "Bookcases"}, "Bookcases", "", 200),
        MakeProduct("8", "Kids Bunk Bed", "Initech", {"Furniture", "Bedroom", "Beds"},
                    "Beds", "", 400),
        MakeProduct("9", "Disk Shelf", "Globex", {"Furniture", "Storage"}, "Shelves",
                    "", 60),
    };
    for (const Product& p : catalog) ASSERT_TRUE(engine_->Upsert(p).ok());
  }

  SearchResponse Search(SearchRequest request) {
    absl::StatusOr<SearchResponse> response = engine_->Search(request);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? *response : SearchResponse();
  }
  std::vector<std::string> Ids(SearchRequest request) {
    std::vector<std::string> ids;
    for (const SearchHit& hit : Search(std::move(request)).hits) {
      ids.push_back(hit.product_id);
    }
    return ids;
  }
  static SearchRequest Query(std::string q) {
    SearchRequest request;
    request.query = std::move(q);
    return request;
  }

  FakeClock clock_{1'000'000};  // 1,000 ms.
  std::unique_ptr<SearchEngine> engine_;
};

TEST_F(SearchEngineTest, FindsProductsThroughStemsAndFields) {
  EXPECT_THAT(Ids(Query("lamps")), UnorderedElementsAre("1", "2", "3"));
  EXPECT_THAT(Ids(Query("furniture sofas")), UnorderedElementsAre("4", "5"));
  EXPECT_THAT(Ids(Query("initech bookcase")), ElementsAre("7"));
}

TEST_F(SearchEngineTest, ToleratesTyposAndPrefersExact) {
  SearchResponse r = Search(Query("walnutt desk"));
  ASSERT_FALSE(r.hits.empty());
  EXPECT_EQ(r.hits[0].product_id, "6");
  EXPECT_EQ(r.corrected_query, "walnut desk");
  EXPECT_THAT(Ids(Query("lether sofa")), ElementsAre("5"));
  // "disk" is a word of the catalog: it is not "corrected" to "desk".
  SearchResponse exact = Search(Query("disk"));
  EXPECT_TRUE(exact.corrected_query.empty());
  EXPECT_EQ(exact.hits[0].product_id, "9");
}

TEST_F(SearchEngineTest, CompletesTheLastWordAsYouType) {
  EXPECT_THAT(Ids(Query("sof")), UnorderedElementsAre("4", "5"));
  EXPECT_THAT(Ids(Query("brass desk la")), ElementsAre("2"));
  SearchRequest finished = Query("sof");
  finished.prefix = false;
  EXPECT_TRUE(Ids(finished).empty());
}

TEST_F(SearchEngineTest, RelaxesWhenNothingMatches) {
  SearchResponse unknown = Search(Query("walnut desk unicorn"));
  EXPECT_TRUE(unknown.relaxed);
  EXPECT_EQ(unknown.hits[0].product_id, "6");
  // No product is both brass and a sofa: the commoner word goes first.
  SearchResponse dropped = Search(Query("brass sofa"));
  EXPECT_TRUE(dropped.relaxed);
  ASSERT_EQ(dropped.hits.size(), 1u);
  EXPECT_EQ(dropped.hits[0].product_id, "2");
  EXPECT_FALSE(Search(Query("brass desk lamp")).relaxed);
  // Then fuzzier: "disk" products are filtered out, so "desk" is tried.
  SearchRequest fuzzier = Query("disk");
  fuzzier.filters.brands = {"Acme"};
  EXPECT_THAT(Ids(fuzzier), UnorderedElementsAre("1", "6"));
}

TEST_F(SearchEngineTest, FiltersAndCountsFacets) {
  SearchRequest request = Query("lamp");
  request.facets = {"brand", "category", "attributes"};
  SearchResponse r = Search(request);
  EXPECT_EQ(r.total, 3u);
  ASSERT_EQ(r.facets.size(), 3u);
  EXPECT_EQ(r.facets[0].name, "brand");
  ASSERT_EQ(r.facets[0].values.size(), 2u);
  EXPECT_EQ(r.facets[0].values[0].value, "Acme");
  EXPECT_EQ(r.facets[0].values[0].count, 2u);
  EXPECT_EQ(r.facets[1].values[0].value, "Lamps");
  EXPECT_EQ(r.facets[1].values[0].count, 3u);
  EXPECT_EQ(r.facets[2].values.size(), 3u);

  SearchRequest in_stock = Query("lamp");
  in_stock.filters.in_stock_only = true;
  EXPECT_THAT(Ids(in_stock), UnorderedElementsAre("1", "2"));
  SearchRequest priced = Query("lamp");
  priced.filters.min_price = 50;
  priced.filters.max_price = 150;
  EXPECT_THAT(Ids(priced), UnorderedElementsAre("2", "3"));
  SearchRequest browse;  // No query: filters over the whole catalog.
  browse.filters = *ParseFilters("attr.color:brown;category:furniture");
  EXPECT_THAT(Ids(browse), UnorderedElementsAre("5", "6"));
  SearchRequest unknown_brand = Query("lamp");
  unknown_brand.filters.brands = {"Nobody"};
  EXPECT_TRUE(Ids(unknown_brand).empty());
}

TEST_F(SearchEngineTest, SortsAndPaginates) {
  SearchRequest request = Query("lamp");
  request.sort = SortOrder::kPriceAsc;
  EXPECT_THAT(Ids(request), ElementsAre("1", "2", "3"));
  request.sort = SortOrder::kBestSelling;
  EXPECT_THAT(Ids(request), ElementsAre("2", "1", "3"));
  request.per_page = 2;
  request.page = 2;
  SearchResponse page = Search(request);
  EXPECT_EQ(page.total, 3u);
  ASSERT_EQ(page.hits.size(), 1u);
  EXPECT_EQ(page.hits[0].product_id, "3");
}

TEST_F(SearchEngineTest, AppliesMerchandisingRules) {
  auto rules = ParseMerchandisingRules(R"({"rules": [
    {"query": "lamp", "pins": [{"product_id": "7", "position": 1}], "hides": ["2"]},
    {"match": "any", "boosts": [{"field": "brand", "value": "acme", "multiplier": 0.1}]}
  ]})");
  ASSERT_TRUE(rules.ok()) << rules.status();
  engine_->SetMerchandisingRules(*rules);
  // Pinned first although it does not match, 2 hidden, Acme buried.
  EXPECT_THAT(Ids(Query("lamp")), ElementsAre("7", "1", "3"));
  EXPECT_EQ(Search(Query("lamp")).total, 3u);
  SearchResponse sofas = Search(Query("brown"));
  EXPECT_EQ(sofas.hits.back().product_id, "6");  // Buried (Acme).
}

TEST_F(SearchEngineTest, RulesFollowTheirTimeWindow) {
  MerchandisingRule rule;
  rule.query = "lamp";
  rule.hides = {"1"};
  rule.start_ms = 2'000;
  rule.end_ms = 3'000;
  engine_->SetMerchandisingRules({rule});
  EXPECT_EQ(Search(Query("lamp")).total, 3u);
  clock_.SetMicros(2'500'000);
  EXPECT_EQ(Search(Query("lamp")).total, 2u);
  clock_.SetMicros(3'000'000);
  EXPECT_EQ(Search(Query("lamp")).total, 3u);
}

TEST_F(SearchEngineTest, PersonalisationFavoursTheShoppersBrand) {
  // Equal text matches; the more popular Globex lamp leads by default.
  EXPECT_THAT(Ids(Query("desk lamp")), ElementsAre("2", "1"));
  SearchRequest personal = Query("desk lamp");
  personal.affinities = BrandAffinity("ACME");
  EXPECT_THAT(Ids(personal), ElementsAre("1", "2"));
  personal.affinities = Affinities();
  personal.affinities->categories = {{"lighting", 0.0f}};
  EXPECT_THAT(Ids(personal), ElementsAre("2", "1"));
  // An affinity for a brand not in the results changes nothing.
  personal.affinities = BrandAffinity("Initech");
  EXPECT_THAT(Ids(personal), ElementsAre("2", "1"));
}

TEST_F(SearchEngineTest, UpdatesAreSearchableAtOnce) {
  EXPECT_TRUE(Ids(Query("hammock")).empty());
  ASSERT_TRUE(engine_->Upsert(Titled("10", "Rope Hammock")).ok());
  EXPECT_THAT(Ids(Query("hammock")), ElementsAre("10"));
  ASSERT_TRUE(engine_->Upsert(Titled("10", "Garden Swing")).ok());
  EXPECT_TRUE(Ids(Query("hammock")).empty());
  EXPECT_THAT(Ids(Query("swing")), ElementsAre("10"));
  ASSERT_TRUE(engine_->Remove("10").ok());
  EXPECT_TRUE(Ids(Query("swing")).empty());
  EXPECT_EQ(engine_->Remove("10").code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(engine_->Stats().products, 9u);
}

TEST_F(SearchEngineTest, ManyUpdatesTriggerCompactionWithoutLosingProducts) {
  const std::string words[] = {"alpha", "bravo", "charlie"};
  for (const std::string& word : words) {
    for (int i = 0; i < 600; ++i) {
      Product p = Titled(absl::StrCat("bulk", i), absl::StrCat("item ", word));
      ASSERT_TRUE(engine_->Upsert(p).ok());
    }
  }
  EXPECT_EQ(engine_->Stats().products, 609u);
  EXPECT_EQ(Search(Query("charlie")).total, 600u);
  EXPECT_EQ(Search(Query("alpha")).total, 0u);
  EXPECT_THAT(Ids(Query("leather sofa")), ElementsAre("5"));
}

TEST_F(SearchEngineTest, SearchesRunWhileTheCatalogChanges) {
  std::atomic<bool> done{false};
  std::atomic<int> errors{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 2; ++t) {
    readers.emplace_back([&] {
      while (!done.load()) {
        auto r = engine_->Search(Query("lamp"));
        if (!r.ok() || r->total < 3) ++errors;
      }
    });
  }
  for (int i = 0; i < 300; ++i) {
    ASSERT_TRUE(engine_->Upsert(Titled(absl::StrCat("n", i % 50), "new lamp")).ok());
  }
  done = true;
  for (std::thread& t : readers) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(Search(Query("lamp")).total, 53u);
}

TEST_F(SearchEngineTest, UsesTheShopsSynonymsAndHighlights) {
  EXPECT_TRUE(Ids(Query("couch")).empty());
  SynonymSet synonyms;
  ASSERT_TRUE(synonyms.AddEquivalent({"couch", "sofa"}).ok());
  engine_->SetSynonyms(std::move(synonyms));
  EXPECT_THAT(Ids(Query("couch")), UnorderedElementsAre("4", "5"));
  SearchResponse r = Search(Query("oak lamps"));
  ASSERT_FALSE(r.hits.empty());
  EXPECT_THAT(r.hits[0].highlights, ElementsAre("oak", "lamp"));
}

TEST_F(SearchEngineTest, SuggestsLoggedQueriesThenCatalogWords) {
  engine_->RecordQuery("leather sofa", 1);
  EXPECT_THAT(engine_->Suggest("lea", 5), ElementsAre("leather sofa", "leather"));
  EXPECT_THAT(engine_->Suggest("brass desk l", 5),
              ElementsAre("brass desk lamp", "brass desk lighting",
                          "brass desk linen", "brass desk leather"));
  EXPECT_TRUE(engine_->Suggest("", 5).empty());
}

TEST_F(SearchEngineTest, RejectsBadRequests) {
  auto bad = [&](SearchRequest request) {
    return engine_->Search(request).status().code();
  };
  SearchRequest r = Query("lamp");
  r.page = 0;
  EXPECT_EQ(bad(r), absl::StatusCode::kInvalidArgument);
  r = Query("lamp");
  r.per_page = 251;
  EXPECT_EQ(bad(r), absl::StatusCode::kInvalidArgument);
  r.per_page = 0;
  EXPECT_EQ(bad(r), absl::StatusCode::kInvalidArgument);
  r = Query("lamp");
  r.page = 1000;
  EXPECT_EQ(bad(r), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad(Query(std::string(2000, 'a'))), absl::StatusCode::kInvalidArgument);
  r = Query("lamp");
  r.facets = {"colour"};
  EXPECT_EQ(bad(r), absl::StatusCode::kInvalidArgument);
  r = Query("lamp");
  r.filters.min_price = 10;
  r.filters.max_price = 5;
  EXPECT_EQ(bad(r), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseSortOrder("cheapest").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(*ParseSortOrder("newest"), SortOrder::kNewest);
  // Odd but valid queries are answered.
  EXPECT_TRUE(engine_->Search(Query("\xFF\xFE !!! ***")).ok());
  EXPECT_TRUE(engine_->Search(Query("the of and")).ok());
}

}  // namespace
}  // namespace storepilot::search
