#include "fraud/explain.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace storepilot::fraud {
namespace {

// Contributions below this many score points are reported as NEUTRAL.
constexpr double kNeutralPoints = 0.5;

double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

struct EntityWord {
  const char* prefix;
  const char* noun;
};
// Longest prefixes first ("ip_prefix" before "ip").
constexpr EntityWord kEntities[] = {
    {"ip_prefix", "IP range"}, {"customer", "customer"}, {"card", "card"},
    {"email", "email address"}, {"ip", "IP address"},     {"device", "device"},
    {"address", "shipping address"}, {"terminal", "terminal"}};

// "order" or "orders" for a count.
const char* Orders(float count) { return count == 1 ? "order" : "orders"; }

std::string Window(const std::string& suffix) {
  if (absl::EndsWith(suffix, "_1h")) return "hour";
  if (absl::EndsWith(suffix, "_1d")) return "day";
  if (absl::EndsWith(suffix, "_7d")) return "7 days";
  return "30 days";
}

std::string DescribeEntityFeature(const char* noun, const std::string& s, float v) {
  if (std::isnan(v)) return absl::StrCat("No history yet for this ", noun, " (", s, ")");
  if (absl::StartsWith(s, "count_")) {
    return absl::StrFormat("%.0f earlier %s from this %s in the last %s", v, Orders(v), noun,
                           Window(s));
  }
  if (absl::StartsWith(s, "mean_amount_")) {
    return absl::StrFormat("This %s's average order over the last %s is %.2f", noun,
                           Window(s), v);
  }
  if (s == "median_amount") return absl::StrFormat("This %s's typical order is %.2f", noun, v);
  if (s == "amount_to_median") {
    return absl::StrFormat("Amount is %.1fx this %s's typical order", v, noun);
  }
  if (s == "amount_zscore") {
    return absl::StrFormat("Amount is %.1f standard deviations from this %s's average", v,
                           noun);
  }
  if (s == "hours_since_last") {
    return absl::StrFormat("Previous order from this %s was %.1f hours earlier", noun, v);
  }
  if (s == "high_amount_count_7d") {
    return absl::StrFormat("%.0f unusually large %s from this %s in the last 7 days", v,
                           Orders(v), noun);
  }
  if (s == "max_amount_ratio_7d") {
    return absl::StrFormat("Largest order from this %s in the last 7 days was %.1fx its "
                           "typical order",
                           noun, v);
  }
  if (absl::StartsWith(s, "risk_")) {
    return absl::StrFormat("%.0f%% of this %s's settled orders over %s were fraudulent",
                           100 * v, noun, Window(s));
  }
  if (s == "known_frauds_30d") {
    return absl::StrFormat("%.0f confirmed fraudulent %s on this %s in the last 30 days", v,
                           Orders(v), noun);
  }
  if (s == "known_frauds_1d") {
    return absl::StrFormat(
        "%.0f confirmed fraudulent %s on this %s in the newest settled day", v, Orders(v),
        noun);
  }
  if (s == "settled_since_last_known_fraud") {
    return absl::StrFormat("%.0f settled %s on this %s since its latest confirmed fraud",
                           v, Orders(v), noun);
  }
  if (s == "last_known_fraud_amount_ratio") {
    return absl::StrFormat("Latest confirmed fraud on this %s was %.1fx its customer's "
                           "typical order",
                           noun, v);
  }
  if (absl::StartsWith(s, "cpp_frauds_")) {
    return absl::StrFormat(
        "%.0f confirmed %s on this %s in %s from cards with no other fraud", v,
        v == 1 ? "fraud" : "frauds", noun, Window(s));
  }
  if (s == "days_since_last_known_fraud") {
    return absl::StrFormat("Latest confirmed fraud on this %s was %.0f days ago", noun, v);
  }
  if (s == "days_since_first_known_fraud") {
    return absl::StrFormat("Confirmed fraud on this %s began %.0f days ago", noun, v);
  }
  return absl::StrFormat("%s of this %s is %g", s, noun, v);
}

}  // namespace

const char* SentimentName(Sentiment s) {
  switch (s) {
    case Sentiment::kNegative:
      return "NEGATIVE";
    case Sentiment::kNeutral:
      return "NEUTRAL";
    case Sentiment::kPositive:
      return "POSITIVE";
  }
  return "NEUTRAL";
}

std::string DescribeFeature(const std::string& f, float v) {
  const bool missing = std::isnan(v);
  if (f == "amount") return absl::StrFormat("Order amount is %.2f", v);
  if (f == "hour_of_day") return absl::StrFormat("Placed at %02.0f:00 UTC", v);
  if (f == "day_of_week") {
    constexpr const char* kDays[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                     "Friday", "Saturday", "Sunday"};
    const int d = static_cast<int>(v);
    return absl::StrCat("Placed on a ", d >= 0 && d < 7 ? kDays[d] : "day");
  }
  if (f == "is_weekend") return v > 0 ? "Placed at the weekend" : "Placed on a weekday";
  if (f == "is_night") return v > 0 ? "Placed at night (00:00-06:00 UTC)" : "Placed in daytime";
  if (f == "billing_shipping_mismatch") {
    if (missing) return "Billing or shipping country unknown";
    return v > 0 ? "Billing country differs from the shipping country"
                 : "Billing and shipping countries match";
  }
  if (f == "ip_shipping_mismatch") {
    if (missing) return "IP or shipping country unknown";
    return v > 0 ? "IP country differs from the shipping country"
                 : "IP country matches the shipping country";
  }
  if (f == "ip_shipping_km") {
    if (missing) return "IP or shipping location unknown";
    return absl::StrFormat("IP location is %.0f km from the shipping address", v);
  }
  if (f == "payment_attempts") {
    if (missing) return "Payment attempts unknown";
    return absl::StrFormat("%.0f failed payment attempts before this one", v);
  }
  if (f == "discount_ratio") {
    if (missing) return "No discount information";
    return absl::StrFormat("Discount of %.0f%% of the order value", 100 * v);
  }
  if (absl::StartsWith(f, "customer_new_")) {
    const std::string what = f.substr(13);
    const std::string noun = what == "ip" ? "IP address" : what == "address" ? "shipping address" : what;
    if (missing) return absl::StrCat("Customer or ", noun, " unknown");
    return v > 0 ? absl::StrCat("First order from this ", noun, " for the customer")
                 : absl::StrCat("Customer has used this ", noun, " before");
  }
  for (const EntityWord& e : kEntities) {
    const std::string prefix = absl::StrCat(e.prefix, "_");
    if (absl::StartsWith(f, prefix)) {
      return DescribeEntityFeature(e.noun, f.substr(prefix.size()), v);
    }
  }
  return absl::StrFormat("%s is %g", f, v);
}

Explanation Explain(const std::vector<std::string>& names, const float* row,
                    const std::vector<float>& shap, size_t max_reasons) {
  Explanation out;
  const size_t n = names.size();
  double sum = 0;
  for (size_t i = 0; i < n; ++i) sum += shap[i];
  const double bias = shap[n];
  out.base_score = 100 * Sigmoid(bias);
  out.score = 100 * Sigmoid(bias + sum);
  const double delta = out.score - out.base_score;
  // sigmoid is increasing, so delta and sum share their sign and the scale is
  // positive; when sum is ~0 so is delta and every share is ~0.
  const double scale = std::abs(sum) > 1e-12 ? delta / sum : 0.0;
  // Rank indices first: only the reasons returned get names and sentences.
  std::vector<size_t> order;
  order.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    if (shap[i] != 0) order.push_back(i);
  }
  const size_t top = std::min(max_reasons, order.size());
  std::partial_sort(order.begin(), order.begin() + top, order.end(), [&](size_t a, size_t b) {
    return std::abs(shap[a]) > std::abs(shap[b]);
  });
  double shown = 0;
  for (size_t k = 0; k < top; ++k) {
    const size_t i = order[k];
    Reason r;
    r.feature = names[i];
    r.value = row[i];
    r.contribution = shap[i] * scale;
    r.sentiment = r.contribution > kNeutralPoints    ? Sentiment::kNegative
                  : r.contribution < -kNeutralPoints ? Sentiment::kPositive
                                                     : Sentiment::kNeutral;
    r.message = DescribeFeature(r.feature, r.value);
    shown += r.contribution;
    out.reasons.push_back(std::move(r));
  }
  out.other_contribution = delta - shown;
  return out;
}

}  // namespace storepilot::fraud
