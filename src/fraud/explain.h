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
  std::string message;        // A sentence a merchant can read.
};

struct Explanation {
  double score = 0;       // 100 * probability of fraud.
  double base_score = 0;  // The model's score before any feature is known.
  // The features with the largest |contribution| (non-zero only), largest
  // first.
  std::vector<Reason> reasons;
  // Everything the listed reasons leave out, so that
  // base_score + sum(reasons.contribution) + other_contribution == score.
  double other_contribution = 0;
};

// Turns SHAP values (log-odds; one per feature then the bias, as
// FraudModel::Contributions returns) into score points. The score is
// 100 * sigmoid(bias + sum(phi)); the change from the base score is shared
// among features in proportion to their phi, so the points add up exactly to
// the score and each keeps its SHAP sign and relative size.
// At most `max_reasons` reasons are returned, each with its sentence.
// REQUIRES: shap.size() == names.size() + 1.
Explanation Explain(const std::vector<std::string>& names, const float* row,
                    const std::vector<float>& shap, size_t max_reasons = 5);

// A plain sentence about `feature` having `value`.
std::string DescribeFeature(const std::string& feature, float value);

}  // namespace storepilot::fraud

#endif  // STOREPILOT_FRAUD_EXPLAIN_H_
