#include "fraud/internal/window_features.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/container/inlined_vector.h"

namespace storepilot::fraud::internal {
namespace {

constexpr int64_t kHour = 3600LL * 1000;
constexpr int64_t kDay = 24 * kHour;
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
// An amount this many times the entity's median counts as unusually high:
// ordinary spend varies by well under 3x around its median, while stolen cards
// are typically drained with much larger amounts.
constexpr double kHighAmountRatio = 3.0;
// How many of the most recent settled orders (older than the label delay) the
// "fraud_share_last_settled" feature looks at: enough to tell an entity under
// sustained abuse (all recent orders fraud) from one with a single fraud.
constexpr int kLastSettled = 5;

enum Slot {
  kCount1h = 0,
  kCount1d,
  kCount7d,
  kCount30d,
  kMeanAmount1d,
  kMeanAmount7d,
  kMeanAmount30d,
  kMedianAmount,
  kAmountToMedian,
  kAmountZscore,
  kHoursSinceLast,
  kHighAmountCount7d,
  kMaxAmountRatio7d,
  kRisk1d,
  kRisk7d,
  kRisk30d,
  kKnownFrauds30d,
  kDaysSinceLastKnownFraud,
  kDaysSinceFirstKnownFraud,
  kFraudShareSinceFirstKnownFraud,
  kFraudShareLastSettled,
  kKnownFraudAmountRatio,
  kKnownFrauds1d,
  kSettledSinceLastKnownFraud,
  kLastKnownFraudAmountRatio,
  kNumSlots,
};

float Ratio(double num, double den) {
  return den > 0 ? static_cast<float>(num / den) : kNaN;
}

}  // namespace

const std::vector<std::string>& WindowFeatureSuffixes() {
  static const std::vector<std::string>* const kSuffixes =
      new std::vector<std::string>{
          "count_1h",         "count_1d",          "count_7d",
          "count_30d",        "mean_amount_1d",    "mean_amount_7d",
          "mean_amount_30d",  "median_amount",     "amount_to_median",
          "amount_zscore",    "hours_since_last",  "high_amount_count_7d",
          "max_amount_ratio_7d", "risk_1d",        "risk_7d",
          "risk_30d",         "known_frauds_30d",  "days_since_last_known_fraud",
          "days_since_first_known_fraud", "fraud_share_since_first_known_fraud",
          "fraud_share_last_settled", "known_fraud_amount_ratio",
          "known_frauds_1d",  "settled_since_last_known_fraud",
          "last_known_fraud_amount_ratio"};
  return *kSuffixes;
}

void ComputeWindowFeatures(const EntityHistory* history, double amount,
                           int64_t now_ms, int64_t label_delay_ms, float* out) {
  std::fill(out, out + kNumSlots, kNaN);
  if (history == nullptr) return;

  // Velocity windows look back from now; risk windows look back from
  // now - delay, the newest time whose labels can be known.
  double count[4] = {0, 0, 0, 0};
  double sum[4] = {0, 0, 0, 0};
  const int64_t span[4] = {kHour, kDay, 7 * kDay, 30 * kDay};
  const int64_t risk_end = now_ms - label_delay_ms;
  const int64_t risk_span[3] = {kDay, 7 * kDay, 30 * kDay};
  double risk_tx[3] = {0, 0, 0}, risk_fraud[3] = {0, 0, 0};
  double known_frauds = 0, known_frauds_1d = 0;
  // Settled orders newer than the newest known fraud (0: the newest settled
  // order is a known fraud, as at a terminal still being skimmed).
  double settled_since_last_fraud = 0;
  float last_fraud_ratio = kNaN;
  int last_settled = 0, last_settled_frauds = 0;
  double fraud_ratio_sum = 0, fraud_ratio_n = 0;
  int64_t last_fraud_ms = -1, first_fraud_ms = -1;
  double all_sum = 0, all_sq = 0;
  absl::InlinedVector<float, 256> amounts;

  const auto& events = history->events();
  for (auto it = events.rbegin(); it != events.rend(); ++it) {
    const HistoryEvent& e = *it;
    if (e.time_ms > now_ms) continue;  // Not yet happened at `now_ms`.
    const int64_t age = now_ms - e.time_ms;
    for (int w = 0; w < 4; ++w) {
      if (age < span[w]) {
        count[w] += 1;
        sum[w] += e.amount;
      }
    }
    amounts.push_back(e.amount);
    all_sum += e.amount;
    all_sq += static_cast<double>(e.amount) * e.amount;
    if (e.time_ms > risk_end) continue;
    const bool fraud_known = e.label == Label::kFraud && e.label_usable_ms <= now_ms;
    const int64_t risk_age = risk_end - e.time_ms;
    if (last_settled < kLastSettled && risk_age < 30 * kDay) {
      ++last_settled;
      last_settled_frauds += fraud_known;
    }
    for (int w = 0; w < 3; ++w) {
      if (risk_age < risk_span[w]) {
        risk_tx[w] += 1;
        if (fraud_known) risk_fraud[w] += 1;
      }
    }
    if (!fraud_known && last_fraud_ms < 0 && risk_age < 30 * kDay) {
      settled_since_last_fraud += 1;
    }
    if (fraud_known && risk_age < 30 * kDay) {
      known_frauds += 1;
      if (risk_age < kDay) known_frauds_1d += 1;
      if (last_fraud_ms < 0) {
        last_fraud_ms = e.time_ms;
        last_fraud_ratio = e.amount_ratio;
      }
      if (!std::isnan(e.amount_ratio)) {
        fraud_ratio_sum += e.amount_ratio;
        fraud_ratio_n += 1;
      }
      first_fraud_ms = e.time_ms;
    }
  }

  out[kCount1h] = count[0];
  out[kCount1d] = count[1];
  out[kCount7d] = count[2];
  out[kCount30d] = count[3];
  out[kMeanAmount1d] = Ratio(sum[1], count[1]);
  out[kMeanAmount7d] = Ratio(sum[2], count[2]);
  out[kMeanAmount30d] = Ratio(sum[3], count[3]);
  out[kRisk1d] = Ratio(risk_fraud[0], risk_tx[0]);
  out[kRisk7d] = Ratio(risk_fraud[1], risk_tx[1]);
  out[kRisk30d] = Ratio(risk_fraud[2], risk_tx[2]);
  out[kKnownFrauds30d] = known_frauds;
  out[kFraudShareLastSettled] = Ratio(last_settled_frauds, last_settled);
  out[kKnownFraudAmountRatio] = Ratio(fraud_ratio_sum, fraud_ratio_n);
  out[kHighAmountCount7d] = 0;
  out[kKnownFrauds1d] = known_frauds_1d;
  if (last_fraud_ms >= 0) {
    out[kSettledSinceLastKnownFraud] = settled_since_last_fraud;
    out[kLastKnownFraudAmountRatio] = last_fraud_ratio;
    out[kDaysSinceLastKnownFraud] = static_cast<float>(now_ms - last_fraud_ms) / kDay;
    out[kDaysSinceFirstKnownFraud] = static_cast<float>(now_ms - first_fraud_ms) / kDay;
    // Share of the settled orders since the first known fraud that were
    // fraud: near 1 while an entity (a skimmed terminal, a stolen card) is
    // still being abused.
    double settled = 0, frauds = 0;
    for (const HistoryEvent& e : events) {
      if (e.time_ms < first_fraud_ms || e.time_ms > risk_end) continue;
      settled += 1;
      frauds += e.label == Label::kFraud && e.label_usable_ms <= now_ms;
    }
    out[kFraudShareSinceFirstKnownFraud] = Ratio(frauds, settled);
  }
  if (amounts.empty()) return;

  // Newest first: the first event not after now is the last order.
  for (auto it = events.rbegin(); it != events.rend(); ++it) {
    if (it->time_ms <= now_ms) {
      out[kHoursSinceLast] = static_cast<float>(now_ms - it->time_ms) / kHour;
      break;
    }
  }
  const size_t n = amounts.size();
  // The 7-day events are the first count[2] of `amounts` (newest first); read
  // them before nth_element reorders the buffer.
  const size_t n7 = static_cast<size_t>(count[2]);
  float max7 = -1;
  for (size_t i = 0; i < n7; ++i) max7 = std::max(max7, amounts[i]);
  absl::InlinedVector<float, 256> recent(amounts.begin(), amounts.begin() + n7);
  std::nth_element(amounts.begin(), amounts.begin() + n / 2, amounts.end());
  const double median = amounts[n / 2];
  out[kMedianAmount] = median;
  out[kAmountToMedian] = Ratio(amount, median);
  if (median > 0) {
    int high = 0;
    for (float a : recent) high += a > kHighAmountRatio * median;
    out[kHighAmountCount7d] = high;
    if (n7 > 0) out[kMaxAmountRatio7d] = max7 / median;
  }
  if (n >= 2) {
    const double mean = all_sum / n;
    const double var = std::max(0.0, all_sq / n - mean * mean);
    // A floor on the deviation keeps customers with constant spend from
    // producing huge z-scores on a cent's difference.
    const double sd = std::max(std::sqrt(var), 0.05 * mean + 0.01);
    out[kAmountZscore] = static_cast<float>((amount - mean) / sd);
  }
}

}  // namespace storepilot::fraud::internal
