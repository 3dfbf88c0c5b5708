#include "search/filters.h"

#include "gtest/gtest.h"

namespace storepilot::search {
namespace {

TEST(ParseFilters, ReadsEveryCondition) {
  auto f = ParseFilters(
      "brand:Acme|Globex; category:Lamps;product_type:Desk Lamps;tags:sale;"
      "attr.color:blue|red;price:10..50.5;in_stock:true");
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->brands, (std::vector<std::string>{"Acme", "Globex"}));
  EXPECT_EQ(f->categories, (std::vector<std::string>{"Lamps"}));
  EXPECT_EQ(f->product_types, (std::vector<std::string>{"Desk Lamps"}));
  EXPECT_EQ(f->tags, (std::vector<std::string>{"sale"}));
  ASSERT_EQ(f->attributes.size(), 2u);
  EXPECT_EQ(f->attributes[1].first, "color");
  EXPECT_EQ(f->attributes[1].second, "red");
  EXPECT_EQ(f->min_price, 10.0);
  EXPECT_EQ(f->max_price, 50.5);
  EXPECT_TRUE(f->in_stock_only);
  auto open = ParseFilters("price:..20");
  ASSERT_TRUE(open.ok());
  EXPECT_FALSE(open->min_price.has_value());
  EXPECT_EQ(open->max_price, 20.0);
  EXPECT_TRUE(ParseFilters("")->empty());
}

TEST(ParseFilters, RejectsBadInput) {
  for (const char* bad : {"brand", "brand:", "colour:red", "price:10", "price:a..b",
                          "price:1..2x", "in_stock:yes", "attr.:x"}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(ParseFilters(bad).status().code(), absl::StatusCode::kInvalidArgument);
  }
}

TEST(ParseFacetKind, KnowsTheFacetNames) {
  EXPECT_EQ(*ParseFacetKind("brand"), FacetKind::kBrand);
  EXPECT_EQ(*ParseFacetKind("tags"), FacetKind::kTag);
  EXPECT_FALSE(ParseFacetKind("colour").ok());
}

}  // namespace
}  // namespace storepilot::search
