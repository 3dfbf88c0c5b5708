#include "catalog/product.h"

#include "gtest/gtest.h"

namespace storepilot::catalog {
namespace {

TEST(ParseProduct, ReadsEveryField) {
  auto j = nlohmann::json::parse(R"({
    "id": "p1", "title": "Desk lamp", "description": "Warm light", "brand": "Lumo",
    "category": ["Home", "Lighting", "Lamps"], "price": 39.5, "currency": "EUR",
    "inventory": 0, "tags": ["led"], "attributes": {"color": "black", "watts": 6},
    "image_url": "https://x/y.jpg", "embedding": [0.5, -1], "updated_at": "2026-11-27T10:00:00Z"
  })");
  auto p = ParseProduct(j, "");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->category.size(), 3u);
  EXPECT_FALSE(p->in_stock);  // inventory 0 and no explicit in_stock
  EXPECT_EQ(p->embedding.size(), 2u);
  EXPECT_EQ(p->updated_at_ms, 1795773600000);
  auto round = ParseProduct(ProductToJson(*p), "");
  ASSERT_TRUE(round.ok());
  EXPECT_EQ(ProductToJson(*round), ProductToJson(*p));
}

TEST(ParseProduct, PathIdWins) {
  auto p = ParseProduct(nlohmann::json{{"title", "x"}}, "from-path");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->id, "from-path");
}

TEST(ParseProduct, RejectsBadInput) {
  struct Case {
    const char* json;
    const char* path_id;
    const char* field;
  } cases[] = {
      {"[]", "", "body"},
      {R"({"title": "x"})", "", "id"},
      {R"({"id": "a", "title": "x"})", "b", "id"},
      {R"({"id": "a"})", "", "title"},
      {R"({"id": "a", "title": 3})", "", "title"},
      {R"({"id": "a", "title": "x", "price": -2})", "", "price"},
      {R"({"id": "a", "title": "x", "price": "9"})", "", "price"},
      {R"({"id": "a", "title": "x", "category": "Home"})", "", "category"},
      {R"({"id": "a", "title": "x", "tags": [1]})", "", "tags"},
      {R"({"id": "a", "title": "x", "in_stock": "yes"})", "", "in_stock"},
      {R"({"id": "a", "title": "x", "inventory": 1.5})", "", "inventory"},
      {R"({"id": "a", "title": "x", "attributes": {"k": [1]}})", "", "attributes.k"},
      {R"({"id": "a", "title": "x", "embedding": ["a"]})", "", "embedding"},
      {R"({"id": "a", "title": "x", "updated_at": "later"})", "", "updated_at"},
      {R"({"title": "x"})", "p3\xdc", "id"},  // found by fuzz_http_request
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.json);
    auto p = ParseProduct(nlohmann::json::parse(c.json), c.path_id);
    ASSERT_FALSE(p.ok());
    EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(std::string(p.status().message()).rfind(c.field, 0), 0u) << p.status();
  }
}

}  // namespace
}  // namespace storepilot::catalog
