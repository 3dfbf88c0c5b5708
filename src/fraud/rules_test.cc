#include "fraud/rules.h"

#include <cmath>

#include "fraud/feature_store.h"
#include "gtest/gtest.h"

namespace storepilot::fraud {
namespace {

struct Fixture {
  Order order;
  std::vector<float> features = std::vector<float>(FeatureStore::NumFeatures(), NAN);
  double score = 50;
  RuleInput input() const { return RuleInput{&order, score, features.data()}; }
};

bool Fires(const std::string& rule, const Fixture& f) {
  auto set = RuleSet::Parse(rule);
  EXPECT_TRUE(set.ok()) << rule << ": " << set.status();
  if (!set.ok()) return false;
  return !set->Evaluate(f.input()).fired.empty();
}

TEST(Rules, EvaluatesConditions) {
  Fixture f;
  f.order.amount = 1500;
  f.order.ip_country = "NG";
  f.order.shipping_country = "US";
  f.order.email = "a@mailinator.com";
  f.order.customer_orders_count = 25;
  f.features[0] = 1500;  // "amount" feature
  struct Case {
    const char* rule;
    bool fires;
  };
  const Case cases[] = {
      {"block if score > 40", true},
      {"block if score > 90", false},
      {"review if amount > 1000 and ip_country != shipping_country", true},
      {"review if amount > 1000 and ip_country == shipping_country", false},
      {"allow if customer.orders_count > 20", true},
      {"block if email_domain == 'mailinator.com'", true},
      {"block if email_domain == \"example.com\"", false},
      // 'and' binds tighter than 'or': true or (false and false).
      {"block if score > 40 or score > 90 and amount < 10", true},
      {"block if (score > 40 or score > 90) and amount < 10", false},
      {"block if not score > 90", true},
      {"block if not not score > 90", false},
      // Arithmetic precedence: 2 + 3 * 4 = 14.
      {"block if 2 + 3 * 4 == 14", true},
      {"block if -amount < -1000", true},
      {"block if amount / 0 > 1", false},  // Division by zero is missing.
      {"review if true", true},
      // Missing values never fire, whichever the comparison.
      {"block if device_id != 'abc'", false},
      {"block if customer_count_1d >= 0", false},
      {"block if customer_count_1d != 3", false},
      {"block if payment_attempts > 2", false},
      {"block if amount >= 1500 and amount <= 1500", true},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.rule);
    EXPECT_EQ(Fires(c.rule, f), c.fires);
  }
}

TEST(Rules, ActionPrecedenceIsAllowThenBlockThenReview) {
  Fixture f;
  auto set = RuleSet::Parse(
      "# comments and blank lines are skipped\n"
      "\n"
      "review if score > 10\n"
      "block if score > 20\n"
      "allow if amount < 5\n");
  ASSERT_TRUE(set.ok()) << set.status();
  ASSERT_EQ(set->size(), 3u);
  EXPECT_EQ(set->action(1), RuleAction::kBlock);
  f.order.amount = 100;
  auto d = set->Evaluate(f.input());
  EXPECT_EQ(d.action, RuleAction::kBlock);
  EXPECT_EQ(d.fired, (std::vector<int>{0, 1}));
  f.order.amount = 1;
  d = set->Evaluate(f.input());
  EXPECT_EQ(d.action, RuleAction::kAllow);
  f.score = 5;
  f.order.amount = 100;
  d = set->Evaluate(f.input());
  EXPECT_FALSE(d.action.has_value());
  EXPECT_TRUE(d.fired.empty());
}

TEST(Rules, RejectsBadRulesWithAClearError) {
  struct Case {
    const char* rule;
    const char* message;
  };
  const Case cases[] = {
      {"deny if score > 5", "starts with allow, block or review"},
      {"block score > 5", "expected 'if'"},
      {"block if", "ends too early"},
      {"block if score >", "ends too early"},
      {"block if scor > 5", "unknown field (at 'scor')"},
      {"block if score = 5", "use == to compare"},
      {"block if score > 'high'", "two numbers or two strings"},
      {"block if ip_country < 'US'", "only with == or !="},
      {"block if score", "must be true or false"},
      {"block if score + 1", "must be true or false"},
      {"block if score > 5 and amount", "joins conditions"},
      {"block if (score > 5", "expected ')'"},
      {"block if score > 5)", "unexpected text"},
      {"block if ip_country == 'US", "unterminated string"},
      {"block if score > 1.2.3", "bad number"},
      {"block if score > 5 ; drop", "unexpected character"},
      {"block if not amount", "'not' needs a condition"},
      {"block if -ip_country == 'x'", "'-' needs a number"},
      {"block if ip_country + 1 > 2", "arithmetic needs numbers"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.rule);
    auto set = RuleSet::Parse(c.rule);
    ASSERT_FALSE(set.ok());
    EXPECT_EQ(set.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(set.status().message().find(c.message), absl::string_view::npos)
        << set.status().message();
    EXPECT_NE(set.status().message().find("line 1"), absl::string_view::npos);
  }
  auto second = RuleSet::Parse("block if score > 5\nreview if what > 1");
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find("line 2, column 11"), absl::string_view::npos)
      << second.status().message();
}

TEST(Rules, RejectsHostileSizes) {
  std::string deep = "block if ";
  for (int i = 0; i < 200; ++i) deep += "(";
  EXPECT_FALSE(RuleSet::Parse(deep).ok());
  std::string nots = "block if ";
  for (int i = 0; i < 200; ++i) nots += "not ";
  EXPECT_FALSE(RuleSet::Parse(nots + "true").ok());
  EXPECT_FALSE(RuleSet::Parse("block if " + std::string(3000, '1') + " > 1").ok());
  std::string many;
  for (int i = 0; i < 300; ++i) many += "review if score > 1\n";
  EXPECT_FALSE(RuleSet::Parse(many).ok());
}

}  // namespace
}  // namespace storepilot::fraud
