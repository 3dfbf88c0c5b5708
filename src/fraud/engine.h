#ifndef STOREPILOT_FRAUD_ENGINE_H_
#define STOREPILOT_FRAUD_ENGINE_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "fraud/explain.h"
#include "fraud/feature_store.h"
#include "fraud/model.h"
#include "fraud/order.h"
#include "fraud/rules.h"
#include "nlohmann/json.hpp"

namespace storepilot::fraud {

enum class RiskLevel { kLow, kMedium, kHigh };
enum class Recommendation { kAccept, kInvestigate, kCancel };
const char* RiskLevelName(RiskLevel level);
const char* RecommendationName(Recommendation r);

struct EngineOptions {
  FeatureStoreOptions features;
  // Scores (0-100) at or above which an order is MEDIUM / HIGH risk.
  double medium_threshold = 30;
  double high_threshold = 70;
  int max_reasons = 5;
  // Observed orders remembered so that a late label (chargeback) can find
  // them and retraining can use their features; the oldest are forgotten
  // first. Each costs its Order, NumFeatures() floats and its last assessment
  // (about 2.5 KB in all).
  size_t max_remembered_orders = 50000;
};

// Counters for metrics. Precision and recall count labelled orders that were
// scored: "flagged" means MEDIUM or HIGH.
struct EngineStats {
  int64_t scored[3] = {0, 0, 0};  // By RiskLevel.
  absl::flat_hash_map<std::string, int64_t> rule_hits;  // By rule text.
  int64_t labels = 0;
  int64_t flagged_fraud = 0, flagged_genuine = 0, missed_fraud = 0;
  std::string model_version;
  double Precision() const {
    const int64_t flagged = flagged_fraud + flagged_genuine;
    return flagged == 0 ? 0 : static_cast<double>(flagged_fraud) / flagged;
  }
  double Recall() const {
    const int64_t fraud = flagged_fraud + missed_fraud;
    return fraud == 0 ? 0 : static_cast<double>(flagged_fraud) / fraud;
  }
};

// Result of FraudEngine::Retrain.
struct RetrainResult {
  bool swapped = false;  // False: the candidate did worse than the current model.
  std::string version;
  int64_t train_rows = 0, validation_rows = 0;
};

struct RiskAssessment {
  std::string order_id;
  double score = 0;  // 0-100
  RiskLevel level = RiskLevel::kLow;
  Recommendation recommendation = Recommendation::kAccept;
  std::vector<Reason> reasons;          // Up to max_reasons, largest first.
  // base_score + sum(reasons) + other_contribution == score.
  double base_score = 0;
  double other_contribution = 0;
  std::vector<std::string> fired_rules; // Texts of the rules that fired.
  std::string model_version;
};

// The in-memory fraud engine of one shop partition: a feature store fed with
// orders and labels, a swappable model and swappable rules. Free of any wire
// format; the API layer and the batch tools drive it alike.
//
// Thread-safety: all methods may be called concurrently. Observe/AddLabel
// take the store's writer lock, Score a reader lock; SetModel and SetRules
// swap immutable snapshots, so scoring continues during a swap.
class FraudEngine {
 public:
  // `clock` is not owned and must outlive the engine.
  FraudEngine(EngineOptions options, const Clock* clock);

  // Installs a model (hot swap). InvalidArgument when its features are not
  // this engine's feature layout.
  absl::Status SetModel(std::shared_ptr<const FraudModel> model);
  std::shared_ptr<const FraudModel> model() const;
  // Replaces the rules; on a parse error the old rules stay.
  absl::Status SetRules(std::string_view text);

  // Scores `order` as of its time from the state before it, without
  // recording it. With `explain` false the reasons are left empty (and
  // base_score 0), which skips the SHAP computation. FailedPrecondition when
  // no model is installed.
  absl::StatusOr<RiskAssessment> Score(const Order& order, bool explain = true) const;
  // Records an order (after or instead of scoring it). An order that fails
  // ValidateOrder, or whose id is remembered already (a retry, a replay), is
  // ignored.
  void Observe(const Order& order);
  // Records the order (unless its id is remembered already) and scores it
  // from the state before it: the same score as Score then Observe, with the
  // features computed once. InvalidArgument for an invalid order (nothing is
  // recorded then); FailedPrecondition without a model (the order is
  // recorded all the same).
  absl::StatusOr<RiskAssessment> ScoreAndObserve(const Order& order);
  // The assessment ScoreAndObserve or Rescore last gave `order_id`.
  // NotFound when the order is not remembered or was never scored.
  absl::StatusOr<RiskAssessment> Assessment(const std::string& order_id) const;
  // Scores a remembered order again with the current model and rules, from
  // the features it had when observed (so later orders do not leak in), and
  // keeps the result as its assessment. NotFound when not remembered.
  absl::StatusOr<RiskAssessment> Rescore(const std::string& order_id);

  // A label for an observed order, arriving at `label_time_ms` (default:
  // now). NotFound when the order is not remembered.
  absl::Status AddLabel(const std::string& order_id, bool fraud,
                        std::optional<int64_t> label_time_ms = std::nullopt);
  // Whether `order_id` is remembered (observed and not yet forgotten).
  bool Knows(const std::string& order_id) const;

  // Privacy. ForgetCustomer forgets the remembered orders of a customer
  // (customer id `customer_id`, an email whose local part is `email_hash`
  // -- orders store "<hash>@<domain>" -- or an id in `order_ids`): their
  // features, labels and stored scores, and their events in every window but
  // the terminal's; then the windows keyed by that customer or email and the
  // customer's first-seen pairs. Empty arguments match nothing. Returns the
  // number of orders forgotten. Counters (EngineStats) are aggregates and stay.
  int ForgetCustomer(const std::string& customer_id, const std::string& email_hash,
                     const std::vector<std::string>& order_ids);
  // The same customer's remembered orders for a data export: id, time,
  // amount, label, and the last assessment's score, level and reasons.
  nlohmann::json ExportCustomer(const std::string& customer_id, const std::string& email_hash,
                                const std::vector<std::string>& order_ids) const;
  // Forgets every order, window, label, counter, rule and the model (a shop
  // redaction); scoring answers FailedPrecondition until SetModel.
  void ForgetAll();

  FeatureStore::MemoryStats Memory() const;
  EngineStats Stats() const;

  // Scheduled retraining: trains a candidate on the remembered orders that
  // are settled (older than the label delay; unlabelled ones count as
  // genuine, as no chargeback came), the newest `validation_fraction` of them
  // held out, and installs it only when CandidateNotWorse. The features used
  // are those computed when each order was observed, as at serving time.
  // FailedPrecondition when the settled orders lack a class.
  absl::StatusOr<RetrainResult> Retrain(const TrainOptions& train_options,
                                        const std::string& version,
                                        double validation_fraction = 0.2);

 private:
  EngineOptions options_;
  const Clock* clock_;
  mutable absl::Mutex store_mu_;
  FeatureStore store_ ABSL_GUARDED_BY(store_mu_);
  struct Remembered {
    Order order;
    std::vector<float> features;  // As computed when observed.
    std::optional<bool> label;
    std::optional<RiskLevel> level;  // When it was scored.
    std::optional<RiskAssessment> assessment;
  };
  absl::StatusOr<RiskAssessment> Assess(const Order& order, const std::vector<float>& features,
                                        bool explain) const;
  void Remember(const Order& order, std::vector<float> features,
                std::optional<RiskLevel> level) ABSL_EXCLUSIVE_LOCKS_REQUIRED(store_mu_);
  absl::flat_hash_map<std::string, Remembered> orders_ ABSL_GUARDED_BY(store_mu_);
  std::deque<std::string> order_fifo_ ABSL_GUARDED_BY(store_mu_);
  mutable absl::Mutex stats_mu_;
  // Counters move on const Score() calls too.
  mutable EngineStats stats_ ABSL_GUARDED_BY(stats_mu_);
  mutable absl::Mutex snapshot_mu_;
  std::shared_ptr<const FraudModel> model_ ABSL_GUARDED_BY(snapshot_mu_);
  std::shared_ptr<const RuleSet> rules_ ABSL_GUARDED_BY(snapshot_mu_);
};

// The validation gate of scheduled retraining: true when `candidate` ranks
// `validation` at least as well as `current` by average precision (or there
// is no current model). Errors from prediction are returned.
absl::StatusOr<bool> CandidateNotWorse(const FraudModel* current, const FraudModel& candidate,
                                       const Dataset& validation);

}  // namespace storepilot::fraud

#endif  // STOREPILOT_FRAUD_ENGINE_H_
