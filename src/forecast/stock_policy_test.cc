#include "forecast/stock_policy.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace storepilot::forecast {
namespace {

using ::testing::HasSubstr;

TEST(StockPolicy, ProductOverridesShopOverridesDefaults) {
  auto policy = ParseStockPolicy(nlohmann::json::parse(
      R"({"service_level": 0.9, "products": {"far": {"lead_time_days": 30},
          "hot": {"service_level": 0.99, "threshold": 0.05}}})"));
  ASSERT_TRUE(policy.ok()) << policy.status();
  const StockPolicy far = policy->For("far");
  EXPECT_EQ(far.lead_time_days, 30);
  EXPECT_EQ(far.service_level, 0.9);
  EXPECT_EQ(far.threshold, 0.2);
  const StockPolicy hot = policy->For("hot");
  EXPECT_EQ(hot.lead_time_days, 7);
  EXPECT_EQ(hot.service_level, 0.99);
  EXPECT_EQ(hot.threshold, 0.05);
  const StockPolicy other = policy->For("other");
  EXPECT_EQ(other.lead_time_days, 7);
  EXPECT_EQ(other.service_level, 0.9);

  nlohmann::json out = StockPolicyToJson(*policy);
  EXPECT_EQ(out["service_level"], 0.9);
  EXPECT_EQ(out["lead_time_days"], 7);
  EXPECT_EQ(out["products"]["far"], nlohmann::json({{"lead_time_days", 30}}));
  // What it prints parses back to the same policies.
  auto again = ParseStockPolicy(out);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->For("hot").threshold, 0.05);
  EXPECT_EQ(again->For("far").lead_time_days, 30);
}

TEST(StockPolicy, EmptyDocumentKeepsTheDefaults) {
  auto policy = ParseStockPolicy(nlohmann::json::object());
  ASSERT_TRUE(policy.ok());
  const StockPolicy p = policy->For("x");
  EXPECT_EQ(p.lead_time_days, StockPolicy{}.lead_time_days);
  EXPECT_EQ(p.service_level, StockPolicy{}.service_level);
  EXPECT_EQ(p.threshold, StockPolicy{}.threshold);
}

TEST(StockPolicy, RejectsOutOfRangeAndUnknownFields) {
  struct Case {
    const char* document;
    const char* message;
  };
  const Case cases[] = {
      {R"({"lead_time_days": 0})", "lead_time_days must be an integer in [1, 366]"},
      {R"({"lead_time_days": 2.5})", "lead_time_days"},
      {R"({"service_level": 1})", "service_level"},
      {R"({"threshold": -0.1})", "threshold"},
      {R"({"threshold": "0.1"})", "threshold"},
      {R"({"leadtime": 3})", "unknown field \"leadtime\""},
      {R"({"products": []})", "products must be an object"},
      {R"({"products": {"p": 3}})", "products[\"p\"]: must be an object"},
      {R"({"products": {"": {}}})", "empty product id"},
      {R"([1])", "must be a JSON object"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.document);
    auto policy = ParseStockPolicy(nlohmann::json::parse(c.document));
    ASSERT_FALSE(policy.ok());
    EXPECT_EQ(policy.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(policy.status().message()), HasSubstr(c.message));
  }
}

}  // namespace
}  // namespace storepilot::forecast
