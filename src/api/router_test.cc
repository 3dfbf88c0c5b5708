#include "api/router.h"

#include "gtest/gtest.h"

namespace storepilot::api {
namespace {

TEST(Router, MatchesLiteralsAndCaptures) {
  Router<int> r;
  r.Add("GET", "/healthz", 1);
  r.Add("POST", "/v1/shops/{shop}/products:batch", 2);
  r.Add("PUT", "/v1/shops/{shop}/products/{id}", 3);
  r.Add("GET", "/v1/shops/{shop}/products/{id}", 4);
  auto m = r.Find("PUT", "/v1/shops/s1/products/p%2F1");
  ASSERT_NE(m.handler, nullptr);
  EXPECT_EQ(*m.handler, 3);
  EXPECT_EQ(m.params["shop"], "s1");
  EXPECT_EQ(m.params["id"], "p/1");
  EXPECT_EQ(*m.pattern, "/v1/shops/{shop}/products/{id}");
  EXPECT_EQ(*r.Find("POST", "/v1/shops/s1/products:batch").handler, 2);
  EXPECT_EQ(*r.Find("GET", "/v1/shops/s1/products/p").handler, 4);
  EXPECT_EQ(*r.Find("GET", "/healthz/").handler, 1);
}

TEST(Router, ReportsMissingAndWrongMethod) {
  Router<int> r;
  r.Add("GET", "/healthz", 1);
  r.Add("GET", "/v1/shops/{shop}/stats", 2);
  auto none = r.Find("GET", "/nope");
  EXPECT_EQ(none.handler, nullptr);
  EXPECT_FALSE(none.method_not_allowed);
  auto wrong = r.Find("POST", "/healthz");
  EXPECT_EQ(wrong.handler, nullptr);
  EXPECT_TRUE(wrong.method_not_allowed);
  EXPECT_EQ(r.Find("GET", "/v1/shops//stats").handler, nullptr);  // empty capture
  EXPECT_EQ(r.Find("GET", "/v1/shops/a/b/stats").handler, nullptr);
}

}  // namespace
}  // namespace storepilot::api
