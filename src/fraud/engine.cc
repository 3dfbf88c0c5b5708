#include "fraud/engine.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "fraud/metrics.h"

namespace storepilot::fraud {

const char* RiskLevelName(RiskLevel level) {
  switch (level) {
    case RiskLevel::kLow:
      return "LOW";
    case RiskLevel::kMedium:
      return "MEDIUM";
    case RiskLevel::kHigh:
      return "HIGH";
  }
  return "LOW";
}

const char* RecommendationName(Recommendation r) {
  switch (r) {
    case Recommendation::kAccept:
      return "ACCEPT";
    case Recommendation::kInvestigate:
      return "INVESTIGATE";
    case Recommendation::kCancel:
      return "CANCEL";
  }
  return "ACCEPT";
}

FraudEngine::FraudEngine(EngineOptions options, const Clock* clock)
    : options_(options),
      clock_(clock),
      store_(options.features),
      rules_(std::make_shared<RuleSet>()) {}

absl::Status FraudEngine::SetModel(std::shared_ptr<const FraudModel> model) {
  if (model == nullptr) return absl::InvalidArgumentError("null model");
  if (model->feature_names() != FeatureStore::FeatureNames()) {
    return absl::InvalidArgumentError(
        absl::StrCat("model ", model->version(), " was trained on another feature layout"));
  }
  absl::MutexLock lock(&snapshot_mu_);
  model_ = std::move(model);
  return absl::OkStatus();
}

std::shared_ptr<const FraudModel> FraudEngine::model() const {
  absl::MutexLock lock(&snapshot_mu_);
  return model_;
}

absl::Status FraudEngine::SetRules(std::string_view text) {
  ASSIGN_OR_RETURN(RuleSet rules, RuleSet::Parse(text));
  auto shared = std::make_shared<const RuleSet>(std::move(rules));
  absl::MutexLock lock(&snapshot_mu_);
  rules_ = std::move(shared);
  return absl::OkStatus();
}

absl::StatusOr<RiskAssessment> FraudEngine::Score(const Order& order, bool explain) const {
  std::shared_ptr<const FraudModel> model;
  std::shared_ptr<const RuleSet> rules;
  {
    absl::MutexLock lock(&snapshot_mu_);
    model = model_;
    rules = rules_;
  }
  if (model == nullptr) return absl::FailedPreconditionError("no fraud model installed");
  std::vector<float> features(FeatureStore::NumFeatures());
  {
    absl::ReaderMutexLock lock(&store_mu_);
    store_.Compute(order, features.data());
  }
  RiskAssessment out;
  out.order_id = order.order_id;
  out.model_version = model->version();
  if (explain) {
    ASSIGN_OR_RETURN(std::vector<float> shap, model->Contributions(features.data()));
    Explanation explanation = Explain(model->feature_names(), features.data(), shap,
                                      static_cast<size_t>(options_.max_reasons));
    out.score = explanation.score;
    out.base_score = explanation.base_score;
    explanation.reasons.resize(
        std::min(explanation.reasons.size(), static_cast<size_t>(options_.max_reasons)));
    out.reasons = std::move(explanation.reasons);
  } else {
    ASSIGN_OR_RETURN(const float p, model->Predict(features.data()));
    out.score = 100.0 * p;
  }
  out.level = out.score >= options_.high_threshold     ? RiskLevel::kHigh
              : out.score >= options_.medium_threshold ? RiskLevel::kMedium
                                                       : RiskLevel::kLow;
  out.recommendation = out.level == RiskLevel::kHigh     ? Recommendation::kCancel
                       : out.level == RiskLevel::kMedium ? Recommendation::kInvestigate
                                                         : Recommendation::kAccept;
  const RuleSet::Decision decision =
      rules->Evaluate(RuleInput{&order, out.score, features.data()});
  for (int i : decision.fired) out.fired_rules.push_back(rules->text(i));
  if (decision.action.has_value()) {
    switch (*decision.action) {
      case RuleAction::kAllow:
        out.recommendation = Recommendation::kAccept;
        break;
      case RuleAction::kBlock:
        out.recommendation = Recommendation::kCancel;
        break;
      case RuleAction::kReview:
        out.recommendation = Recommendation::kInvestigate;
        break;
    }
  }
  return out;
}

void FraudEngine::Observe(const Order& order) {
  absl::MutexLock lock(&store_mu_);
  store_.Observe(order);
  if (options_.max_remembered_orders == 0) return;
  auto [it, inserted] = orders_.try_emplace(order.order_id, order);
  if (!inserted) return;
  order_fifo_.push_back(order.order_id);
  while (order_fifo_.size() > options_.max_remembered_orders) {
    orders_.erase(order_fifo_.front());
    order_fifo_.pop_front();
  }
}

absl::StatusOr<RiskAssessment> FraudEngine::ScoreAndObserve(const Order& order) {
  auto result = Score(order);
  Observe(order);
  return result;
}

absl::Status FraudEngine::AddLabel(const std::string& order_id, bool fraud) {
  absl::MutexLock lock(&store_mu_);
  auto it = orders_.find(order_id);
  if (it == orders_.end()) {
    return absl::NotFoundError(absl::StrCat("order ", order_id, " is not known"));
  }
  store_.AddLabel(it->second, fraud, clock_->NowMillis());
  return absl::OkStatus();
}

FeatureStore::MemoryStats FraudEngine::Memory() const {
  absl::ReaderMutexLock lock(&store_mu_);
  return store_.Memory();
}

absl::StatusOr<bool> CandidateNotWorse(const FraudModel* current, const FraudModel& candidate,
                                       const Dataset& validation) {
  if (current == nullptr) return true;
  std::vector<int> labels(validation.labels.begin(), validation.labels.end());
  ASSIGN_OR_RETURN(std::vector<float> cand,
                   candidate.PredictBatch(validation.values.data(), validation.rows()));
  ASSIGN_OR_RETURN(std::vector<float> cur,
                   current->PredictBatch(validation.values.data(), validation.rows()));
  ASSIGN_OR_RETURN(double ap_candidate,
                   AveragePrecision(std::vector<double>(cand.begin(), cand.end()), labels));
  ASSIGN_OR_RETURN(double ap_current,
                   AveragePrecision(std::vector<double>(cur.begin(), cur.end()), labels));
  return ap_candidate >= ap_current;
}

}  // namespace storepilot::fraud
