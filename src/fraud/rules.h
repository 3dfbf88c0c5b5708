#ifndef STOREPILOT_FRAUD_RULES_H_
#define STOREPILOT_FRAUD_RULES_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "fraud/order.h"

namespace storepilot::fraud {

enum class RuleAction { kAllow = 0, kBlock = 1, kReview = 2 };
const char* RuleActionName(RuleAction action);

// What a rule can read: the order, its score (0-100) and its feature vector
// (FeatureStore layout).
struct RuleInput {
  const Order* order = nullptr;
  double score = 0;
  const float* features = nullptr;
};

namespace internal {
struct RuleNode;
}

// Merchant rules: a small expression language that is parsed into a tree and
// interpreted, never executed as code.
//
//   rule   := ("allow" | "block" | "review") "if" expr
//   expr   := and ("or" and)* ;  and := not ("and" not)* ;  not := "not" not | cmp
//   cmp    := sum (("<" | "<=" | ">" | ">=" | "==" | "!=") sum)?
//   sum    := term (("+" | "-") term)* ;  term := unary (("*" | "/") unary)*
//   unary  := "-" unary | number | 'string' | "string" | true | false | field | "(" expr ")"
//
// Fields: score, amount, payment_attempts, discount_amount,
// customer.orders_count, every feature name (e.g. customer_count_1d), and the
// strings ip_country, shipping_country, billing_country, email, email_domain,
// ip, customer_id, terminal_id, device_id, card_fingerprint. Types are checked
// when parsing. A comparison with a missing value (NaN number, empty string)
// is false, so a rule never fires on data the order does not have.
//
// Order: every rule is evaluated; the decision is the first fired rule by
// action precedence allow > block > review (as Stripe Radar), then by
// position. Immutable and thread-safe once parsed.
class RuleSet {
 public:
  RuleSet();
  ~RuleSet();
  RuleSet(RuleSet&&) noexcept;
  RuleSet& operator=(RuleSet&&) noexcept;

  // One rule per line; blank lines and lines starting with '#' are skipped.
  // InvalidArgument naming the line and column for any bad rule, or when
  // there are more than 256 rules or a line is longer than 2000 characters.
  static absl::StatusOr<RuleSet> Parse(std::string_view text);

  struct Decision {
    std::optional<RuleAction> action;  // Empty: no rule fired.
    std::vector<int> fired;            // Indexes of every fired rule, in order.
  };
  Decision Evaluate(const RuleInput& input) const;

  size_t size() const { return rules_.size(); }
  const std::string& text(size_t i) const { return rules_[i].text; }
  RuleAction action(size_t i) const { return rules_[i].action; }

 private:
  struct Rule {
    std::string text;
    RuleAction action;
    std::unique_ptr<internal::RuleNode> condition;
  };
  std::vector<Rule> rules_;
};

}  // namespace storepilot::fraud

#endif  // STOREPILOT_FRAUD_RULES_H_
