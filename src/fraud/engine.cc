#include "fraud/engine.h"

#include <algorithm>
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
  RETURN_IF_ERROR(ValidateOrder(order));
  std::vector<float> features(FeatureStore::NumFeatures());
  {
    absl::ReaderMutexLock lock(&store_mu_);
    store_.Compute(order, features.data());
  }
  return Assess(order, features, explain);
}

absl::StatusOr<RiskAssessment> FraudEngine::Assess(const Order& order,
                                                   const std::vector<float>& features,
                                                   bool explain) const {
  std::shared_ptr<const FraudModel> model;
  std::shared_ptr<const RuleSet> rules;
  {
    absl::MutexLock lock(&snapshot_mu_);
    model = model_;
    rules = rules_;
  }
  if (model == nullptr) return absl::FailedPreconditionError("no fraud model installed");
  RiskAssessment out;
  out.order_id = order.order_id;
  out.model_version = model->version();
  if (explain) {
    ASSIGN_OR_RETURN(std::vector<float> shap, model->Contributions(features.data()));
    Explanation explanation = Explain(model->feature_names(), features.data(), shap,
                                      static_cast<size_t>(options_.max_reasons));
    out.score = explanation.score;
    out.base_score = explanation.base_score;
    out.other_contribution = explanation.other_contribution;
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
  {
    absl::MutexLock lock(&stats_mu_);
    ++stats_.scored[static_cast<int>(out.level)];
    for (const std::string& rule : out.fired_rules) ++stats_.rule_hits[rule];
  }
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

void FraudEngine::Remember(const Order& order, std::vector<float> features,
                           std::optional<RiskLevel> level) {
  if (options_.max_remembered_orders == 0) return;
  auto [it, inserted] = orders_.try_emplace(order.order_id);
  if (!inserted) return;
  it->second = Remembered{order, std::move(features), std::nullopt, level, std::nullopt};
  order_fifo_.push_back(order.order_id);
  while (order_fifo_.size() > options_.max_remembered_orders) {
    orders_.erase(order_fifo_.front());
    order_fifo_.pop_front();
  }
}

void FraudEngine::Observe(const Order& order) {
  if (!ValidateOrder(order).ok()) return;
  absl::MutexLock lock(&store_mu_);
  if (orders_.contains(order.order_id)) return;  // A repeat is not recorded twice.
  std::vector<float> features = store_.Compute(order);
  store_.Observe(order);
  Remember(order, std::move(features), std::nullopt);
}

absl::StatusOr<RiskAssessment> FraudEngine::ScoreAndObserve(const Order& order) {
  RETURN_IF_ERROR(ValidateOrder(order));
  // The features are computed once, under the writer lock that records the
  // order, so they are exactly the state before it; the model and its
  // explanation run after the lock is released.
  std::vector<float> features(FeatureStore::NumFeatures());
  bool recorded = false;
  {
    absl::MutexLock lock(&store_mu_);
    store_.Compute(order, features.data());
    if (!orders_.contains(order.order_id)) {  // A repeat is not recorded twice.
      store_.Observe(order);
      Remember(order, features, std::nullopt);
      recorded = true;
    }
  }
  ASSIGN_OR_RETURN(RiskAssessment result, Assess(order, features, /*explain=*/true));
  if (!recorded) return result;
  absl::MutexLock lock(&store_mu_);
  auto it = orders_.find(order.order_id);
  if (it != orders_.end()) {
    it->second.level = result.level;
    it->second.assessment = result;
  }
  return result;
}

absl::StatusOr<RiskAssessment> FraudEngine::Assessment(const std::string& order_id) const {
  absl::ReaderMutexLock lock(&store_mu_);
  auto it = orders_.find(order_id);
  if (it == orders_.end() || !it->second.assessment.has_value()) {
    return absl::NotFoundError(absl::StrCat("order ", order_id, " has no risk assessment"));
  }
  return *it->second.assessment;
}

absl::StatusOr<RiskAssessment> FraudEngine::Rescore(const std::string& order_id) {
  Order order;
  std::vector<float> features;
  {
    absl::ReaderMutexLock lock(&store_mu_);
    auto it = orders_.find(order_id);
    if (it == orders_.end()) {
      return absl::NotFoundError(absl::StrCat("order ", order_id, " is not known"));
    }
    order = it->second.order;
    features = it->second.features;
  }
  ASSIGN_OR_RETURN(RiskAssessment result, Assess(order, features, /*explain=*/true));
  absl::MutexLock lock(&store_mu_);
  auto it = orders_.find(order_id);
  if (it != orders_.end()) {
    it->second.assessment = result;
    it->second.level = result.level;
  }
  return result;
}

bool FraudEngine::Knows(const std::string& order_id) const {
  absl::ReaderMutexLock lock(&store_mu_);
  return orders_.contains(order_id);
}

absl::Status FraudEngine::AddLabel(const std::string& order_id, bool fraud,
                                   std::optional<int64_t> label_time_ms) {
  std::optional<RiskLevel> level;
  {
    absl::MutexLock lock(&store_mu_);
    auto it = orders_.find(order_id);
    if (it == orders_.end()) {
      return absl::NotFoundError(absl::StrCat("order ", order_id, " is not known"));
    }
    store_.AddLabel(it->second.order, fraud, label_time_ms.value_or(clock_->NowMillis()));
    const bool first = !it->second.label.has_value();
    it->second.label = fraud;  // A correction replaces the label...
    if (!first) return absl::OkStatus();  // ...but is counted once.
    level = it->second.level;
  }
  absl::MutexLock lock(&stats_mu_);
  ++stats_.labels;
  if (!level.has_value()) return absl::OkStatus();
  const bool flagged = *level != RiskLevel::kLow;
  if (flagged) {
    ++(fraud ? stats_.flagged_fraud : stats_.flagged_genuine);
  } else if (fraud) {
    ++stats_.missed_fraud;
  }
  return absl::OkStatus();
}

EngineStats FraudEngine::Stats() const {
  EngineStats stats;
  {
    absl::MutexLock lock(&stats_mu_);
    stats = stats_;
  }
  if (auto m = model(); m != nullptr) stats.model_version = m->version();
  return stats;
}

absl::StatusOr<RetrainResult> FraudEngine::Retrain(const TrainOptions& train_options,
                                                   const std::string& version,
                                                   double validation_fraction) {
  // Settled rows, oldest first.
  std::vector<std::pair<int64_t, const Remembered*>> settled;
  Dataset all{FeatureStore::NumFeatures(), {}, {}};
  {
    absl::ReaderMutexLock lock(&store_mu_);
    const int64_t settled_before = clock_->NowMillis() - options_.features.label_delay_ms;
    for (const auto& [id, r] : orders_) {
      if (r.order.time_ms <= settled_before) settled.push_back({r.order.time_ms, &r});
    }
    std::sort(settled.begin(), settled.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [t, r] : settled) all.AddRow(r->features.data(), r->label.value_or(false));
  }
  const size_t n = all.rows();
  const size_t n_validation = static_cast<size_t>(n * std::clamp(validation_fraction, 0.0, 0.9));
  Dataset train{all.num_features, {}, {}}, validation{all.num_features, {}, {}};
  for (size_t i = 0; i < n; ++i) {
    (i < n - n_validation ? train : validation).AddRow(&all.values[i * all.num_features],
                                                       all.labels[i] > 0);
  }
  auto has_both = [](const Dataset& d) {
    const double pos = std::count(d.labels.begin(), d.labels.end(), 1.0f);
    return pos > 0 && pos < d.rows();
  };
  if (!has_both(train) || (n_validation > 0 && !has_both(validation))) {
    return absl::FailedPreconditionError(
        "settled orders need both fraud and genuine labels to retrain");
  }
  ASSIGN_OR_RETURN(std::unique_ptr<FraudModel> candidate,
                   FraudModel::Train(train, FeatureStore::FeatureNames(), version,
                                     train_options));
  RetrainResult result;
  result.version = version;
  result.train_rows = static_cast<int64_t>(train.rows());
  result.validation_rows = static_cast<int64_t>(validation.rows());
  const std::shared_ptr<const FraudModel> current = model();
  bool better = true;
  if (n_validation > 0) {
    ASSIGN_OR_RETURN(better, CandidateNotWorse(current.get(), *candidate, validation));
  }
  if (better) {
    RETURN_IF_ERROR(SetModel(std::move(candidate)));
    result.swapped = true;
  }
  return result;
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
