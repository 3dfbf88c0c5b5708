#ifndef STOREPILOT_FRAUD_ENGINE_H_
#define STOREPILOT_FRAUD_ENGINE_H_

#include <cstdint>
#include <deque>
#include <memory>
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
  // them; the oldest are forgotten first.
  size_t max_remembered_orders = 1 << 20;
};

struct RiskAssessment {
  std::string order_id;
  double score = 0;  // 0-100
  RiskLevel level = RiskLevel::kLow;
  Recommendation recommendation = Recommendation::kAccept;
  std::vector<Reason> reasons;          // Up to max_reasons, largest first.
  double base_score = 0;                // base + all contributions == score.
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
  // Records an order (after or instead of scoring it).
  void Observe(const Order& order);
  // Scores, then records.
  absl::StatusOr<RiskAssessment> ScoreAndObserve(const Order& order);
  // A label for an observed order, arriving now. NotFound when the order is
  // not remembered.
  absl::Status AddLabel(const std::string& order_id, bool fraud);

  FeatureStore::MemoryStats Memory() const;

 private:
  EngineOptions options_;
  const Clock* clock_;
  mutable absl::Mutex store_mu_;
  FeatureStore store_ ABSL_GUARDED_BY(store_mu_);
  absl::flat_hash_map<std::string, Order> orders_ ABSL_GUARDED_BY(store_mu_);
  std::deque<std::string> order_fifo_ ABSL_GUARDED_BY(store_mu_);
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
