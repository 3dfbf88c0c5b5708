#ifndef STOREPILOT_FRAUD_EXPLAIN_H_
#define STOREPILOT_FRAUD_EXPLAIN_H_

#include <string>
#include <vector>

namespace storepilot::fraud {

// Shopify's convention: NEGATIVE facts point to fraud, POSITIVE ones away.
enum class Sentiment { kNegative, kNeutral, kPositive };
const char* SentimentName(Sentiment s);

// One feature's share of a score.
struct Reason {
  std::string feature;
  float value = 0;            // The feature's value (NaN = missing).
  double contribution = 0;    // Score points (0-100 scale) this feature adds.
  Sentiment sentiment = Sentiment::kNeutral;
  std::string message;        // A sentence a merchant can read (see Explain).
};

struct Explanation {
  double score = 0;       // 100 * probability of fraud.
  double base_score = 0;  // The model's score before any feature is known.
  // Every feature with a non-zero contribution, largest |contribution| first.
  // base_score + sum(contribution) == score (up to float rounding).
  std::vector<Reason> reasons;
};

// Turns SHAP values (log-odds; one per feature then the bias, as
// FraudModel::Contributions returns) into score points. The score is
// 100 * sigmoid(bias + sum(phi)); the change from the base score is shared
// among features in proportion to their phi, so the points add up exactly to
// the score and each keeps its SHAP sign and relative size.
// Messages are written for the `max_messages` largest reasons only.
// REQUIRES: shap.size() == names.size() + 1.
Explanation Explain(const std::vector<std::string>& names, const float* row,
                    const std::vector<float>& shap, size_t max_messages = 5);

// A plain sentence about `feature` having `value`.
std::string DescribeFeature(const std::string& feature, float value);

}  // namespace storepilot::fraud

#endif  // STOREPILOT_FRAUD_EXPLAIN_H_
