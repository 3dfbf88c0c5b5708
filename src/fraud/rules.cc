#include "fraud/rules.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "fraud/feature_store.h"

namespace storepilot::fraud {
namespace internal {

enum class Type { kNumber, kString, kBool };
enum class Op {
  kNumber, kString, kBool,             // literals
  kNumberField, kStringField, kFeature,  // fields
  kNeg, kAdd, kSub, kMul, kDiv,
  kLt, kLe, kGt, kGe, kEq, kNe,
  kAnd, kOr, kNot,
};
enum class Field {
  kScore, kAmount, kPaymentAttempts, kDiscountAmount, kCustomerOrdersCount,
  kIpCountry, kShippingCountry, kBillingCountry, kEmail, kEmailDomain, kIp,
  kCustomerId, kTerminalId, kDeviceId, kCardFingerprint,
};

struct RuleNode {
  Op op;
  Type type;
  double number = 0;
  std::string text;
  Field field = Field::kScore;
  int feature = 0;
  std::unique_ptr<RuleNode> a, b;
};

}  // namespace internal

namespace {

using internal::Field;
using internal::Op;
using internal::RuleNode;
using internal::Type;

constexpr size_t kMaxRules = 256;
constexpr size_t kMaxLineLength = 2000;
constexpr int kMaxDepth = 50;

struct Token {
  enum Kind { kEnd, kIdent, kNumber, kString, kSymbol } kind = kEnd;
  std::string text;
  double number = 0;
  size_t column = 0;  // 1-based
};

std::string_view EmailDomain(const std::string& email) {
  const size_t at = email.rfind('@');
  if (at == std::string::npos) return {};
  return std::string_view(email).substr(at + 1);
}

// Recursive-descent parser of one rule line.
class Parser {
 public:
  explicit Parser(std::string_view line) : line_(line) {}

  absl::StatusOr<std::pair<RuleAction, std::unique_ptr<RuleNode>>> ParseRule() {
    if (auto s = Tokenize(); !s.ok()) return s;
    const Token action = Next();
    RuleAction a;
    if (action.text == "allow") {
      a = RuleAction::kAllow;
    } else if (action.text == "block") {
      a = RuleAction::kBlock;
    } else if (action.text == "review") {
      a = RuleAction::kReview;
    } else {
      return Error(action, "a rule starts with allow, block or review");
    }
    if (Peek().text != "if" || Peek().kind != Token::kIdent) {
      return Error(Peek(), "expected 'if' after the action");
    }
    Next();
    auto cond = ParseOr(0);
    if (!cond.ok()) return cond.status();
    if (Peek().kind != Token::kEnd) return Error(Peek(), "unexpected text after the rule");
    if ((*cond)->type != Type::kBool) {
      return Error(tokens_.front(), "the condition must be true or false, not a value");
    }
    return std::make_pair(a, std::move(*cond));
  }

 private:
  using NodeOr = absl::StatusOr<std::unique_ptr<RuleNode>>;

  absl::Status Error(const Token& at, std::string_view message) const {
    return absl::InvalidArgumentError(
        absl::StrCat("column ", at.column, ": ", std::string(message),
                     at.kind == Token::kEnd ? " (at end of rule)"
                                            : absl::StrCat(" (at '", at.text, "')")));
  }

  absl::Status Tokenize() {
    size_t i = 0;
    while (i < line_.size()) {
      const char c = line_[i];
      Token t;
      t.column = i + 1;
      if (std::isspace(static_cast<unsigned char>(c))) {
        ++i;
        continue;
      }
      if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
        size_t j = i;
        while (j < line_.size() && (std::isalnum(static_cast<unsigned char>(line_[j])) ||
                                    line_[j] == '_' || line_[j] == '.')) {
          ++j;
        }
        t.kind = Token::kIdent;
        t.text = std::string(line_.substr(i, j - i));
        i = j;
      } else if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
        size_t j = i;
        while (j < line_.size() && (std::isdigit(static_cast<unsigned char>(line_[j])) ||
                                    line_[j] == '.')) {
          ++j;
        }
        t.kind = Token::kNumber;
        t.text = std::string(line_.substr(i, j - i));
        char* end = nullptr;
        t.number = std::strtod(t.text.c_str(), &end);
        if (end != t.text.c_str() + t.text.size() || !std::isfinite(t.number)) {
          return Error(t, "bad number");
        }
        i = j;
      } else if (c == '\'' || c == '"') {
        const size_t close = line_.find(c, i + 1);
        if (close == std::string_view::npos) {
          t.text = std::string(1, c);
          return Error(t, "unterminated string");
        }
        t.kind = Token::kString;
        t.text = std::string(line_.substr(i + 1, close - i - 1));
        i = close + 1;
      } else {
        static constexpr std::string_view kTwo[] = {"<=", ">=", "==", "!="};
        t.kind = Token::kSymbol;
        for (std::string_view two : kTwo) {
          if (line_.substr(i, 2) == two) t.text = std::string(two);
        }
        if (t.text.empty()) {
          if (std::string_view("<>()+-*/").find(c) == std::string_view::npos) {
            t.text = std::string(1, c);
            return Error(t, c == '=' ? "use == to compare" : "unexpected character");
          }
          t.text = std::string(1, c);
        }
        i += t.text.size();
      }
      tokens_.push_back(std::move(t));
    }
    Token end;
    end.column = line_.size() + 1;
    tokens_.push_back(end);
    return absl::OkStatus();
  }

  const Token& Peek() const { return tokens_[pos_]; }
  Token Next() { return pos_ + 1 < tokens_.size() ? tokens_[pos_++] : tokens_[pos_]; }
  bool IsKeyword(std::string_view word) const {
    return Peek().kind == Token::kIdent && Peek().text == word;
  }
  bool IsSymbol(std::string_view sym) const {
    return Peek().kind == Token::kSymbol && Peek().text == sym;
  }

  static std::unique_ptr<RuleNode> Binary(Op op, Type type, std::unique_ptr<RuleNode> a,
                                          std::unique_ptr<RuleNode> b) {
    auto n = std::make_unique<RuleNode>();
    n->op = op;
    n->type = type;
    n->a = std::move(a);
    n->b = std::move(b);
    return n;
  }

  NodeOr ParseOr(int depth) {
    if (depth > kMaxDepth) return Error(Peek(), "rule nested too deeply");
    auto left = ParseAnd(depth);
    if (!left.ok()) return left;
    while (IsKeyword("or")) {
      const Token op = Next();
      auto right = ParseAnd(depth);
      if (!right.ok()) return right;
      if ((*left)->type != Type::kBool || (*right)->type != Type::kBool) {
        return Error(op, "'or' joins conditions, not values");
      }
      left = Binary(Op::kOr, Type::kBool, std::move(*left), std::move(*right));
    }
    return left;
  }

  NodeOr ParseAnd(int depth) {
    auto left = ParseNot(depth);
    if (!left.ok()) return left;
    while (IsKeyword("and")) {
      const Token op = Next();
      auto right = ParseNot(depth);
      if (!right.ok()) return right;
      if ((*left)->type != Type::kBool || (*right)->type != Type::kBool) {
        return Error(op, "'and' joins conditions, not values");
      }
      left = Binary(Op::kAnd, Type::kBool, std::move(*left), std::move(*right));
    }
    return left;
  }

  NodeOr ParseNot(int depth) {
    if (!IsKeyword("not")) return ParseCmp(depth);
    if (depth > kMaxDepth) return Error(Peek(), "rule nested too deeply");
    const Token op = Next();
    auto inner = ParseNot(depth + 1);
    if (!inner.ok()) return inner;
    if ((*inner)->type != Type::kBool) return Error(op, "'not' needs a condition");
    return Binary(Op::kNot, Type::kBool, std::move(*inner), nullptr);
  }

  NodeOr ParseCmp(int depth) {
    auto left = ParseSum(depth);
    if (!left.ok()) return left;
    static const std::pair<std::string_view, Op> kOps[] = {
        {"<", Op::kLt}, {"<=", Op::kLe}, {">", Op::kGt},
        {">=", Op::kGe}, {"==", Op::kEq}, {"!=", Op::kNe}};
    for (const auto& [sym, op] : kOps) {
      if (!IsSymbol(sym)) continue;
      const Token at = Next();
      auto right = ParseSum(depth);
      if (!right.ok()) return right;
      const Type lt = (*left)->type, rt = (*right)->type;
      if (lt != rt || lt == Type::kBool) {
        return Error(at, "comparison needs two numbers or two strings");
      }
      if (lt == Type::kString && op != Op::kEq && op != Op::kNe) {
        return Error(at, "strings compare only with == or !=");
      }
      return Binary(op, Type::kBool, std::move(*left), std::move(*right));
    }
    return left;
  }

  NodeOr ParseSum(int depth) {
    auto left = ParseTerm(depth);
    if (!left.ok()) return left;
    while (IsSymbol("+") || IsSymbol("-")) {
      const Token at = Next();
      auto right = ParseTerm(depth);
      if (!right.ok()) return right;
      if ((*left)->type != Type::kNumber || (*right)->type != Type::kNumber) {
        return Error(at, "arithmetic needs numbers");
      }
      left = Binary(at.text == "+" ? Op::kAdd : Op::kSub, Type::kNumber, std::move(*left),
                    std::move(*right));
    }
    return left;
  }

  NodeOr ParseTerm(int depth) {
    auto left = ParseUnary(depth);
    if (!left.ok()) return left;
    while (IsSymbol("*") || IsSymbol("/")) {
      const Token at = Next();
      auto right = ParseUnary(depth);
      if (!right.ok()) return right;
      if ((*left)->type != Type::kNumber || (*right)->type != Type::kNumber) {
        return Error(at, "arithmetic needs numbers");
      }
      left = Binary(at.text == "*" ? Op::kMul : Op::kDiv, Type::kNumber, std::move(*left),
                    std::move(*right));
    }
    return left;
  }

  NodeOr ParseUnary(int depth) {
    if (depth > kMaxDepth) return Error(Peek(), "rule nested too deeply");
    const Token t = Next();
    auto n = std::make_unique<RuleNode>();
    switch (t.kind) {
      case Token::kNumber:
        n->op = Op::kNumber;
        n->type = Type::kNumber;
        n->number = t.number;
        return n;
      case Token::kString:
        n->op = Op::kString;
        n->type = Type::kString;
        n->text = t.text;
        return n;
      case Token::kIdent:
        return Identifier(t);
      case Token::kSymbol:
        if (t.text == "-") {
          auto inner = ParseUnary(depth + 1);
          if (!inner.ok()) return inner;
          if ((*inner)->type != Type::kNumber) return Error(t, "'-' needs a number");
          return Binary(Op::kNeg, Type::kNumber, std::move(*inner), nullptr);
        }
        if (t.text == "(") {
          auto inner = ParseOr(depth + 1);
          if (!inner.ok()) return inner;
          if (!IsSymbol(")")) return Error(Peek(), "expected ')'");
          Next();
          return inner;
        }
        return Error(t, "expected a value");
      case Token::kEnd:
        return Error(t, "rule ends too early");
    }
    return Error(t, "expected a value");
  }

  NodeOr Identifier(const Token& t) {
    static const std::pair<std::string_view, Field> kNumbers[] = {
        {"score", Field::kScore},
        {"amount", Field::kAmount},
        {"payment_attempts", Field::kPaymentAttempts},
        {"discount_amount", Field::kDiscountAmount},
        {"customer.orders_count", Field::kCustomerOrdersCount}};
    static const std::pair<std::string_view, Field> kStrings[] = {
        {"ip_country", Field::kIpCountry},     {"shipping_country", Field::kShippingCountry},
        {"billing_country", Field::kBillingCountry}, {"email", Field::kEmail},
        {"email_domain", Field::kEmailDomain}, {"ip", Field::kIp},
        {"customer_id", Field::kCustomerId},   {"terminal_id", Field::kTerminalId},
        {"device_id", Field::kDeviceId},       {"card_fingerprint", Field::kCardFingerprint}};
    auto n = std::make_unique<RuleNode>();
    if (t.text == "true" || t.text == "false") {
      n->op = Op::kBool;
      n->type = Type::kBool;
      n->number = t.text == "true";
      return n;
    }
    for (const auto& [name, field] : kNumbers) {
      if (t.text != name) continue;
      n->op = Op::kNumberField;
      n->type = Type::kNumber;
      n->field = field;
      return n;
    }
    for (const auto& [name, field] : kStrings) {
      if (t.text != name) continue;
      n->op = Op::kStringField;
      n->type = Type::kString;
      n->field = field;
      return n;
    }
    const auto& features = FeatureStore::FeatureNames();
    for (size_t i = 0; i < features.size(); ++i) {
      if (t.text != features[i]) continue;
      n->op = Op::kFeature;
      n->type = Type::kNumber;
      n->feature = static_cast<int>(i);
      return n;
    }
    return Error(t, "unknown field");
  }

  std::string_view line_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
};

double NumberField(Field f, const RuleInput& in) {
  const Order& o = *in.order;
  switch (f) {
    case Field::kScore:
      return in.score;
    case Field::kAmount:
      return o.amount;
    case Field::kPaymentAttempts:
      return o.payment_attempts < 0 ? NAN : o.payment_attempts;
    case Field::kDiscountAmount:
      return o.discount_amount;
    case Field::kCustomerOrdersCount:
      return o.customer_orders_count < 0 ? NAN : o.customer_orders_count;
    default:
      return NAN;
  }
}

std::string_view StringField(Field f, const Order& o) {
  switch (f) {
    case Field::kIpCountry:
      return o.ip_country;
    case Field::kShippingCountry:
      return o.shipping_country;
    case Field::kBillingCountry:
      return o.billing_country;
    case Field::kEmail:
      return o.email;
    case Field::kEmailDomain:
      return EmailDomain(o.email);
    case Field::kIp:
      return o.ip;
    case Field::kCustomerId:
      return o.customer_id;
    case Field::kTerminalId:
      return o.terminal_id;
    case Field::kDeviceId:
      return o.device_id;
    case Field::kCardFingerprint:
      return o.card_fingerprint;
    default:
      return {};
  }
}

double EvalNumber(const RuleNode& n, const RuleInput& in);

std::string_view EvalString(const RuleNode& n, const RuleInput& in) {
  return n.op == Op::kString ? std::string_view(n.text) : StringField(n.field, *in.order);
}

bool EvalBool(const RuleNode& n, const RuleInput& in) {
  switch (n.op) {
    case Op::kBool:
      return n.number != 0;
    case Op::kAnd:
      return EvalBool(*n.a, in) && EvalBool(*n.b, in);
    case Op::kOr:
      return EvalBool(*n.a, in) || EvalBool(*n.b, in);
    case Op::kNot:
      return !EvalBool(*n.a, in);
    default:
      break;
  }
  if (n.a->type == Type::kString) {
    const std::string_view a = EvalString(*n.a, in), b = EvalString(*n.b, in);
    if (a.empty() || b.empty()) return false;  // Missing data never fires a rule.
    return n.op == Op::kEq ? a == b : a != b;
  }
  const double a = EvalNumber(*n.a, in), b = EvalNumber(*n.b, in);
  if (std::isnan(a) || std::isnan(b)) return false;
  switch (n.op) {
    case Op::kLt:
      return a < b;
    case Op::kLe:
      return a <= b;
    case Op::kGt:
      return a > b;
    case Op::kGe:
      return a >= b;
    case Op::kEq:
      return a == b;
    case Op::kNe:
      return a != b;
    default:
      return false;
  }
}

double EvalNumber(const RuleNode& n, const RuleInput& in) {
  switch (n.op) {
    case Op::kNumber:
      return n.number;
    case Op::kNumberField:
      return NumberField(n.field, in);
    case Op::kFeature:
      return in.features == nullptr ? NAN : in.features[n.feature];
    case Op::kNeg:
      return -EvalNumber(*n.a, in);
    case Op::kAdd:
      return EvalNumber(*n.a, in) + EvalNumber(*n.b, in);
    case Op::kSub:
      return EvalNumber(*n.a, in) - EvalNumber(*n.b, in);
    case Op::kMul:
      return EvalNumber(*n.a, in) * EvalNumber(*n.b, in);
    case Op::kDiv: {
      const double d = EvalNumber(*n.b, in);
      return d == 0 ? NAN : EvalNumber(*n.a, in) / d;
    }
    default:
      return NAN;
  }
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

const char* RuleActionName(RuleAction action) {
  switch (action) {
    case RuleAction::kAllow:
      return "allow";
    case RuleAction::kBlock:
      return "block";
    case RuleAction::kReview:
      return "review";
  }
  return "review";
}

RuleSet::RuleSet() = default;
RuleSet::~RuleSet() = default;
RuleSet::RuleSet(RuleSet&&) noexcept = default;
RuleSet& RuleSet::operator=(RuleSet&&) noexcept = default;

absl::StatusOr<RuleSet> RuleSet::Parse(std::string_view text) {
  RuleSet set;
  size_t line_no = 0, start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    ++line_no;
    const std::string_view line = Trim(text.substr(start, end - start));
    start = end + 1;
    if (line.empty() || line.front() == '#') continue;
    if (line.size() > kMaxLineLength) {
      return absl::InvalidArgumentError(absl::StrCat("rule on line ", line_no, " is longer than ",
                                                     kMaxLineLength, " characters"));
    }
    if (set.rules_.size() == kMaxRules) {
      return absl::InvalidArgumentError(absl::StrCat("more than ", kMaxRules, " rules"));
    }
    Parser parser(line);
    auto parsed = parser.ParseRule();
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "rule on line ", line_no, ", ", std::string(parsed.status().message())));
    }
    set.rules_.push_back({std::string(line), parsed->first, std::move(parsed->second)});
  }
  return set;
}

RuleSet::Decision RuleSet::Evaluate(const RuleInput& input) const {
  Decision d;
  for (size_t i = 0; i < rules_.size(); ++i) {
    if (!EvalBool(*rules_[i].condition, input)) continue;
    d.fired.push_back(static_cast<int>(i));
    // Enum order is the precedence: allow < block < review.
    if (!d.action.has_value() || rules_[i].action < *d.action) d.action = rules_[i].action;
  }
  return d;
}

}  // namespace storepilot::fraud
