#include "recommend/business_rules.h"

#include <vector>

#include "gtest/gtest.h"

namespace storepilot::recommend {
namespace {

class BusinessRulesTest : public ::testing::Test {
 protected:
  BusinessRulesTest() {
    // item: category, brand, in stock, repeatable
    Add("a", "shirts", "acme", true, false);
    Add("b", "shirts", "acme", true, false);
    Add("c", "shoes", "zed", true, false);
    Add("d", "shoes", "acme", false, false);  // out of stock
    Add("e", "soap", "zed", true, true);      // repeatable
  }
  void Add(std::string id, std::string category, std::string brand, bool stock, bool rep) {
    Product p;
    p.id = id;
    p.category = category;
    p.brand = brand;
    p.in_stock = stock;
    p.repeatable = rep;
    products_.push_back(p);
  }
  ProductLookup lookup() const {
    return [this](ItemIndex i) -> const Product* {
      return i >= 0 && i < static_cast<ItemIndex>(products_.size()) ? &products_[i] : nullptr;
    };
  }
  std::vector<Candidate> All() const {
    std::vector<Candidate> c;
    for (int i = 0; i < 6; ++i) c.push_back({i, 10.0 - i, {}});  // 5 is not in the catalog
    return c;
  }
  static std::vector<ItemIndex> Items(const std::vector<Candidate>& c) {
    std::vector<ItemIndex> out;
    for (const auto& x : c) out.push_back(x.item);
    return out;
  }
  std::vector<Product> products_;
};

TEST_F(BusinessRulesTest, Table) {
  struct Case {
    const char* name;
    RuleInputs in;
    std::vector<ItemIndex> want;
  };
  std::vector<Case> cases;
  cases.push_back({"in stock and known only", {}, {0, 1, 2, 4}});
  {
    RuleInputs in;
    in.placement = Placement::kCart;
    in.cart = {0};
    cases.push_back({"cart excluded on cart", in, {1, 2, 4}});
    in.placement = Placement::kHome;
    cases.push_back({"cart kept on home", in, {0, 1, 2, 4}});
  }
  {
    RuleInputs in;
    in.purchased = {1, 4};
    cases.push_back({"purchased excluded unless repeatable", in, {0, 2, 4}});
  }
  {
    RuleInputs in;
    in.pinned = {2, 3};
    in.hidden = {0};
    cases.push_back({"pinned first, hidden never, out-of-stock pin skipped", in, {2, 1, 4}});
  }
  {
    RuleInputs in;
    in.max_per_brand = 1;
    cases.push_back({"brand cap", in, {0, 2}});
    in.max_per_brand = 0;
    in.max_per_category = 1;
    cases.push_back({"category cap", in, {0, 2, 4}});
  }
  {
    RuleInputs in;
    in.category = "shoes";
    cases.push_back({"category filter", in, {2}});
  }
  {
    RuleInputs in;
    in.diversity = 0.9;
    cases.push_back({"diversity moves a second shirt down", in, {0, 2, 4, 1}});
  }
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(Items(ApplyBusinessRules(All(), c.in, lookup(), 10)), c.want);
  }
}

TEST_F(BusinessRulesTest, PinnedCarryTheirReasonAndNIsRespected) {
  RuleInputs in;
  in.pinned = {4};
  auto out = ApplyBusinessRules(All(), in, lookup(), 2);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].item, 4);
  EXPECT_EQ(out[0].reason.type, ReasonType::kPinned);
  EXPECT_EQ(out[1].item, 0);
  EXPECT_TRUE(ApplyBusinessRules({}, in, lookup(), 0).empty());
}

}  // namespace
}  // namespace storepilot::recommend
